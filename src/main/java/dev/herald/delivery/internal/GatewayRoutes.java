package dev.herald.delivery.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.shared.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which gateway each claimed SMS goes by (G2). A message's route is its company's, else its
 * destination country's, else the default (stored by the operator console first, configuration
 * next). It goes by the first gateway of its route whose circuit breaker lets it through and that
 * has not refused it with "this gateway cannot"; so a gateway that is down or failing hands its
 * messages to the next, and takes traffic back once its half-open probes do well.
 *
 * <p>A message with an unknown outcome stays with the gateway that may have it: while any attempt
 * of it is unknown (or its lease lapsed) on a gateway, it goes nowhere else; while that gateway's
 * breaker is open it waits. Runs inside the claim's transaction, so the row says which gateway has
 * it before any submit (a lease that lapses is charged to that gateway).
 */
final class GatewayRoutes implements DispatchStore.Router {

  private static final Logger log = LoggerFactory.getLogger(GatewayRoutes.class);

  /** A message handed on at once: its gateway refused it with "this gateway cannot". */
  static final String REFUSED = "GATEWAY_REFUSED";

  /** A message handed on at once: its gateway's breaker opened on this failure. */
  static final String DOWN = "GATEWAY_DOWN";

  /** Routes stored by the operator console, read every refresh. */
  record Stored(Map<UUID, List<String>> companies, Map<String, List<String>> countries) {
    static final Stored NONE = new Stored(Map.of(), Map.of());
  }

  /** How long a gateway chosen by a claim counts as in use (its bucket sizes the next claims). */
  private static final long IN_USE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

  private final RoutingSettings settings;
  private final List<String> defaultRoute;
  private final Set<String> configured;
  private volatile Set<String> known;
  private volatile Set<String> live;
  private volatile GatewayLimits limits;
  private final Map<String, Long> lastChosen = new java.util.concurrent.ConcurrentHashMap<>();
  private final GatewayHealth health;
  private final JdbcClient jdbc;
  private volatile Stored stored = Stored.NONE;
  private volatile boolean loaded;

  GatewayRoutes(
      RoutingSettings settings,
      String defaultGateway,
      Set<String> known,
      GatewayHealth health,
      JdbcClient jdbc) {
    this.settings = settings;
    this.configured = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(known));
    this.known = this.configured;
    this.live = this.configured;
    this.health = health;
    this.jdbc = jdbc;
    this.defaultRoute =
        settings.defaultRoute().isEmpty() ? List.of(defaultGateway) : settings.defaultRoute();
    List<String> named = new ArrayList<>(defaultRoute);
    settings.countries().values().forEach(named::addAll);
    settings.companies().values().forEach(named::addAll);
    for (String name : named) {
      if (!known.contains(name)) {
        throw new IllegalStateException(
            "herald.delivery.routing names the gateway "
                + name
                + " but the SMS gateways are "
                + String.join(", ", known));
      }
    }
  }

  /** The gateways messages may be routed to now: configuration's and the console's enabled. */
  Set<String> known() {
    return known;
  }

  /**
   * The gateways that may still have messages: {@link #known()} and the console's disabled or being
   * removed (messages with an unknown outcome stay with them, their receipts still heard).
   */
  Set<String> live() {
    return live;
  }

  /** The gateways set by the environment (configuration), which the console cannot change. */
  Set<String> configured() {
    return configured;
  }

  /** From now on, the console's gateways: those messages may go by, and those only draining. */
  void useConsole(Set<String> routable, Set<String> draining) {
    Set<String> k = new LinkedHashSet<>(configured);
    k.addAll(routable);
    Set<String> l = new LinkedHashSet<>(k);
    l.addAll(draining);
    this.known = java.util.Collections.unmodifiableSet(k);
    this.live = java.util.Collections.unmodifiableSet(l);
  }

  void limitWith(GatewayLimits limits) {
    this.limits = limits;
  }

  /** The limits of the live gateways claims chose in the last seconds (empty: none lately). */
  Map<String, DeliverySettings.GatewaySettings> liveLimits() {
    GatewayLimits l = limits;
    if (l == null) {
      return Map.of();
    }
    long now = System.nanoTime();
    Map<String, DeliverySettings.GatewaySettings> out = new HashMap<>();
    Set<String> alive = live;
    lastChosen.forEach((gateway, at) -> {
      if (now - at > IN_USE_NANOS) {
        lastChosen.remove(gateway, at);
      } else if (alive.contains(gateway)) {
        out.put(gateway, l.of(gateway));
      }
    });
    return out;
  }

  List<String> defaultRoute() {
    return defaultRoute;
  }

  RoutingSettings settings() {
    return settings;
  }

  /**
   * Reads the routes the console stored (every node does so each refresh). One at a time: a
   * periodic refresh that read the table before a console change committed must not store its older
   * routes after the change's own refresh stored the new ones (that undid the change on this node
   * until the next refresh, up to 5 s: messages meanwhile went by the old route).
   */
  synchronized void refresh() {
    Map<UUID, List<String>> companies = new HashMap<>();
    jdbc.sql("SELECT tenant_id, gateways FROM gateway_route_company")
        .query(rs -> {
          companies.put(
              rs.getObject("tenant_id", UUID.class),
              List.of((String[]) rs.getArray("gateways").getArray()));
        });
    Map<String, List<String>> countries = new HashMap<>();
    jdbc.sql("SELECT country, gateways FROM gateway_route_country")
        .query(rs -> {
          countries.put(
              rs.getString("country"), List.of((String[]) rs.getArray("gateways").getArray()));
        });
    stored = new Stored(Map.copyOf(companies), Map.copyOf(countries));
    loaded = true;
  }

  /** The gateways a message may go by, in order. */
  List<String> routeOf(TenantId tenant, String recipient) {
    Stored s = stored;
    List<String> route = s.companies().get(tenant.value());
    if (route == null) {
      route = settings.companies().get(tenant.value().toString());
    }
    if (route == null && !(s.countries().isEmpty() && settings.countries().isEmpty())) {
      // parsed only when some country has a route of its own (a parse per SMS costs)
      String country = countryOf(recipient);
      if (country != null) {
        route = s.countries().get(country);
        if (route == null) {
          route = settings.countries().get(country);
        }
      }
    }
    if (route == null) {
      return defaultRoute;
    }
    Set<String> k = known;
    List<String> usable = route.stream().filter(k::contains).toList();
    return usable.isEmpty() ? defaultRoute : usable;
  }

  /** The destination's country (ISO 3166 alpha-2), or null when the number says none. */
  static String countryOf(String e164) {
    try {
      String region =
          PhoneNumberUtil.getInstance()
              .getRegionCodeForNumber(PhoneNumberUtil.getInstance().parse(e164, null));
      return region == null || region.equals("ZZ") ? null : region;
    } catch (NumberParseException e) {
      return null;
    }
  }

  @Override
  public List<DispatchStore.Route> route(List<DispatchStore.Claimed> claimed) {
    if (!loaded) {
      refresh(); // the first claim comes before the first refresh
    }
    Map<UUID, History> histories = histories(claimed);
    List<DispatchStore.Route> routes = new ArrayList<>(claimed.size());
    for (DispatchStore.Claimed m : claimed) {
      List<String> route = routeOf(m.tenant(), m.recipient());
      History h = histories.getOrDefault(m.id(), History.NONE);
      DispatchStore.Route chosen = choose(route, h, m.replyGateway());
      if (chosen.decided() == null) {
        lastChosen.put(chosen.gateway(), System.nanoTime());
      }
      routes.add(chosen);
    }
    return routes;
  }

  @Override
  public void unrouted(DispatchStore.Route route) {
    health.release(route.gateway());
  }

  private DispatchStore.Route choose(List<String> route, History h, String replyGateway) {
    if (h.pinned() != null && live.contains(h.pinned())) {
      // it may be with that gateway already: it goes nowhere else, even while that one fails
      return new DispatchStore.Route(h.pinned(), null, health.tryAcquire(h.pinned()), List.of());
    }
    List<String> candidates = route.stream().filter(g -> !h.refusedBy().contains(g)).toList();
    if (replyGateway != null
        && known.contains(replyGateway)
        && !h.refusedBy().contains(replyGateway)
        && health.tryAcquire(replyGateway)) {
      // an answer to a customer's SMS goes by the gateway it came in by, which has the number the
      // customer wrote to (while that gateway takes messages and is not failing)
      return new DispatchStore.Route(replyGateway, null, true, others(candidates, replyGateway));
    }
    if (candidates.isEmpty()) {
      return new DispatchStore.Route(
          route.getLast(),
          new SubmitResult.PermanentFailure(
              "NO_GATEWAY_TAKES_IT",
              "every gateway of its route refused it: " + String.join(", ", route)));
    }
    for (String gateway : candidates) {
      if (health.tryAcquire(gateway)) {
        return new DispatchStore.Route(gateway, null, true, others(candidates, gateway));
      }
    }
    // Every gateway of its route is failing: the first one still gets it (a breaker chooses
    // between gateways, it never holds a message back that no other gateway could take).
    String first = candidates.getFirst();
    return new DispatchStore.Route(first, null, false, others(candidates, first));
  }

  private static List<String> others(List<String> candidates, String chosen) {
    return candidates.stream().filter(g -> !g.equals(chosen)).toList();
  }

  /** What earlier attempts say: the gateway it is pinned to, the gateways that refused it. */
  record History(String pinned, Set<String> refusedBy) {
    static final History NONE = new History(null, Set.of());
  }

  private Map<UUID, History> histories(List<DispatchStore.Claimed> claimed) {
    List<DispatchStore.Claimed> retried = claimed.stream().filter(c -> c.attempt() > 1).toList();
    if (retried.isEmpty()) {
      return Map.of();
    }
    Map<UUID, String> pinned = new HashMap<>();
    Map<UUID, Set<String>> refused = new HashMap<>();
    jdbc.sql(
            """
            SELECT a.message_id, a.gateway, a.outcome, a.error_code
            FROM outbound_attempt a
            JOIN unnest(:tenants::uuid[], :ids::uuid[]) AS c(tenant_id, id)
              ON a.tenant_id = c.tenant_id AND a.message_id = c.id
            WHERE a.outcome IN ('UNKNOWN', 'LEASE_LAPSED') OR a.error_code = :refused
            ORDER BY a.message_id, a.number
            """)
        .param("tenants", retried.stream().map(c -> c.tenant().value()).toArray(UUID[]::new))
        .param("ids", retried.stream().map(DispatchStore.Claimed::id).toArray(UUID[]::new))
        .param("refused", REFUSED)
        .query(rs -> {
          UUID id = rs.getObject("message_id", UUID.class);
          String gateway = rs.getString("gateway");
          if (REFUSED.equals(rs.getString("error_code"))) {
            refused.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(gateway);
          } else {
            pinned.put(id, gateway); // the latest unknown one
          }
        });
    Map<UUID, History> histories = new HashMap<>();
    for (DispatchStore.Claimed c : retried) {
      String pin = pinned.get(c.id());
      Set<String> by = refused.getOrDefault(c.id(), Set.of());
      if (pin != null || !by.isEmpty()) {
        histories.put(c.id(), new History(pin, by));
      }
    }
    if (!pinned.isEmpty()) {
      log.debug(
          "Routing: {} message(s) stay with the gateway of their unknown outcome", pinned.size());
    }
    return histories;
  }

  /**
   * Tells each gateway's breaker how its submits went, and turns what routing acts on into a hand
   * over at once: a refusal meaning "this gateway cannot", and a transient failure of a gateway
   * whose breaker it opened while another gateway of its route is not failing (the next claim takes
   * that one).
   */
  List<SubmitResult> answered(
      List<DispatchStore.Route> routes, List<SubmitResult> results, long nanos) {
    List<SubmitResult> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      DispatchStore.Route route = routes.get(i);
      SubmitResult result = results.get(i);
      if (route.decided() != null) {
        out.add(result);
        continue;
      }
      if (result instanceof SubmitResult.TransientFailure f
          && Dispatcher.NOT_HANDED_OVER.equals(f.code())) {
        // never reached the gateway: says nothing of its health
        if (route.permitted()) {
          health.release(route.gateway());
        }
        out.add(result);
        continue;
      }
      if (route.permitted()) {
        health.record(route.gateway(), result, nanos);
      } else {
        health.count(route.gateway(), result);
      }
      if (result instanceof SubmitResult.PermanentFailure f && f.gatewayCannot()) {
        out.add(
            new SubmitResult.TransientFailure(
                REFUSED,
                route.gateway() + " cannot take it (" + f.code() + ": " + f.message() + ")"));
      } else if (result instanceof SubmitResult.TransientFailure f
          && health.isOpen(route.gateway())
          && route.others().stream().anyMatch(g -> !health.isOpen(g))) {
        out.add(
            new SubmitResult.TransientFailure(
                DOWN, route.gateway() + " is failing (" + f.code() + ": " + f.message() + ")"));
      } else {
        out.add(result);
      }
    }
    return out;
  }
}
