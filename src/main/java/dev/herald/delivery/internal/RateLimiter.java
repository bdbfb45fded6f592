package dev.herald.delivery.internal;

import dev.herald.delivery.internal.DeliverySettings.GatewaySettings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The per-gateway limit in parts per second, for all nodes together: a token bucket row per gateway
 * (take_gateway_tokens in V5). A worker takes tokens for a whole batch in one statement, in a short
 * transaction of its own, and settles afterwards what its claim really used (a claim may end one
 * message over its grant, leaving the bucket owing). These transactions commit with {@code
 * synchronous_commit = off}: a bucket update lost in a crash of PostgreSQL only lets a fraction of
 * a second's tokens be spent twice, which is not worth an fsync per batch.
 */
final class RateLimiter {

  /** Parts a claim may use when its gateway has no limit. */
  static final int UNLIMITED = 1_000_000;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  RateLimiter(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** Takes up to {@code wanted} tokens; returns how many it got. */
  int take(String gateway, GatewaySettings limit, int wanted) {
    if (limit.maxPerSecond() <= 0) {
      return UNLIMITED;
    }
    Integer granted =
        transactions.execute(tx -> {
          jdbc.sql("SET LOCAL synchronous_commit = off").update();
          return jdbc.sql("SELECT take_gateway_tokens(:gateway, :wanted, :rate, :burst)")
              .param("gateway", gateway)
              .param("wanted", wanted)
              .param("rate", limit.maxPerSecond())
              .param("burst", limit.effectiveBurst())
              .query(Integer.class)
              .single();
        });
    return granted == null ? 0 : granted;
  }

  /**
   * Gives back {@code granted - used} tokens: unused ones return to the bucket (never above the
   * burst), and a claim that used more than its grant leaves the bucket owing the difference.
   */
  void settle(String gateway, GatewaySettings limit, int granted, int used) {
    if (limit.maxPerSecond() <= 0 || granted == used) {
      return;
    }
    transactions.executeWithoutResult(tx -> {
      jdbc.sql("SET LOCAL synchronous_commit = off").update();
      jdbc.sql(
              "UPDATE gateway_rate_limit SET tokens = least(:burst, tokens + :delta) WHERE gateway ="
                  + " :gateway")
          .param("burst", limit.effectiveBurst())
          .param("delta", granted - used)
          .param("gateway", gateway)
          .update();
    });
  }

  /**
   * How many parts the gateways' buckets could give now, together, without taking any: what a
   * routed claim may use at most (each routed gateway then takes its own tokens inside the claim).
   * {@link #UNLIMITED} when one of them has no limit.
   */
  int available(java.util.Map<String, GatewaySettings> gateways) {
    java.util.Map<String, Double> limited = new java.util.HashMap<>();
    if (gateways.isEmpty()) {
      return UNLIMITED;
    }
    for (var g : gateways.entrySet()) {
      if (g.getValue().maxPerSecond() <= 0) {
        return UNLIMITED;
      }
    }
    jdbc.sql(
            "SELECT gateway, tokens, greatest(0, extract(epoch FROM clock_timestamp() -"
                + " refilled_at)) AS age FROM gateway_rate_limit WHERE gateway = ANY(:names)")
        .param("names", gateways.keySet().toArray(String[]::new))
        .query(rs -> {
          GatewaySettings limit = gateways.get(rs.getString("gateway"));
          limited.put(
              rs.getString("gateway"),
              Math.min(
                  limit.effectiveBurst(),
                  rs.getDouble("tokens") + rs.getDouble("age") * limit.maxPerSecond()));
        });
    long total = 0;
    for (var g : gateways.entrySet()) {
      total += (long) Math.floor(limited.getOrDefault(g.getKey(), g.getValue().effectiveBurst()));
    }
    return (int) Math.min(UNLIMITED, total);
  }
}
