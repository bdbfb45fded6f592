package dev.herald.delivery.internal;

import dev.herald.delivery.internal.DeliverySettings.GatewayLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The per-gateway messages-per-second limit, for all nodes together: a token bucket row per gateway
 * (see take_gateway_tokens in V5). A worker takes tokens for a whole batch in one statement and
 * gives back what it could not use. These transactions commit with {@code synchronous_commit =
 * off}: a bucket update lost in a crash of PostgreSQL only lets a fraction of a second's tokens be
 * spent twice, which is not worth an fsync per batch.
 */
final class RateLimiter {

  private RateLimiter() {}

  /** Takes up to {@code wanted} tokens on the worker's connection (autocommit off); commits. */
  static int take(Connection c, String gateway, GatewayLimit limit, int wanted)
      throws SQLException {
    if (limit.maxPerSecond() <= 0) {
      return wanted;
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL synchronous_commit = off");
    }
    int granted;
    try (PreparedStatement ps = c.prepareStatement("SELECT take_gateway_tokens(?, ?, ?, ?)")) {
      ps.setString(1, gateway);
      ps.setInt(2, wanted);
      ps.setDouble(3, limit.maxPerSecond());
      ps.setDouble(4, limit.effectiveBurst());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        granted = rs.getInt(1);
      }
    }
    c.commit();
    return granted;
  }

  static void giveBack(Connection c, String gateway, GatewayLimit limit, int tokens)
      throws SQLException {
    if (limit.maxPerSecond() <= 0 || tokens <= 0) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL synchronous_commit = off");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE gateway_rate_limit SET tokens = least(?, tokens + ?) WHERE gateway = ?")) {
      ps.setDouble(1, limit.effectiveBurst());
      ps.setInt(2, tokens);
      ps.setString(3, gateway);
      ps.executeUpdate();
    }
    c.commit();
  }
}
