package dev.herald.delivery.internal;

import dev.herald.delivery.Channel;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.delivery.gateway.SubmitResult.Accepted;
import dev.herald.delivery.gateway.SubmitResult.PermanentFailure;
import dev.herald.delivery.gateway.SubmitResult.TransientFailure;
import dev.herald.delivery.gateway.SubmitResult.Unknown;
import dev.herald.delivery.internal.DeliverySettings.GatewaySettings;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claim and record, each one Spring-managed transaction on the pool ({@link TransactionTemplate}),
 * so that what another module does while recording (billing's capture and release) joins it and
 * commits or rolls back with it. No connection is held between the two: the gateway is called in
 * between, outside any transaction.
 */
final class DispatchStore {

  private static final Logger log = LoggerFactory.getLogger(DispatchStore.class);

  /** Between the gateway ids of one message's parts on their way into SQL (see MARK_SENT). */
  private static final String ID_SEPARATOR = "\u001F";

  /** How often a record that failed for a passing reason is tried again before its lease lapses. */
  private static final List<Duration> RECORD_RETRIES =
      List.of(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(3));

  /** The claim's decision for a row whose sender has no token left this instant. */
  static final String SENDER_WAIT = "sender_wait";

  /**
   * The claim's decision for a row routed to a gateway with no token left this instant: it is put
   * back as it was (not an attempt), and goes with a later claim.
   */
  static final String GATEWAY_WAIT = "gateway_wait";

  /** A claimed row: what the gateway needs, and which attempt this is. */
  record Claimed(
      TenantId tenant,
      UUID id,
      String recipient,
      String subject,
      String body,
      String encoding,
      int segments,
      int attempt,
      String sender,
      Instant validUntil,
      String kind,
      List<SenderAddresses.Number> senderNumbers,
      String priorNode,
      String priorGateway,
      String replyFrom,
      String replyGateway) {}

  /**
   * One claim: the rows to submit under one lease, the other decisions taken (cancelled, expired,
   * lapsed, ...) counted by kind, and the parts the rows to submit will use.
   */
  record Claim(
      Channel channel,
      String gateway,
      Instant startedAt,
      Instant leaseUntil,
      List<Claimed> toSubmit,
      Map<String, Integer> decisions,
      int partsUsed,
      List<Route> routes,
      Map<UUID, dev.herald.delivery.gateway.SourceAddress> sources,
      Instant senderWaitUntil) {

    boolean isEmpty() {
      return toSubmit.isEmpty() && decisions.isEmpty();
    }

    /** This claim without the rows to submit at these indexes (put back after the claim). */
    Claim without(Set<Integer> indexes) {
      List<Claimed> kept = new ArrayList<>();
      List<Route> keptRoutes = new ArrayList<>();
      for (int i = 0; i < toSubmit.size(); i++) {
        if (!indexes.contains(i)) {
          kept.add(toSubmit.get(i));
          if (!routes.isEmpty()) {
            keptRoutes.add(routes.get(i));
          }
        }
      }
      int parts = kept.stream().mapToInt(c -> Math.max(1, c.segments())).sum();
      return new Claim(
          channel,
          gateway,
          startedAt,
          leaseUntil,
          List.copyOf(kept),
          decisions,
          parts,
          List.copyOf(keptRoutes),
          sources,
          senderWaitUntil);
    }

    /** Nothing to do but wait for senders' tokens. */
    boolean onlySenderWaits() {
      return toSubmit.isEmpty() && decisions.keySet().equals(java.util.Set.of(SENDER_WAIT));
    }

    /** Nothing to do but wait for tokens of the gateways its rows were routed to (or senders'). */
    boolean onlyGatewayWaits() {
      return toSubmit.isEmpty()
          && decisions.containsKey(GATEWAY_WAIT)
          && java.util.Set.of(SENDER_WAIT, GATEWAY_WAIT).containsAll(decisions.keySet());
    }
  }

  /**
   * The gateway a claimed SMS goes by (routing, G2), and the result decided without submitting it
   * (null: submit it), e.g. when every gateway of its route refused it; whether its breaker let it
   * through (its answer then counts), and the other gateways of its route that may still take it.
   */
  record Route(String gateway, SubmitResult decided, boolean permitted, List<String> others) {

    Route(String gateway, SubmitResult decided) {
      this(gateway, decided, false, List.of());
    }
  }

  /** Chooses the gateway of each claimed SMS, inside the claim's transaction. */
  interface Router {
    List<Route> route(List<Claimed> claimed);

    /** A routed row was put back unsubmitted: gives back what choosing its gateway took. */
    default void unrouted(Route route) {}
  }

  /**
   * What recording did: rows recorded, rows whose lease or attempt this node no longer held (lost),
   * rows recorded one by one after their batch was refused, rows that could not be recorded even
   * alone, and when the retries it scheduled are due.
   */
  record Recorded(int recorded, int lost, int alone, int unrecordable, List<Instant> retryTimes) {}

  private record Outcome(
      Claimed message,
      String outcome,
      String code,
      String text,
      String status,
      String reason,
      Instant next) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final DeliverySettings settings;
  private final Clock clock;
  private final CreditSettlements credits;
  private volatile Router router;
  private volatile GatewayLimits limits;
  private volatile SenderLimits senders;

  DispatchStore(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      DeliverySettings settings,
      Clock clock,
      CreditSettlements credits) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.settings = settings;
    this.clock = clock;
    this.credits = credits;
  }

  /** From now on, claimed SMS go by the gateways this router chooses (else the lane's). */
  void routeSmsWith(Router router, GatewayLimits limits) {
    this.router = router;
    this.limits = limits;
  }

  /** From now on, routed SMS take per-sender tokens by the address they go from (G2, V106). */
  void limitSendersWith(SenderLimits senders) {
    this.senders = senders;
  }

  private GatewaySettings limitsOf(String gateway) {
    GatewayLimits l = limits;
    return l == null ? settings.gateway(gateway) : l.of(gateway);
  }

  Claim claim(
      Channel channel,
      String gateway,
      GatewaySettings gatewaySettings,
      int budget,
      AtomicReference<UUID> cursor) {
    Instant now = micros(clock.instant());
    Instant leaseUntil = now.plus(settings.lease());
    Instant unknownUntil = now.plus(gatewaySettings.window());
    UUID from = cursor.get();
    List<Claimed> toSubmit = new ArrayList<>();
    List<Route> routes = new ArrayList<>();
    Map<String, Integer> decisions = new TreeMap<>();
    AtomicReference<SenderLimits.Taken> senderTokens =
        new AtomicReference<>(SenderLimits.Taken.NONE);
    // routed SMS take senders' tokens after routing (SenderLimits), by the address each goes from
    boolean sendersAfterRouting = channel == Channel.SMS && router != null && senders != null;
    transactions.executeWithoutResult(tx -> {
      List<Map<String, Object>> cancelled = new ArrayList<>();
      List<CreditSettlements.Finished> finished = new ArrayList<>();
      jdbc.sql(DispatchSql.CLAIM)
          .param("channel", channel.code())
          .param("now", Timestamp.from(now))
          .param("cursor", from)
          // A claim never looks at more companies than its budget can serve: with a small budget
          // (a rate-limited gateway) the round robin then moves by the companies it served.
          .param("maxTenants", Math.min(settings.batchSize(), budget))
          .param("batch", Math.min(settings.batchSize(), budget))
          .param("budget", budget)
          .param("maxLapses", settings.maxLeaseLapses())
          .param("unknownPolicy", gatewaySettings.policy())
          .param("leaseUntil", Timestamp.from(leaseUntil))
          .param("leaseSeconds", settings.lease().toMillis() / 1000.0)
          .param("unknownUntil", Timestamp.from(unknownUntil))
          .param("node", settings.nodeId())
          .param("gateway", gateway)
          .param("defaultSender", settings.sms().defaultSender())
          .query(rs -> {
            UUID next = rs.getObject("next_cursor", UUID.class);
            if (next != null) {
              cursor.compareAndSet(from, next);
            }
            String decision = rs.getString("decision");
            if (decision.equals("submit")) {
              toSubmit.add(
                  new Claimed(
                      new TenantId(rs.getObject("tenant_id", UUID.class)),
                      rs.getObject("id", UUID.class),
                      rs.getString("recipient"),
                      rs.getString("subject"),
                      rs.getString("body"),
                      rs.getString("encoding"),
                      rs.getInt("segments"),
                      rs.getInt("attempts"),
                      rs.getString("sender_name"),
                      validUntil(rs.getTimestamp("valid_until")),
                      rs.getString("kind"),
                      SenderAddresses.numbers(rs.getArray("numbers")),
                      rs.getString("prior_node"),
                      rs.getString("prior_gateway"),
                      rs.getString("reply_from"),
                      rs.getString("reply_gateway")));
            } else {
              decisions.merge(decision, 1, Integer::sum);
              if (rs.getString("channel") != null) {
                finished.add(CreditSettlements.finished(rs, 0));
              }
              if (decision.equals("cancel")) {
                cancelled.add(
                    Map.of(
                        "tenant_id", rs.getObject("tenant_id", UUID.class),
                        "id", rs.getObject("id", UUID.class),
                        "recipient", rs.getString("recipient"),
                        "cancel_requested", rs.getString("cancel_requested")));
              }
            }
          });
      routes.addAll(route(channel, gateway, toSubmit, now));
      if (sendersAfterRouting && !toSubmit.isEmpty()) {
        SenderLimits.Taken taken =
            senders.take(toSubmit, routes, this::limitsOf, now, router::unrouted);
        senderTokens.set(taken);
        if (taken.deferred() > 0) {
          decisions.merge(SENDER_WAIT, taken.deferred(), Integer::sum);
        }
      }
      int waiting = channel == Channel.SMS ? takeGatewayTokens(toSubmit, routes) : 0;
      if (waiting > 0) {
        decisions.merge(GATEWAY_WAIT, waiting, Integer::sum);
      }
      maskDeletedContacts(cancelled, now);
      // Cancelled, stopped, suppressed or expired before a carrier took them: credit back (or
      // captured, where an earlier attempt may have reached one), with the decision.
      credits.settle(finished);
    });
    int parts = toSubmit.stream().mapToInt(c -> Math.max(1, c.segments())).sum();
    if (decisions.keySet().stream()
        .anyMatch(d -> !d.equals(SENDER_WAIT) && !d.equals(GATEWAY_WAIT))) {
      log.info("Dispatch claim ({}): {}", channel.code(), decisions);
    }
    return new Claim(
        channel,
        gateway,
        now,
        leaseUntil,
        List.copyOf(toSubmit),
        Map.copyOf(decisions),
        parts,
        List.copyOf(routes),
        Map.copyOf(senderTokens.get().sources()),
        senderTokens.get().firstDue());
  }

  /**
   * The gateway of each claimed row: the router's choice for SMS (written on the row in the claim's
   * transaction, so that the row says which gateway may have it before anything is submitted), else
   * the lane's.
   */
  private List<Route> route(Channel channel, String gateway, List<Claimed> claimed, Instant now) {
    Router r = router;
    if (channel != Channel.SMS || r == null || claimed.isEmpty()) {
      return claimed.stream().map(c -> new Route(gateway, null)).toList();
    }
    List<Route> routes = r.route(claimed);
    List<Integer> moved = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i++) {
      if (!routes.get(i).gateway().equals(gateway)) {
        moved.add(i);
      }
    }
    if (!moved.isEmpty()) {
      jdbc.sql(
              """
              UPDATE outbound_message m SET gateway = r.gateway
              FROM unnest(:tenants::uuid[], :ids::uuid[], :gateways::text[]) AS r(tenant_id, id, gateway)
              WHERE m.tenant_id = r.tenant_id AND m.id = r.id
              """)
          .param(
              "tenants",
              moved.stream().map(i -> claimed.get(i).tenant().value()).toArray(UUID[]::new))
          .param("ids", moved.stream().map(i -> claimed.get(i).id()).toArray(UUID[]::new))
          .param(
              "gateways", moved.stream().map(i -> routes.get(i).gateway()).toArray(String[]::new))
          .update();
    }
    return routes;
  }

  /**
   * Each routed gateway's own token bucket (routing, G2): takes the parts of the rows routed to it,
   * inside the claim's transaction (buckets locked in name order, so claims never deadlock), and
   * puts back, as they were before the claim, the rows its tokens do not cover. A row starts while
   * its gateway has a token (one longer than what is left leaves the bucket owing). Removes those
   * rows (and their routes) from the lists; returns how many it put back.
   */
  private int takeGatewayTokens(List<Claimed> toSubmit, List<Route> routes) {
    if (limits == null || router == null || routes.isEmpty()) {
      return 0; // not routed: the lane took its gateway's tokens before the claim
    }
    Map<String, Integer> wanted = new TreeMap<>();
    for (int i = 0; i < toSubmit.size(); i++) {
      if (routes.get(i).decided() == null) {
        wanted.merge(
            routes.get(i).gateway(), Math.max(1, toSubmit.get(i).segments()), Integer::sum);
      }
    }
    Map<String, Integer> granted = new java.util.HashMap<>();
    for (var w : wanted.entrySet()) {
      GatewaySettings limit = limitsOf(w.getKey());
      if (limit.maxPerSecond() <= 0) {
        granted.put(w.getKey(), Integer.MAX_VALUE);
        continue;
      }
      granted.put(
          w.getKey(),
          jdbc.sql("SELECT take_gateway_tokens(:gateway, :wanted, :rate, :burst)")
              .param("gateway", w.getKey())
              .param("wanted", w.getValue())
              .param("rate", limit.maxPerSecond())
              .param("burst", limit.effectiveBurst())
              .query(Integer.class)
              .single());
    }
    Map<String, Integer> used = new java.util.HashMap<>();
    List<Integer> deferred = new ArrayList<>();
    for (int i = 0; i < toSubmit.size(); i++) {
      Route route = routes.get(i);
      if (route.decided() != null) {
        continue;
      }
      int cost = Math.max(1, toSubmit.get(i).segments());
      int before = used.getOrDefault(route.gateway(), 0);
      if (before < granted.get(route.gateway())) {
        used.put(route.gateway(), before + cost);
      } else {
        deferred.add(i);
      }
    }
    for (var g : granted.entrySet()) {
      int u = used.getOrDefault(g.getKey(), 0);
      if (g.getValue() != Integer.MAX_VALUE && u != g.getValue()) {
        GatewaySettings limit = limitsOf(g.getKey());
        jdbc.sql(
                "UPDATE gateway_rate_limit SET tokens = greatest(0, least(:burst, tokens + :delta))"
                    + " WHERE gateway = :gateway")
            .param("burst", limit.effectiveBurst())
            .param("delta", g.getValue() - u)
            .param("gateway", g.getKey())
            .update();
      }
    }
    if (deferred.isEmpty()) {
      return 0;
    }
    putBack(jdbc, deferred.stream().map(toSubmit::get).toList(), null);
    for (int k = deferred.size() - 1; k >= 0; k--) {
      int i = deferred.get(k);
      if (routes.get(i).permitted()) {
        router.unrouted(routes.get(i));
      }
      toSubmit.remove(i);
      routes.remove(i);
    }
    return deferred.size();
  }

  /**
   * Puts claimed rows back exactly as they were before their claim (not an attempt): the attempt
   * count, the lease (none: only rows without one are submitted), and the node and gateway of their
   * earlier attempt, so that a late answer of that attempt is still taken ({@code LEASE_HELD},
   * {@code ReceiptSql.LATE_ACCEPTED}). {@code dueAt} (null: unchanged) moves each row's due time.
   * Inside the claim's transaction, where its lock is held.
   */
  static void putBack(JdbcClient jdbc, List<Claimed> rows, List<Instant> dueAt) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            UPDATE outbound_message m
            SET attempts = m.attempts - 1, lease_until = NULL, claimed_by = r.node, gateway = r.gateway,
                next_attempt_at = coalesce(r.due, m.next_attempt_at)
            FROM unnest(:tenants::uuid[], :ids::uuid[], :nodes::text[], :gateways::text[],
                        :dues::timestamptz[]) AS r(tenant_id, id, node, gateway, due)
            WHERE m.tenant_id = r.tenant_id AND m.id = r.id
            """)
        .param("tenants", rows.stream().map(c -> c.tenant().value()).toArray(UUID[]::new))
        .param("ids", rows.stream().map(Claimed::id).toArray(UUID[]::new))
        .param("nodes", rows.stream().map(Claimed::priorNode).toArray(String[]::new))
        .param("gateways", rows.stream().map(Claimed::priorGateway).toArray(String[]::new))
        .param(
            "dues",
            dueAt == null
                ? new Timestamp[rows.size()]
                : dueAt.stream().map(Timestamp::from).toArray(Timestamp[]::new))
        .update();
  }

  /**
   * Puts back, after the claim committed, rows of it that were not handed to any gateway, exactly
   * as they were before the claim (as {@link #putBack}), while this node still holds their lease
   * and attempt; returns how many it put back (the others' leases had passed on).
   */
  int putBackUnsent(Claim claim, List<Claimed> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    Integer put =
        transactions.execute(tx ->
            jdbc.sql(
                    """
                    UPDATE outbound_message m
                    SET attempts = m.attempts - 1, lease_until = NULL, claimed_by = r.prior_node,
                        gateway = r.prior_gateway, updated_at = :now
                    FROM unnest(:tenants::uuid[], :ids::uuid[], :attempts::integer[], :nodes::text[],
                                :gateways::text[]) AS r(tenant_id, id, attempt, prior_node, prior_gateway)
                    WHERE m.tenant_id = r.tenant_id AND m.id = r.id AND m.attempts = r.attempt
                      AND m.claimed_by = :node AND m.lease_until = :leaseUntil
                    """)
                .param("tenants", rows.stream().map(c -> c.tenant().value()).toArray(UUID[]::new))
                .param("ids", rows.stream().map(Claimed::id).toArray(UUID[]::new))
                .param("attempts", rows.stream().map(Claimed::attempt).toArray(Integer[]::new))
                .param("nodes", rows.stream().map(Claimed::priorNode).toArray(String[]::new))
                .param("gateways", rows.stream().map(Claimed::priorGateway).toArray(String[]::new))
                .param("now", Timestamp.from(micros(clock.instant())))
                .param("node", settings.nodeId())
                .param("leaseUntil", Timestamp.from(claim.leaseUntil()))
                .update());
    return put == null ? 0 : put;
  }

  /**
   * Records the outcomes of a claim in one transaction. When PostgreSQL refuses the batch (one bad
   * row), each row is recorded in a transaction of its own, and a row refused even alone is failed
   * with the reason; the others stay recorded.
   */
  Recorded record(Claim claim, List<SubmitResult> results, GatewaySettings gatewaySettings) {
    Instant now = micros(clock.instant());
    List<Claimed> sent = new ArrayList<>();
    List<String> sentIds = new ArrayList<>();
    List<Outcome> others = new ArrayList<>();
    List<Instant> retries = new ArrayList<>();
    for (int i = 0; i < claim.toSubmit().size(); i++) {
      Claimed m = claim.toSubmit().get(i);
      String routed = claim.routes().isEmpty() ? claim.gateway() : claim.routes().get(i).gateway();
      switch (results.get(i)) {
        case Accepted accepted -> {
          sent.add(m);
          sentIds.add(String.join(ID_SEPARATOR, accepted.gatewayMessageIds()));
        }
        case TransientFailure f -> {
          if (m.attempt() >= settings.maxAttempts()) {
            others.add(
                new Outcome(
                    m,
                    "TRANSIENT_FAILURE",
                    f.code(),
                    f.message(),
                    "failed",
                    "gave up after " + m.attempt() + " attempts: " + f.message(),
                    null));
          } else {
            // handed to the next gateway of its route: at once (routing, G2)
            Duration delay =
                GatewayRoutes.REFUSED.equals(f.code()) || GatewayRoutes.DOWN.equals(f.code())
                    ? Duration.ZERO
                    : Backoff.delay(
                        m.attempt(),
                        settings.backoffBase(),
                        settings.backoffMax(),
                        ThreadLocalRandom.current());
            Instant next = micros(now.plus(delay));
            retries.add(next);
            others.add(
                new Outcome(
                    m,
                    "TRANSIENT_FAILURE",
                    f.code(),
                    f.message(),
                    "queued",
                    "retrying after a transient failure: " + f.message(),
                    next));
          }
        }
        case PermanentFailure f ->
            others.add(
                new Outcome(
                    m, "PERMANENT_FAILURE", f.code(), f.message(), "failed", f.message(), null));
        case Unknown u ->
            others.add(
                new Outcome(
                    m,
                    "UNKNOWN",
                    u.code(),
                    u.message(),
                    "sending",
                    "outcome unknown",
                    micros(
                        now.plus(
                            routed.equals(claim.gateway())
                                ? gatewaySettings.window()
                                : limitsOf(routed).window()))));
      }
    }
    int expected = sent.size() + others.size();
    for (int round = 0; ; round++) {
      try {
        int recorded =
            recording(
                claim,
                ended ->
                    markSent(claim, sent, sentIds, now, ended)
                        + recordOthers(claim, others, now, ended));
        if (recorded < expected) {
          log.warn(
              "Dispatch ({}): {} of {} outcome(s) not recorded: their lease or attempt had passed"
                  + " to another node",
              claim.channel().code(),
              expected - recorded,
              expected);
        }
        return new Recorded(recorded, expected - recorded, 0, 0, retries);
      } catch (DataIntegrityViolationException batchRefused) {
        log.warn(
            "Dispatch ({}): the database refused the record of a batch of {} ({}); recording one"
                + " by one",
            claim.channel().code(),
            expected,
            rootMessage(batchRefused));
        return recordOneByOne(claim, sent, sentIds, others, now, retries);
      } catch (DataAccessException | TransactionException passing) {
        // A dropped connection, a deadlock, a pool that had no connection in time: the statements
        // are guarded by the lease, so trying again is safe; after the last try the lease lapses
        // into an unknown outcome rather than a wrong one.
        if (round >= RECORD_RETRIES.size()) {
          throw passing;
        }
        log.warn(
            "Dispatch ({}): recording a batch of {} failed ({}); trying again",
            claim.channel().code(),
            expected,
            rootMessage(passing));
        sleep(RECORD_RETRIES.get(round));
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording", e);
    }
  }

  private Recorded recordOneByOne(
      Claim claim,
      List<Claimed> sent,
      List<String> sentIds,
      List<Outcome> others,
      Instant now,
      List<Instant> retries) {
    int recorded = 0;
    int lost = 0;
    int unrecordable = 0;
    Set<UUID> failedAlone = new HashSet<>();
    for (int i = 0; i < sent.size(); i++) {
      List<Claimed> one = List.of(sent.get(i));
      List<String> ids = List.of(sentIds.get(i));
      try {
        int n = recording(claim, ended -> markSent(claim, one, ids, now, ended));
        recorded += n;
        lost += 1 - n;
      } catch (DataIntegrityViolationException e) {
        failedAlone.add(sent.get(i).id());
        if (failAlone(
            claim,
            new Outcome(
                sent.get(i),
                "SUBMITTED",
                "UNRECORDABLE",
                rootMessage(e),
                "failed",
                "accepted by the gateway, but its record was refused: " + rootMessage(e),
                null),
            now)) {
          recorded++;
        } else {
          unrecordable++;
        }
      }
    }
    for (Outcome o : others) {
      try {
        int n = recording(claim, ended -> recordOthers(claim, List.of(o), now, ended));
        recorded += n;
        lost += 1 - n;
      } catch (DataIntegrityViolationException e) {
        failedAlone.add(o.message().id());
        Outcome failed =
            new Outcome(
                o.message(),
                o.outcome(),
                "UNRECORDABLE",
                rootMessage(e),
                "failed",
                "its outcome could not be recorded: " + rootMessage(e),
                null);
        if (failAlone(claim, failed, now)) {
          recorded++;
        } else {
          unrecordable++;
        }
      }
    }
    if (!failedAlone.isEmpty()) {
      log.warn("Dispatch: message(s) {} failed because their record was refused", failedAlone);
    }
    return new Recorded(recorded, lost, sent.size() + others.size(), unrecordable, retries);
  }

  private boolean failAlone(Claim claim, Outcome failed, Instant now) {
    try {
      return recording(claim, ended -> recordOthers(claim, List.of(failed), now, ended)) == 1;
    } catch (DataAccessException e) {
      log.error(
          "Dispatch: message {} could not be recorded even as failed ({}); its lease will lapse",
          failed.message().id(),
          rootMessage(e));
      return false;
    }
  }

  /**
   * One record transaction: the statements, then the credit of the SMS they ended, settled once for
   * the transaction (one capture, one usage row per company), committed or rolled back together.
   */
  private int recording(
      Claim claim, java.util.function.Function<List<CreditSettlements.Finished>, Integer> work) {
    return transactions.execute(tx -> {
      List<CreditSettlements.Finished> ended = new ArrayList<>();
      int n = work.apply(ended);
      if (claim.channel() == Channel.SMS) {
        credits.settle(ended);
      }
      return n;
    });
  }

  private int markSent(
      Claim claim,
      List<Claimed> sent,
      List<String> gatewayIds,
      Instant now,
      List<CreditSettlements.Finished> ended) {
    if (sent.isEmpty()) {
      return 0;
    }
    int n = sent.size();
    UUID[] tenants = new UUID[n];
    UUID[] ids = new UUID[n];
    Integer[] attempts = new Integer[n];
    for (int i = 0; i < n; i++) {
      tenants[i] = sent.get(i).tenant().value();
      ids[i] = sent.get(i).id();
      attempts[i] = sent.get(i).attempt();
    }
    List<Map<String, Object>> rows =
        jdbc.sql(DispatchSql.MARK_SENT)
            .param("tenants", tenants)
            .param("ids", ids)
            .param("attempts", attempts)
            .param("gatewayIds", gatewayIds.toArray(String[]::new))
            .param("now", Timestamp.from(now))
            .param("node", settings.nodeId())
            .param("leaseUntil", Timestamp.from(claim.leaseUntil()))
            .query()
            .listOfRows();
    for (Map<String, Object> row : rows) {
      ended.add(
          new CreditSettlements.Finished(
              new TenantId((UUID) row.get("tenant_id")), (UUID) row.get("id"), 0, true));
    }
    return maskDeletedContacts(rows, now);
  }

  /**
   * A message of a contact deleted while a gateway had it is masked once it is done (the deletion
   * could not mask it then). Returns how many rows were recorded.
   */
  private int maskDeletedContacts(List<Map<String, Object>> rows, Instant now) {
    Map<UUID, List<Map.Entry<UUID, String>>> byTenant = new java.util.HashMap<>();
    for (Map<String, Object> row : rows) {
      if (dev.herald.delivery.OutboundMessages.CONTACT_DELETED.equals(
          row.get("cancel_requested"))) {
        byTenant
            .computeIfAbsent((UUID) row.get("tenant_id"), t -> new ArrayList<>())
            .add(Map.entry((UUID) row.get("id"), (String) row.get("recipient")));
      }
    }
    byTenant.forEach((tenant, recipients) ->
        RecipientMasking.mask(jdbc, new TenantId(tenant), recipients, Timestamp.from(now)));
    return rows.size();
  }

  private int recordOthers(
      Claim claim, List<Outcome> others, Instant now, List<CreditSettlements.Finished> ended) {
    if (others.isEmpty()) {
      return 0;
    }
    int n = others.size();
    UUID[] tenants = new UUID[n];
    UUID[] ids = new UUID[n];
    Integer[] attempts = new Integer[n];
    String[] outcomes = new String[n];
    String[] codes = new String[n];
    String[] messages = new String[n];
    String[] statuses = new String[n];
    String[] reasons = new String[n];
    String[] nexts = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome o = others.get(i);
      tenants[i] = o.message().tenant().value();
      ids[i] = o.message().id();
      attempts[i] = o.message().attempt();
      outcomes[i] = o.outcome();
      codes[i] = o.code();
      messages[i] = o.text();
      statuses[i] = o.status();
      reasons[i] = o.reason();
      nexts[i] = o.next() == null ? null : o.next().toString();
    }
    List<Map<String, Object>> rows =
        jdbc.sql(DispatchSql.RECORD_OUTCOMES)
            .param("tenants", tenants)
            .param("ids", ids)
            .param("attempts", attempts)
            .param("outcomes", outcomes)
            .param("codes", codes)
            .param("messages", messages)
            .param("statuses", statuses)
            .param("reasons", reasons)
            .param("nexts", nexts)
            .param("now", Timestamp.from(now))
            .param("startedAt", Timestamp.from(claim.startedAt()))
            .param("node", settings.nodeId())
            .param("leaseUntil", Timestamp.from(claim.leaseUntil()))
            .query()
            .listOfRows();
    for (Map<String, Object> row : rows) {
      if (ENDED.contains((String) row.get("status"))) {
        ended.add(
            new CreditSettlements.Finished(
                new TenantId((UUID) row.get("tenant_id")),
                (UUID) row.get("id"),
                ((Number) row.get("segments")).intValue(),
                Boolean.TRUE.equals(row.get("maybe_accepted"))));
      }
    }
    return maskDeletedContacts(rows, now);
  }

  /** The statuses a record can end a message in (retries and unknown outcomes go on). */
  private static final Set<String> ENDED = Set.of("failed", "cancelled", "expired");

  private static Instant validUntil(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /**
   * The attachments of claimed e-mails (issue 11: a document's PDF), by message id; one query for
   * the batch, and none at all when no row of the batch has any.
   */
  java.util.Map<UUID, List<dev.herald.delivery.OutboundAttachment>> attachments(
      List<Claimed> claimed) {
    java.util.Map<UUID, List<dev.herald.delivery.OutboundAttachment>> found =
        new java.util.HashMap<>();
    if (claimed.isEmpty()) {
      return found;
    }
    UUID[] tenants = claimed.stream().map(c -> c.tenant().value()).toArray(UUID[]::new);
    UUID[] ids = claimed.stream().map(Claimed::id).toArray(UUID[]::new);
    jdbc.sql(
            """
            SELECT a.message_id, a.filename, a.content_type, a.content
            FROM outbound_attachment a
            JOIN unnest(:tenants::uuid[], :ids::uuid[]) AS c(tenant_id, id)
              ON a.tenant_id = c.tenant_id AND a.message_id = c.id
            ORDER BY a.message_id, a.position
            """)
        .param("tenants", tenants)
        .param("ids", ids)
        .query(rs -> {
          found
              .computeIfAbsent(rs.getObject("message_id", UUID.class), id -> new ArrayList<>())
              .add(
                  new dev.herald.delivery.OutboundAttachment(
                      rs.getString("filename"),
                      rs.getString("content_type"),
                      rs.getBytes("content")));
        });
    return found;
  }

  /** PostgreSQL keeps microseconds: a lease compared for equality must be stored as it is read. */
  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null
        ? root.getClass().getSimpleName()
        : message.lines().findFirst().orElse("");
  }
}
