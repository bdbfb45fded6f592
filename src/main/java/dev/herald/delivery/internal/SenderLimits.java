package dev.herald.delivery.internal;

import dev.herald.delivery.gateway.SourceAddress;
import dev.herald.delivery.internal.DeliverySettings.GatewaySettings;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Per-sender rate limits (a long number takes about one part per second, G2): a token bucket per
 * routed gateway and per source address an SMS actually goes from, the number or name {@link
 * SenderAddresses} chooses for it on that gateway, not the company's sender name. So two companies
 * sharing a number share its bucket, and a company that sends from a number to one country and from
 * its name to another has a bucket for each.
 *
 * <p>Runs inside the claim's transaction, after routing: the source is chosen per gateway there
 * (and handed on to the submit, so the address counted is the address used). Buckets are locked in
 * (gateway, sender) order, so claims never deadlock. A row its sender's bucket cannot cover now is
 * put back (not an attempt) and due again at its turn: after the last row already waiting for that
 * sender ({@code sender_rate_limit.scheduled_until}, V106), one part per 1/rate seconds, so a long
 * queue from one number is not claimed over and over while it waits.
 */
final class SenderLimits {

  /** What taking senders' tokens decided for a claim. */
  record Taken(Map<UUID, SourceAddress> sources, int deferred, Instant firstDue) {
    static final Taken NONE = new Taken(Map.of(), 0, null);
  }

  private record Bucket(double tokens, double age, Timestamp at, Timestamp scheduledUntil) {}

  private final JdbcClient jdbc;

  SenderLimits(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Chooses the source of each row whose routed gateway limits senders, takes its parts from the
   * bucket of (gateway, source), and puts back the rows that bucket cannot cover now, removing them
   * (and their routes) from the lists; {@code unrouted} hears each route so removed.
   */
  Taken take(
      List<DispatchStore.Claimed> toSubmit,
      List<DispatchStore.Route> routes,
      Function<String, GatewaySettings> limits,
      Instant now,
      java.util.function.Consumer<DispatchStore.Route> unrouted) {
    Map<String, List<Integer>> byGateway = new TreeMap<>();
    for (int i = 0; i < toSubmit.size(); i++) {
      DispatchStore.Route route = routes.get(i);
      if (route.decided() == null && limits.apply(route.gateway()).senderRate() > 0) {
        byGateway.computeIfAbsent(route.gateway(), g -> new ArrayList<>()).add(i);
      }
    }
    if (byGateway.isEmpty()) {
      return Taken.NONE;
    }
    Map<UUID, SourceAddress> sources = new HashMap<>();
    // (gateway, sender) -> rows in claim order (priority, then due time)
    Map<List<String>, List<Integer>> groups = new TreeMap<>(SenderLimits::compareKeys);
    for (var g : byGateway.entrySet()) {
      List<DispatchStore.Claimed> rows = g.getValue().stream().map(toSubmit::get).toList();
      Map<UUID, SourceAddress> chosen = SenderAddresses.of(rows, g.getKey());
      for (int i : g.getValue()) {
        DispatchStore.Claimed m = toSubmit.get(i);
        SourceAddress source = chosen.get(m.id());
        if (source == null) {
          try {
            source = SourceAddress.of(m.sender());
          } catch (RuntimeException e) {
            continue; // no usable source: its hand-over fails alone and says why
          }
        }
        sources.put(m.id(), source);
        groups
            .computeIfAbsent(List.of(g.getKey(), source.address()), k -> new ArrayList<>())
            .add(i);
      }
    }
    Map<List<String>, Bucket> buckets = lock(groups.keySet(), limits);
    List<Integer> deferred = new ArrayList<>();
    Map<Integer, Instant> dueAt = new HashMap<>();
    List<Object[]> updates = new ArrayList<>();
    Instant firstDue = null;
    for (var group : groups.entrySet()) {
      GatewaySettings limit = limits.apply(group.getKey().get(0));
      double rate = limit.senderRate();
      Bucket b = buckets.get(group.getKey());
      double available = Math.min(limit.senderBurst(), b.tokens() + b.age() * rate);
      double used = 0;
      List<Integer> waiting = new ArrayList<>();
      for (int i : group.getValue()) {
        // a message starts while its sender has a whole token (a longer one leaves a debt)
        if (waiting.isEmpty() && used < Math.floor(available)) {
          used += Math.max(1, toSubmit.get(i).segments());
        } else {
          waiting.add(i);
        }
      }
      double left = available - used;
      // the rows that wait go after those already waiting for this sender, at its rate
      // (due times are the node's, as next_attempt_at is; the refill is the database's clock)
      Instant base = now;
      if (b.scheduledUntil() != null && b.scheduledUntil().toInstant().isAfter(base)) {
        base = b.scheduledUntil().toInstant();
        left = Math.min(left, 0);
      }
      double ahead = 0;
      Instant last = b.scheduledUntil() == null ? null : b.scheduledUntil().toInstant();
      for (int i : waiting) {
        double seconds = Math.max(0, (ahead + 1 - Math.max(left, 0)) / rate);
        Instant due =
            base.plus(Duration.ofNanos((long) (seconds * 1e9))).truncatedTo(ChronoUnit.MICROS);
        if (due.isBefore(now)) {
          due = now;
        }
        dueAt.put(i, due);
        deferred.add(i);
        ahead += Math.max(1, toSubmit.get(i).segments());
        last = due;
        firstDue = firstDue == null || due.isBefore(firstDue) ? due : firstDue;
      }
      updates.add(
          new Object[] {
            group.getKey().get(0),
            group.getKey().get(1),
            available - used,
            b.at(),
            last == null ? null : Timestamp.from(last)
          });
    }
    jdbc.sql(
            """
            UPDATE sender_rate_limit b
            SET tokens = u.tokens, refilled_at = u.at, scheduled_until = u.scheduled_until
            FROM unnest(:gateways::text[], :senders::text[], :tokens::float8[], :ats::timestamptz[],
                        :scheduled::timestamptz[]) AS u(gateway, sender, tokens, at, scheduled_until)
            WHERE b.gateway = u.gateway AND b.sender = u.sender
            """)
        .param("gateways", updates.stream().map(u -> (String) u[0]).toArray(String[]::new))
        .param("senders", updates.stream().map(u -> (String) u[1]).toArray(String[]::new))
        .param("tokens", updates.stream().map(u -> (Double) u[2]).toArray(Double[]::new))
        .param("ats", updates.stream().map(u -> (Timestamp) u[3]).toArray(Timestamp[]::new))
        .param("scheduled", updates.stream().map(u -> (Timestamp) u[4]).toArray(Timestamp[]::new))
        .update();
    if (deferred.isEmpty()) {
      return new Taken(sources, 0, null);
    }
    deferred.sort(null);
    // as they were before the claim (its earlier attempt's node and gateway too), due at their turn
    DispatchStore.putBack(
        jdbc,
        deferred.stream().map(toSubmit::get).toList(),
        deferred.stream().map(dueAt::get).toList());
    for (int k = deferred.size() - 1; k >= 0; k--) {
      int i = deferred.get(k);
      DispatchStore.Route route = routes.get(i);
      if (route.permitted()) {
        unrouted.accept(route);
      }
      sources.remove(toSubmit.get(i).id());
      toSubmit.remove(i);
      routes.remove(i);
    }
    return new Taken(sources, deferred.size(), firstDue);
  }

  /** Locks (creating full ones first) the buckets of these (gateway, sender) keys, in order. */
  private Map<List<String>, Bucket> lock(
      java.util.Set<List<String>> keys, Function<String, GatewaySettings> limits) {
    String[] gateways = keys.stream().map(k -> k.get(0)).toArray(String[]::new);
    String[] senders = keys.stream().map(k -> k.get(1)).toArray(String[]::new);
    Double[] bursts =
        keys.stream().map(k -> limits.apply(k.get(0)).senderBurst()).toArray(Double[]::new);
    jdbc.sql(
            """
            INSERT INTO sender_rate_limit (gateway, sender, tokens, refilled_at)
            SELECT u.gateway, u.sender, u.burst, clock_timestamp()
            FROM unnest(:gateways::text[], :senders::text[], :bursts::float8[])
                AS u(gateway, sender, burst)
            ORDER BY u.gateway, u.sender
            ON CONFLICT (gateway, sender) DO NOTHING
            """)
        .param("gateways", gateways)
        .param("senders", senders)
        .param("bursts", bursts)
        .update();
    Map<List<String>, Bucket> buckets = new LinkedHashMap<>();
    jdbc.sql(
            """
            SELECT b.gateway, b.sender, b.tokens, b.scheduled_until, clock_timestamp() AS at,
                   greatest(0, extract(epoch FROM clock_timestamp() - b.refilled_at)) AS age
            FROM sender_rate_limit b
            JOIN unnest(:gateways::text[], :senders::text[]) AS u(gateway, sender)
              ON b.gateway = u.gateway AND b.sender = u.sender
            ORDER BY b.gateway, b.sender
            FOR UPDATE OF b
            """)
        .param("gateways", gateways)
        .param("senders", senders)
        .query(rs -> {
          buckets.put(
              List.of(rs.getString("gateway"), rs.getString("sender")),
              new Bucket(
                  rs.getDouble("tokens"),
                  rs.getDouble("age"),
                  rs.getTimestamp("at"),
                  rs.getTimestamp("scheduled_until")));
        });
    return buckets;
  }

  private static int compareKeys(List<String> a, List<String> b) {
    int c = a.get(0).compareTo(b.get(0));
    return c != 0 ? c : a.get(1).compareTo(b.get(1));
  }
}
