package dev.herald.delivery.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Compares this node's clock with the database's. Leases, due times and validity are written with
 * this node's clock and compared with the other nodes', so a node whose clock differs by more than
 * {@code herald.delivery.max-clock-skew} must not dispatch: it refuses to start dispatching, and a
 * running node checks again before its claims (at most once a second), stops claiming while its
 * clock is off and goes on once it agrees again. Its {@code dispatch} health says why meanwhile.
 */
final class ClockCheck {

  private static final Logger log = LoggerFactory.getLogger(ClockCheck.class);

  /** How long a comparison holds before a claim asks the database again. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration maxSkew;
  private volatile Optional<String> last = Optional.empty();
  private volatile long checkedAt;
  private volatile boolean checked;

  ClockCheck(JdbcClient jdbc, Clock clock, Duration maxSkew) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  /** Why this node must not dispatch with its clock as it is now, if it must not: asks now. */
  Optional<String> refusal() {
    Instant database =
        jdbc.sql("SELECT clock_timestamp()").query(Timestamp.class).single().toInstant();
    Duration skew = Duration.between(database, clock.instant()).abs();
    if (skew.compareTo(maxSkew) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "this node's clock differs from the database's by "
            + skew.toMillis()
            + " ms (at most "
            + maxSkew.toMillis()
            + " ms allowed)");
  }

  /** The refusal before a claim: the last comparison, made again when it is older than a second. */
  Optional<String> beforeClaim() {
    long now = System.nanoTime();
    if (checked && now - checkedAt < RECHECK.toNanos()) {
      return last;
    }
    Optional<String> fresh =
        refusal()
            .map(reason -> reason + ": fix its time (NTP); it dispatches again once it agrees");
    if (fresh.isPresent() && last.isEmpty()) {
      log.error("Delivery: not dispatching on this node: {}", fresh.get());
    } else if (fresh.isEmpty() && last.isPresent()) {
      log.info("Delivery: this node's clock agrees with the database's again; dispatching");
    }
    last = fresh;
    checkedAt = now;
    checked = true;
    return fresh;
  }

  /** What the last check before a claim found, without asking the database (for health). */
  Optional<String> lastKnown() {
    return last;
  }
}
