package dev.herald.delivery.internal;

import dev.herald.delivery.GatewayConsole;
import dev.herald.delivery.GatewayConsole.ConfiguredGateway;
import dev.herald.delivery.GatewayConsole.GatewayInput;
import dev.herald.delivery.GatewayConsole.RemovalImpact;
import dev.herald.delivery.gateway.GatewayInbox;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.http.HttpProviderGateways;
import dev.herald.delivery.http.HttpProviderSmsGateway;
import dev.herald.delivery.internal.DeliverySettings.GatewaySettings;
import dev.herald.delivery.kannel.KannelGateways;
import dev.herald.delivery.kannel.KannelSmsGateway;
import dev.herald.delivery.smpp.SmppGateways;
import dev.herald.delivery.smpp.SmppSmsGateway;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.SecretsBox;
import dev.herald.shared.StaleEditException;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SMS gateways configured on the operator console ({@code gateway_config}, V95): checked and
 * stored (secrets sealed, never shown again), and run on every node. {@link #apply} (at start, by
 * the node that stores a change, and every routing refresh on every node) starts what is new,
 * restarts what changed, and stops what is gone; a disabled gateway, or one being removed, keeps
 * running for the messages it may still have (pinned to it by their unknown outcome, their receipts
 * heard) but is routed nothing new. A gateway being removed is deleted once none of its messages is
 * in flight or has an unknown outcome on it, and none it took still waits for its delivery receipt
 * (until the message's validity and an hour have passed); enabling it again keeps it.
 */
final class ConsoleGateways {

  private static final Logger log = LoggerFactory.getLogger(ConsoleGateways.class);
  private static final JsonMapper json = JsonMapper.builder().build();
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  /** What a node runs for one stored gateway, and what it was built from. */
  private record Live(String fingerprint, SmsGateway gateway) {}

  private record Row(
      String name,
      String kind,
      String state,
      Map<String, String> settings,
      byte[] secrets,
      double maxPerSecond,
      int version) {

    /**
     * What the running copy is built from. Not the rate: every apply publishes it to the limits,
     * and rebuilding would close an SMPP copy's binds with submits in flight (unknown outcomes).
     */
    String fingerprint() {
      return kind + settings + Arrays.hashCode(secrets);
    }
  }

  private final JdbcClient jdbc;
  private final Clock clock;
  private final SecretsBox box;
  private final GatewayInbox inbox;
  private final Gateways gateways;
  private final GatewayRoutes routes;
  private final GatewayLimits limits;
  private final GatewayHealth health;
  private final HttpProviderGateways http;
  private final KannelGateways kannel;
  private final DeliverySettings settings;
  private final java.time.Duration removalGrace;
  private final Map<String, Live> live = new HashMap<>();

  /** A replaced copy and when to stop it (System.nanoTime): its submits in flight answer first. */
  private record Retiring(SmsGateway gateway, long stopAt) {}

  private final List<Retiring> retiring = new ArrayList<>();

  /** Set by close() (shutdown): the routing refresh may still call apply() once after it. */
  private boolean closed;

  /** Rows this node could not run, by name and fingerprint: logged once, tried every apply. */
  private final Map<String, String> failing = new HashMap<>();

  ConsoleGateways(
      JdbcClient jdbc,
      Clock clock,
      SecretsBox box,
      GatewayInbox inbox,
      Gateways gateways,
      GatewayRoutes routes,
      GatewayLimits limits,
      GatewayHealth health,
      HttpProviderGateways http,
      KannelGateways kannel,
      DeliverySettings settings,
      java.time.Duration removalGrace) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.box = box;
    this.inbox = inbox;
    this.gateways = gateways;
    this.routes = routes;
    this.limits = limits;
    this.health = health;
    this.http = http;
    this.kannel = kannel;
    this.settings = settings;
    this.removalGrace = removalGrace;
  }

  boolean secretsAvailable() {
    return box.available();
  }

  // ---------------------------------------------------------------- reading

  private List<Row> rows(String name) {
    return jdbc.sql(
            "SELECT name, kind, state, settings::text AS settings, secrets, max_per_second, version"
                + " FROM gateway_config"
                + (name == null ? "" : " WHERE name = :name")
                + " ORDER BY name")
        .params(name == null ? Map.of() : Map.of("name", name))
        .query((rs, n) ->
            new Row(
                rs.getString("name"),
                rs.getString("kind"),
                rs.getString("state"),
                json.readValue(rs.getString("settings"), MAP),
                rs.getBytes("secrets"),
                rs.getDouble("max_per_second"),
                rs.getInt("version")))
        .list();
  }

  private Map<String, String> secretsOf(Row row) {
    if (row.secrets() == null) {
      return Map.of();
    }
    return json.readValue(box.open(row.secrets(), associated(row.name())), MAP);
  }

  private static String associated(String name) {
    return "gateway:" + name;
  }

  List<ConfiguredGateway> configured() {
    List<ConfiguredGateway> all = new ArrayList<>();
    for (String name : routes.configured()) {
      all.add(environment(name));
    }
    for (Row row : rows(null)) {
      all.add(view(row));
    }
    return all;
  }

  Optional<ConfiguredGateway> configured(String name) {
    if (name == null) {
      return Optional.empty();
    }
    if (routes.configured().contains(name)) {
      return Optional.of(environment(name));
    }
    return rows(name).stream().findFirst().map(this::view);
  }

  private ConfiguredGateway environment(String name) {
    SmsGateway g = gateways.sms(name).orElseThrow(); // the environment's: always run
    String kind =
        switch (g) {
          case SmppSmsGateway s -> "smpp";
          case KannelSmsGateway k -> "kannel";
          case HttpProviderSmsGateway h -> "http";
          default -> name.equals("simulator") ? "simulator" : "other";
        };
    return new ConfiguredGateway(
        name, kind, "enabled", Map.of(), Set.of(), limits.of(name).maxPerSecond(), 0, true);
  }

  private ConfiguredGateway view(Row row) {
    Set<String> set = new LinkedHashSet<>();
    if (box.available() && row.secrets() != null) {
      try {
        secretsOf(row)
            .forEach((k, v) -> {
              if (v != null && !v.isEmpty()) {
                set.add(k);
              }
            });
      } catch (IllegalStateException e) {
        log.warn("Gateway {}: its secrets cannot be opened ({})", row.name(), e.getMessage());
      }
    }
    return new ConfiguredGateway(
        row.name(),
        row.kind(),
        row.state(),
        Map.copyOf(row.settings()),
        Set.copyOf(set),
        row.maxPerSecond(),
        row.version(),
        false);
  }

  // ---------------------------------------------------------------- storing

  void save(GatewayInput input) {
    boolean adding = input.version() == null;
    String name = input.name() == null ? "" : input.name().strip();
    String kind = input.kind() == null ? "" : input.kind().strip().toLowerCase(Locale.ROOT);
    List<FieldProblem> problems = new ArrayList<>();
    Row existing = null;
    if (adding) {
      if (!name.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
        problems.add(FieldProblem.of("name", "gateways.name.invalid"));
      } else if (routes.configured().contains(name) || !rows(name).isEmpty()) {
        problems.add(FieldProblem.of("name", "gateways.name.taken"));
      }
      if (!GatewayConsole.KINDS.contains(kind)) {
        problems.add(FieldProblem.of("kind", "gateways.kind.invalid"));
      }
    } else {
      existing = rows(name).stream().findFirst().orElse(null);
      if (existing == null || existing.state().equals("removing")) {
        throw new dev.herald.shared.NotFoundException("gateway " + name);
      }
      kind = existing.kind();
    }
    if (!problems.isEmpty() && !GatewayConsole.KINDS.contains(kind)) {
      throw new InvalidInputException(problems);
    }
    Map<String, String> clean = new TreeMap<>();
    for (String key : GatewayConsole.settingKeys(kind)) {
      String value = input.settings() == null ? null : input.settings().get(key);
      value = value == null ? "" : value.strip();
      if (!value.isEmpty()) {
        clean.put(key, value);
      }
    }
    checkSettings(kind, clean, problems);
    // PostgreSQL's jsonb refuses NUL and half surrogates: a form error, not a failed insert
    Set<String> refused = new java.util.HashSet<>();
    problems.forEach(p -> refused.add(p.field()));
    clean.forEach((key, value) -> {
      if (!refused.contains(key)) {
        dev.herald.shared.Text.problem(value, false)
            .ifPresent(code -> problems.add(FieldProblem.of(key, code)));
      }
    });
    Double rate = null;
    try {
      rate = Double.parseDouble(input.maxPerSecond() == null ? "" : input.maxPerSecond().strip());
      if (!(rate > 0 && rate <= 100_000) || rate.isNaN()) {
        problems.add(FieldProblem.of("max-per-second", "gateways.rate.invalid"));
      }
    } catch (NumberFormatException e) {
      problems.add(FieldProblem.of("max-per-second", "gateways.rate.invalid"));
    }
    // secrets: what is typed replaces what is stored; blank keeps it
    Map<String, String> stored = existing == null ? Map.of() : safeSecrets(existing);
    Map<String, String> secrets = new TreeMap<>(stored);
    boolean typedSecret = false;
    for (String key : GatewayConsole.secretKeys(kind)) {
      String typed = input.secrets() == null ? null : input.secrets().get(key);
      // only spaces is nothing typed (no password, key or secret is blank), so a field left as is
      if (typed != null && !typed.isBlank()) {
        typedSecret = true;
        if (!box.available()) {
          problems.add(FieldProblem.of(key, "gateways.secrets.noKey"));
          continue;
        }
        java.util.Optional<String> unfitSecret = dev.herald.shared.Text.problem(typed, false);
        if (unfitSecret.isPresent()) {
          problems.add(FieldProblem.of(key, unfitSecret.get()));
          continue;
        }
        secrets.put(key, typed);
        checkSecret(kind, key, typed, problems);
      } else if (!secrets.containsKey(key) && secretRequired(kind, key)) {
        problems.add(
            FieldProblem.of(
                key, box.available() ? "gateways.secret.required" : "gateways.secrets.noKey"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    // The adapter's own checks are the last word (they refuse with the key's name).
    String probeName = name.isEmpty() ? "gateway" : name;
    try {
      Map<String, String> all = new HashMap<>(clean);
      all.putAll(secrets);
      all.put("type", kind);
      build(probeName, kind, all, false);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          FieldProblem.of("kind", "gateways.settings.refused", e.getMessage()));
    }
    byte[] sealed =
        existing != null && !typedSecret
            ? existing.secrets()
            : secrets.isEmpty()
                ? null
                : box.seal(json.writeValueAsString(secrets), associated(name));
    java.time.Instant now = clock.instant();
    if (adding) {
      try {
        jdbc.sql(
                """
                INSERT INTO gateway_config (name, kind, state, settings, secrets, max_per_second,
                                            version, created_at, updated_at)
                VALUES (:name, :kind, 'enabled', :settings::jsonb, :secrets, :rate, 1, :now, :now)
                """)
            .param("name", name)
            .param("kind", kind)
            .param("settings", json.writeValueAsString(clean))
            .param("secrets", sealed, java.sql.Types.BINARY)
            .param("rate", rate)
            .param("now", Timestamp.from(now))
            .update();
      } catch (DuplicateKeyException raced) {
        throw new InvalidInputException(FieldProblem.of("name", "gateways.name.taken"));
      }
    } else {
      int n =
          jdbc.sql(
                  """
                  UPDATE gateway_config SET settings = :settings::jsonb, secrets = :secrets,
                         max_per_second = :rate, version = version + 1, updated_at = :now
                  WHERE name = :name AND version = :version AND state <> 'removing'
                  """)
              .param("name", name)
              .param("settings", json.writeValueAsString(clean))
              .param("secrets", sealed, java.sql.Types.BINARY)
              .param("rate", rate)
              .param("version", input.version())
              .param("now", Timestamp.from(now))
              .update();
      if (n == 0) {
        throw new StaleEditException("gateway " + name);
      }
    }
    log.info("Gateway {} ({}) {} on the console", name, kind, adding ? "added" : "changed");
    apply();
  }

  private Map<String, String> safeSecrets(Row row) {
    if (!box.available()) {
      return Map.of();
    }
    try {
      return secretsOf(row);
    } catch (IllegalStateException e) {
      return Map.of(); // a changed key: what is typed now replaces them
    }
  }

  private static boolean secretRequired(String kind, String key) {
    return !(kind.equals("smpp") && key.equals("password"));
  }

  private static void checkSecret(String kind, String key, String value, List<FieldProblem> p) {
    if (value.length() > 500) {
      p.add(FieldProblem.of(key, "gateways.secret.tooLong", 500));
    } else if (kind.equals("http") && key.equals("webhook-secret") && value.length() < 16) {
      p.add(FieldProblem.of(key, "gateways.secret.short", 16));
    } else if (kind.equals("kannel")
        && key.equals("secret")
        && !value.matches("[A-Za-z0-9_-]{16,200}")) {
      p.add(FieldProblem.of(key, "gateways.kannelSecret.invalid"));
    } else if (kind.equals("smpp") && value.length() > 8) {
      p.add(FieldProblem.of(key, "gateways.smppPassword.tooLong", 8));
    }
  }

  private static void checkSettings(String kind, Map<String, String> s, List<FieldProblem> p) {
    String perSender = s.get(GatewayConsole.PER_SENDER);
    if (perSender != null && perSender(perSender) == null) {
      p.add(FieldProblem.of(GatewayConsole.PER_SENDER, "gateways.perSender.invalid"));
    }
    switch (kind) {
      case "smpp" -> {
        String host = s.get("host");
        if (host == null) {
          p.add(FieldProblem.of("host", "gateways.host.required"));
        } else if (!host.matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
          p.add(FieldProblem.of("host", "gateways.host.invalid"));
        }
        integer(s, "port", 1, 65535, p);
        String systemId = s.get("system-id");
        if (systemId == null) {
          p.add(FieldProblem.of("system-id", "gateways.systemId.required"));
        } else if (systemId.length() > 15) {
          p.add(FieldProblem.of("system-id", "gateways.tooLong", 15));
        }
        if (s.getOrDefault("system-type", "").length() > 12) {
          p.add(FieldProblem.of("system-type", "gateways.tooLong", 12));
        }
        integer(s, "binds", 1, 64, p);
        integer(s, "window", 1, 1000, p);
        oneOf(s, "data-coding", List.of("gsm", "latin1", "ia5"), p);
        oneOf(s, "submit-id-format", List.of("text", "hex", "decimal"), p);
        oneOf(s, "receipt-id-format", List.of("text", "hex", "decimal"), p);
      }
      case "kannel" -> {
        url(s, "sendsms-url", p);
        url(s, "callback-url", p);
        if (s.get("username") == null) {
          p.add(FieldProblem.of("username", "gateways.username.required"));
        } else if (s.get("username").length() > 100) {
          p.add(FieldProblem.of("username", "gateways.tooLong", 100));
        }
        integer(s, "dlr-mask", 0, 31, p);
        if (s.getOrDefault("smsc-id", "").length() > 60) {
          p.add(FieldProblem.of("smsc-id", "gateways.tooLong", 60));
        }
      }
      case "http" -> {
        url(s, "url", p);
        String timeout = s.get("timeout");
        if (timeout != null) {
          // typed as seconds; stored (and shown again) as a duration, "10s"
          String digits =
              timeout.endsWith("s") ? timeout.substring(0, timeout.length() - 1) : timeout;
          int seconds = digits.matches("[0-9]{1,3}") ? Integer.parseInt(digits) : -1;
          if (seconds < 1 || seconds > 120) {
            p.add(FieldProblem.of("timeout", "gateways.range", 1, 120));
          } else {
            s.put("timeout", seconds + "s");
          }
        }
      }
      default -> {}
    }
  }

  /** A per-sender rate as typed: more than 0 and at most 1000 parts per second, else null. */
  private static Double perSender(String typed) {
    try {
      double rate = Double.parseDouble(typed.strip());
      return rate > 0 && rate <= 1000 ? rate : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void integer(
      Map<String, String> s, String key, int min, int max, List<FieldProblem> p) {
    String v = s.get(key);
    if (v == null) {
      return;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        p.add(FieldProblem.of(key, "gateways.range", min, max));
      }
    } catch (NumberFormatException e) {
      p.add(FieldProblem.of(key, "gateways.range", min, max));
    }
  }

  private static void oneOf(
      Map<String, String> s, String key, List<String> allowed, List<FieldProblem> p) {
    String v = s.get(key);
    if (v != null) {
      s.put(key, v.toLowerCase(Locale.ROOT));
      if (!allowed.contains(v.toLowerCase(Locale.ROOT))) {
        p.add(FieldProblem.of(key, "gateways.oneOf", String.join(", ", allowed)));
      }
    }
  }

  private static void url(Map<String, String> s, String key, List<FieldProblem> p) {
    String v = s.get(key);
    boolean ok = false;
    if (v != null && v.length() <= 500) {
      try {
        URI uri = URI.create(v);
        ok =
            ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                && uri.getHost() != null;
      } catch (IllegalArgumentException e) {
        ok = false;
      }
    }
    if (!ok) {
      p.add(FieldProblem.of(key, "gateways.url.invalid"));
    }
  }

  boolean setEnabled(String name, boolean enabled) {
    int n =
        jdbc.sql(
                """
                UPDATE gateway_config SET state = :state, version = version + 1, updated_at = :now
                WHERE name = :name AND state <> :state
                  AND (state <> 'removing' OR :state = 'enabled')
                """)
            .param("name", name)
            .param("state", enabled ? "enabled" : "disabled")
            .param("now", Timestamp.from(clock.instant()))
            .update();
    apply();
    return n > 0;
  }

  Optional<RemovalImpact> impact(String name) {
    if (name == null || rows(name).isEmpty()) {
      return Optional.empty();
    }
    Integer routesNaming =
        jdbc.sql(
                """
                SELECT (SELECT count(*) FROM gateway_route_company WHERE :name = ANY (gateways))
                     + (SELECT count(*) FROM gateway_route_country WHERE :name = ANY (gateways))
                """)
            .param("name", name)
            .query(Integer.class)
            .single();
    Waiting waiting = waiting(name);
    return Optional.of(
        new RemovalImpact(
            routesNaming == null ? 0 : routesNaming,
            waiting.inFlight(),
            waiting.awaitingReceipts(),
            waiting.receiptsUntil()));
  }

  /**
   * How long after a message's validity its receipt may still come: a carrier reports an expiry
   * once the validity has passed, and its report may take a while.
   */
  static final Duration RECEIPT_GRACE = Duration.ofHours(1);

  /**
   * What a gateway may still hear of: messages in flight on it or with an unknown outcome on it
   * (pinned to it until settled, or until their validity passes), and messages it took whose
   * delivery receipt has not come while it still may (until their validity and {@link
   * #RECEIPT_GRACE} have passed), with the time the last of those may come.
   */
  record Waiting(long inFlight, long awaitingReceipts, Instant receiptsUntil) {
    boolean none() {
      return inFlight == 0 && awaitingReceipts == 0;
    }
  }

  Waiting waiting(String name) {
    Long inFlight =
        jdbc.sql(
                """
                SELECT count(*) FROM outbound_message
                WHERE channel = 'sms' AND status IN ('queued', 'sending') AND gateway = :name
                  AND (status = 'sending' OR lease_until IS NOT NULL)
                """)
            .param("name", name)
            .query(Long.class)
            .single();
    // sent rows with a gateway id (what a receipt matches on): outbound_message_gateway_id_ix
    Instant now = clock.instant();
    record Awaiting(long count, Instant until) {}
    Awaiting awaiting =
        jdbc.sql(
                """
                SELECT count(*) AS n, max(coalesce(valid_until, sent_at + interval '1 day')) AS until
                FROM outbound_message
                WHERE gateway = :name AND gateway_message_id IS NOT NULL AND channel = 'sms'
                  AND status = 'sent' AND receipt_at IS NULL
                  AND coalesce(valid_until, sent_at + interval '1 day') > :cutoff
                """)
            .param("name", name)
            .param("cutoff", Timestamp.from(now.minus(RECEIPT_GRACE)))
            .query((rs, n) -> {
              Timestamp until = rs.getTimestamp("until");
              return new Awaiting(
                  rs.getLong("n"), until == null ? null : until.toInstant().plus(RECEIPT_GRACE));
            })
            .single();
    return new Waiting(inFlight == null ? 0 : inFlight, awaiting.count(), awaiting.until());
  }

  boolean remove(String name) {
    int n =
        jdbc.sql(
                """
                UPDATE gateway_config SET state = 'removing', version = version + 1,
                       updated_at = :now
                WHERE name = :name AND state <> 'removing'
                """)
            .param("name", name)
            .param("now", Timestamp.from(clock.instant()))
            .update();
    apply();
    return n > 0;
  }

  // ---------------------------------------------------------------- running

  private SmsGateway build(String name, String kind, Map<String, String> properties, boolean run) {
    return switch (kind) {
      case "smpp" -> {
        SmppSmsGateway g = SmppGateways.create(name, properties, inbox, clock);
        if (run) {
          g.start();
        }
        yield g;
      }
      case "kannel" -> KannelGateways.create(name, properties, inbox, clock);
      case "http" -> HttpProviderGateways.create(name, properties, inbox, clock);
      default -> throw new IllegalArgumentException("unknown gateway kind " + kind);
    };
  }

  private static void stop(SmsGateway gateway) {
    try {
      // HTTP and Kannel copies hold nothing but an idle client: answers in flight still come.
      if (gateway instanceof SmppSmsGateway s) {
        s.close();
      }
    } catch (RuntimeException e) {
      log.warn("Gateway {}: stopping it failed: {}", gateway.name(), e.toString());
    }
  }

  /**
   * Brings this node in line with the stored gateways: starts the new, restarts the changed, stops
   * the gone; tells routing which may take new messages; deletes the removed ones that no message
   * needs any more.
   */
  synchronized void apply() {
    if (closed) {
      return; // shutting down: a last refresh must not start what close() stopped
    }
    List<Row> rows = rows(null);
    Map<String, Row> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.put(r.name(), r));
    List<SmsGateway> toStop = new ArrayList<>();
    for (Row row : rows) {
      if (routes.configured().contains(row.name())) {
        continue; // the environment's gateway of that name wins
      }
      Live current = live.get(row.name());
      if (current != null && current.fingerprint().equals(row.fingerprint())) {
        continue;
      }
      try {
        Map<String, String> properties = new HashMap<>(row.settings());
        properties.putAll(secretsOf(row));
        properties.put("type", row.kind());
        SmsGateway gateway = build(row.name(), row.kind(), properties, true);
        live.put(row.name(), new Live(row.fingerprint(), gateway));
        health.track(row.name());
        if (current != null) {
          // the old copy may have submits in flight: stopped once their answers are due, so they
          // are answered (not made unknown outcomes, to be sent again after the window)
          retiring.add(
              new Retiring(
                  current.gateway(),
                  System.nanoTime() + settings.submitTimeout().plusSeconds(2).toNanos()));
        }
        log.info(
            "Gateway {} ({}): {}",
            row.name(),
            row.kind(),
            current == null ? "started" : "restarted");
        failing.remove(row.name());
      } catch (RuntimeException e) {
        if (!row.fingerprint().equals(failing.put(row.name(), row.fingerprint()))) {
          log.warn("Gateway {}: this node cannot run it: {}", row.name(), e.getMessage());
        }
      }
    }
    for (var it = live.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!byName.containsKey(entry.getKey())) {
        toStop.add(entry.getValue().gateway());
        it.remove();
        log.info("Gateway {}: stopped (removed on the console)", entry.getKey());
      }
    }
    Map<String, SmsGateway> running = new HashMap<>();
    Map<String, HttpProviderSmsGateway> httpRunning = new HashMap<>();
    Map<String, KannelSmsGateway> kannelRunning = new HashMap<>();
    Map<String, GatewaySettings> rates = new HashMap<>();
    Set<String> routable = new LinkedHashSet<>();
    Set<String> draining = new LinkedHashSet<>();
    live.forEach((name, l) -> {
      running.put(name, l.gateway());
      if (l.gateway() instanceof HttpProviderSmsGateway h) {
        httpRunning.put(name, h);
      } else if (l.gateway() instanceof KannelSmsGateway k) {
        kannelRunning.put(name, k);
      }
      Row row = byName.get(name);
      rates.put(
          name,
          new GatewaySettings(
                  row.maxPerSecond(),
                  null,
                  row.settings().containsKey(GatewayConsole.PER_SENDER)
                      ? perSender(row.settings().get(GatewayConsole.PER_SENDER))
                      : null,
                  null,
                  null)
              .overriding(settings.gateway(name)));
      if (row.state().equals("enabled")) {
        routable.add(name);
      } else {
        draining.add(name);
      }
    });
    limits.useConsole(rates);
    gateways.useConsole(running);
    http.useConsole(httpRunning);
    kannel.useConsole(kannelRunning);
    routes.useConsole(routable, draining);
    toStop.forEach(ConsoleGateways::stop);
    long now = System.nanoTime();
    retiring.removeIf(r -> {
      if (now - r.stopAt() < 0) {
        return false;
      }
      stop(r.gateway());
      return true;
    });
    // Deleted once no message needs it, and no sooner than every node has had a refresh to stop
    // routing to it: until then another node may still send there, and what it sends must count.
    Timestamp settled = Timestamp.from(clock.instant().minus(removalGrace));
    for (Row row : rows) {
      // kept receiving (binds, callbacks) until nothing of it can still be heard of
      if (row.state().equals("removing") && waiting(row.name()).none()) {
        jdbc.sql(
                "DELETE FROM gateway_config WHERE name = :name AND version = :version"
                    + " AND updated_at <= :settled")
            .param("name", row.name())
            .param("version", row.version())
            .param("settled", settled)
            .update();
      }
    }
  }

  /** Stops every console gateway of this node (shutdown). */
  synchronized void close() {
    closed = true;
    live.values().forEach(l -> stop(l.gateway()));
    live.clear();
    retiring.forEach(r -> stop(r.gateway()));
    retiring.clear();
  }
}
