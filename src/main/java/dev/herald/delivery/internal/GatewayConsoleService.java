package dev.herald.delivery.internal;

import dev.herald.delivery.GatewayConsole;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The console's view of the gateways, from the tables every node writes, and its routes. */
final class GatewayConsoleService implements GatewayConsole {

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  private final JdbcClient jdbc;
  private final Clock clock;
  private final GatewayRoutes routes;
  private final ConsoleGateways console;

  GatewayConsoleService(
      JdbcClient jdbc, Clock clock, GatewayRoutes routes, ConsoleGateways console) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.routes = routes;
    this.console = console;
  }

  @Override
  public List<ConfiguredGateway> configuredGateways() {
    return console.configured();
  }

  @Override
  public java.util.Optional<ConfiguredGateway> configuredGateway(String name) {
    return console.configured(name);
  }

  @Override
  public void saveGateway(GatewayInput input) {
    console.save(input);
  }

  @Override
  public boolean setGatewayEnabled(String name, boolean enabled) {
    return console.setEnabled(name, enabled);
  }

  @Override
  public java.util.Optional<RemovalImpact> removalImpact(String name) {
    return console.impact(name);
  }

  @Override
  public boolean removeGateway(String name) {
    return console.remove(name);
  }

  @Override
  public boolean secretsAvailable() {
    return console.secretsAvailable();
  }

  private record NodeState(String state, String lastError, Instant lastErrorAt) {}

  @Override
  public List<GatewayHealthView> gateways() {
    Instant now = clock.instant();
    // a node that has not written for three refreshes is gone (or not dispatching)
    Instant fresh = now.minus(routes.settings().refresh().multipliedBy(3));
    Map<String, List<NodeState>> nodes = new HashMap<>();
    jdbc.sql(
            "SELECT gateway, state, last_error, last_error_at, updated_at FROM gateway_health"
                + " ORDER BY last_error_at DESC NULLS LAST")
        .query(rs -> {
          boolean isFresh = !rs.getTimestamp("updated_at").toInstant().isBefore(fresh);
          Timestamp at = rs.getTimestamp("last_error_at");
          nodes
              .computeIfAbsent(rs.getString("gateway"), g -> new ArrayList<>())
              .add(
                  new NodeState(
                      isFresh ? rs.getString("state") : "stale",
                      rs.getString("last_error"),
                      at == null ? null : at.toInstant()));
        });
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    Map<String, long[]> traffic = new HashMap<>();
    jdbc.sql(
            """
            SELECT gateway,
                   sum(accepted) FILTER (WHERE minute >= :minute) AS minute_sent,
                   sum(accepted) AS hour_sent, sum(errors) AS hour_errors
            FROM gateway_traffic WHERE minute > :hour GROUP BY gateway
            """)
        .param("minute", Timestamp.from(minute.minus(Duration.ofMinutes(1))))
        .param("hour", Timestamp.from(minute.minus(Duration.ofHours(1))))
        .query(rs -> {
          traffic.put(
              rs.getString("gateway"),
              new long[] {
                rs.getLong("minute_sent"), rs.getLong("hour_sent"), rs.getLong("hour_errors")
              });
        });
    List<GatewayHealthView> views = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>(routes.live());
    for (String name : names) {
      List<NodeState> states =
          nodes.getOrDefault(name, List.of()).stream()
              .filter(n -> !n.state().equals("stale"))
              .toList();
      long open = states.stream().filter(n -> n.state().equals("open")).count();
      long probing = states.stream().filter(n -> n.state().equals("half_open")).count();
      String state;
      if (states.isEmpty()) {
        state = "unknown";
      } else if (open == states.size()) {
        state = "down";
      } else if (open > 0 || probing > 0) {
        state = "degraded";
      } else {
        state = "up";
      }
      NodeState latest =
          nodes.getOrDefault(name, List.of()).stream()
              .filter(n -> n.lastErrorAt() != null)
              .findFirst()
              .orElse(null);
      long[] t = traffic.getOrDefault(name, new long[3]);
      views.add(
          new GatewayHealthView(
              name,
              state,
              states.size(),
              (int) open,
              t[0],
              t[1],
              t[2],
              latest == null ? null : latest.lastError(),
              latest == null ? null : latest.lastErrorAt(),
              routes.defaultRoute().contains(name)));
    }
    return views;
  }

  @Override
  public List<String> defaultRoute() {
    return routes.defaultRoute();
  }

  @Override
  public List<RouteView> routes() {
    List<RouteView> views = new ArrayList<>();
    Map<String, List<String>> stored = new HashMap<>();
    jdbc.sql("SELECT country, gateways FROM gateway_route_country ORDER BY country")
        .query(rs -> {
          stored.put(
              rs.getString("country"), List.of((String[]) rs.getArray("gateways").getArray()));
        });
    Set<String> countries = new java.util.TreeSet<>(stored.keySet());
    countries.addAll(routes.settings().countries().keySet());
    for (String c : countries) {
      boolean isStored = stored.containsKey(c);
      views.add(
          new RouteView(
              "country",
              c,
              isStored ? stored.get(c) : routes.settings().countries().get(c),
              isStored));
    }
    Map<String, List<String>> companies = new java.util.TreeMap<>();
    jdbc.sql("SELECT tenant_id, gateways FROM gateway_route_company")
        .query(rs -> {
          companies.put(
              rs.getObject("tenant_id", UUID.class).toString(),
              List.of((String[]) rs.getArray("gateways").getArray()));
        });
    Set<String> ids = new java.util.TreeSet<>(companies.keySet());
    ids.addAll(routes.settings().companies().keySet());
    for (String id : ids) {
      boolean isStored = companies.containsKey(id);
      views.add(
          new RouteView(
              "company",
              id,
              isStored ? companies.get(id) : routes.settings().companies().get(id),
              isStored));
    }
    return views;
  }

  private List<String> checked(List<String> gateways) {
    List<String> clean =
        gateways == null
            ? List.of()
            : gateways.stream().map(String::strip).filter(g -> !g.isEmpty()).distinct().toList();
    List<FieldProblem> problems = new ArrayList<>();
    if (clean.isEmpty()) {
      problems.add(FieldProblem.of("gateways", "routing.gateways.required"));
    } else if (clean.size() > 10) {
      problems.add(FieldProblem.of("gateways", "routing.gateways.tooMany", 10));
    }
    for (String g : clean) {
      if (!routes.known().contains(g)) {
        problems.add(
            FieldProblem.of(
                "gateways", "routing.gateways.unknown", g, String.join(", ", routes.known())));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return clean;
  }

  @Override
  public void setCountryRoute(String country, List<String> gateways) {
    String code = country == null ? "" : country.strip().toUpperCase(Locale.ROOT);
    List<FieldProblem> problems = new ArrayList<>();
    if (!COUNTRIES.contains(code)) {
      problems.add(FieldProblem.of("country", "routing.country.invalid"));
    }
    List<String> clean;
    try {
      clean = checked(gateways);
    } catch (InvalidInputException e) {
      problems.addAll(e.problems());
      clean = List.of();
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    jdbc.sql(
            """
            INSERT INTO gateway_route_country (country, gateways, updated_at)
            VALUES (:country, :gateways, :now)
            ON CONFLICT (country) DO UPDATE SET gateways = EXCLUDED.gateways,
                                                updated_at = EXCLUDED.updated_at
            """)
        .param("country", code)
        .param("gateways", clean.toArray(String[]::new))
        .param("now", Timestamp.from(clock.instant()))
        .update();
    routes.refresh();
  }

  @Override
  public void setCompanyRoute(TenantId company, List<String> gateways) {
    List<String> clean = checked(gateways);
    jdbc.sql(
            """
            INSERT INTO gateway_route_company (tenant_id, gateways, updated_at)
            VALUES (:tenant, :gateways, :now)
            ON CONFLICT (tenant_id) DO UPDATE SET gateways = EXCLUDED.gateways,
                                                  updated_at = EXCLUDED.updated_at
            """)
        .param("tenant", company.value())
        .param("gateways", clean.toArray(String[]::new))
        .param("now", Timestamp.from(clock.instant()))
        .update();
    routes.refresh();
  }

  @Override
  public boolean removeCountryRoute(String country) {
    int n =
        jdbc.sql("DELETE FROM gateway_route_country WHERE country = :country")
            .param("country", country == null ? "" : country.strip().toUpperCase(Locale.ROOT))
            .update();
    routes.refresh();
    return n > 0;
  }

  @Override
  public boolean removeCompanyRoute(TenantId company) {
    int n =
        jdbc.sql("DELETE FROM gateway_route_company WHERE tenant_id = :tenant")
            .param("tenant", company.value())
            .update();
    routes.refresh();
    return n > 0;
  }
}
