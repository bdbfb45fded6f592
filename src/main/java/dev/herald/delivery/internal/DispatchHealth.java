package dev.herald.delivery.internal;

import dev.herald.delivery.Channel;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Health and gauges of dispatch. {@code dispatch}: DOWN when a channel has no live worker on this
 * node, or when this node refused to dispatch (its clock is off, at start or since). {@code
 * dispatchBacklog}, its own health group ({@code /actuator/health/backlog}): {@link #BACKLOG} when
 * the oldest due message is older than {@code herald.delivery.oldest-due-warning}; the root health
 * ranks that status below UP, so a slow, legitimate bulk never fails a liveness probe.
 */
final class DispatchHealth {

  /** The backlog group's status for "the oldest due message is old"; 503 in that group only. */
  static final Status BACKLOG = new Status("BACKLOG", "the oldest due message waits too long");

  /** Due messages per channel and the age of the oldest, read at most once per few seconds. */
  record QueueStats(Map<Channel, Long> depth, Map<Channel, Duration> oldestAge) {}

  private static final Duration STATS_TTL = Duration.ofSeconds(2);

  private final Dispatcher dispatcher;
  private final DeliverySettings settings;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final ClockCheck clockCheck;
  private volatile String refusal;
  private volatile QueueStats stats;
  private volatile long statsAt;

  DispatchHealth(
      Dispatcher dispatcher,
      DeliverySettings settings,
      JdbcClient jdbc,
      Clock clock,
      ClockCheck clockCheck) {
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.jdbc = jdbc;
    this.clock = clock;
    this.clockCheck = clockCheck;
  }

  void refused(String reason) {
    this.refusal = reason;
  }

  HealthIndicator workers() {
    return () -> {
      if (!settings.workerEnabled()) {
        return Health.up().withDetail("dispatch", "not on this node").build();
      }
      if (refusal != null) {
        return Health.down().withDetail("refused", refusal).build();
      }
      if (!dispatcher.isRunning()) {
        return Health.unknown().withDetail("dispatch", "not started").build();
      }
      Map<Channel, Integer> alive = dispatcher.aliveWorkers();
      // What the workers' last check before a claim found (no query here): they claim nothing
      // while this node's clock is off.
      java.util.Optional<String> clockOff = clockCheck.lastKnown();
      Health.Builder health =
          clockOff.isEmpty() && alive.values().stream().allMatch(n -> n > 0)
              ? Health.up()
              : Health.down();
      clockOff.ifPresent(reason -> health.withDetail("refused", reason));
      alive.forEach((channel, n) -> health.withDetail(channel.code() + "Workers", n));
      return health.build();
    };
  }

  HealthIndicator backlog() {
    return () -> {
      QueueStats s = stats();
      Duration oldest =
          s.oldestAge().values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
      Health.Builder health =
          oldest.compareTo(settings.oldestDueWarning()) > 0 ? Health.status(BACKLOG) : Health.up();
      s.oldestAge()
          .forEach((channel, age) ->
              health.withDetail(channel.code() + "OldestDueSeconds", age.toSeconds()));
      return health.build();
    };
  }

  QueueStats stats() {
    QueueStats current = stats;
    if (current != null && System.nanoTime() - statsAt < STATS_TTL.toNanos()) {
      return current;
    }
    try {
      current = readStats();
    } catch (RuntimeException e) {
      // The database is away: keep what was known (or nothing), and do not ask again at once, so
      // that a scrape or a health probe does not wait for a connection per gauge.
      current = current != null ? current : new QueueStats(Map.of(), Map.of());
      statsAt = System.nanoTime();
      stats = current;
      throw e;
    }
    stats = current;
    statsAt = System.nanoTime();
    return current;
  }

  private QueueStats readStats() {
    Instant now = clock.instant();
    Map<Channel, Long> depth = new EnumMap<>(Channel.class);
    Map<Channel, Duration> oldest = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      depth.put(channel, 0L);
      oldest.put(channel, Duration.ZERO);
    }
    jdbc.sql(
            """
            SELECT channel, count(*) AS depth, min(next_attempt_at) AS oldest
            FROM outbound_message
            WHERE status IN ('queued', 'sending') AND next_attempt_at <= :now
            GROUP BY channel
            """)
        .param("now", Timestamp.from(now))
        .query(rs -> {
          Channel channel = Channel.fromCode(rs.getString("channel"));
          depth.put(channel, rs.getLong("depth"));
          Timestamp t = rs.getTimestamp("oldest");
          oldest.put(
              channel, t == null ? Duration.ZERO : Duration.between(t.toInstant(), now).abs());
        });
    return new QueueStats(depth, oldest);
  }
}
