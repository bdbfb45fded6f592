package dev.herald.delivery;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Tells the built-in SMS simulator how to answer the next submissions. The setting is a row in the
 * database, so every Herald node on it behaves the same. For tests and demonstrations.
 */
@Service
public class SimulatorControls {

  /** The code a simulated permanent failure carries unless told otherwise. */
  public static final String DEFAULT_PERMANENT_CODE = "SIM_REJECTED";

  private final JdbcClient jdbc;
  private final Clock clock;

  SimulatorControls(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Accept every submission (the default). */
  public void acceptAll() {
    set("accept", null, null, null);
  }

  /**
   * The next {@code count} submissions fail transiently (code SIM_THROTTLED), then all are
   * accepted.
   */
  public void failTransiently(int count) {
    set("transient", count, "SIM_THROTTLED", null);
  }

  /** Every submission fails transiently until told otherwise. */
  public void failTransientlyUntilToldOtherwise() {
    set("transient", null, "SIM_THROTTLED", null);
  }

  /** The next {@code count} submissions are refused for good with {@code errorCode}. */
  public void failPermanently(int count, String errorCode) {
    set("permanent", count, errorCode == null ? DEFAULT_PERMANENT_CODE : errorCode, null);
  }

  /** The next {@code count} submissions get their answer only after {@code stall}. */
  public void stall(int count, Duration stall) {
    set("stall", count, null, stall.toMillis());
  }

  private void set(String mode, Integer remaining, String errorCode, Long stallMillis) {
    jdbc.sql(
            """
            UPDATE simulator_control SET mode = :mode, remaining = :remaining, error_code = :code,
                   stall_ms = :stall, updated_at = :now
            WHERE id = 1
            """)
        .param("mode", mode)
        .param("remaining", remaining, java.sql.Types.INTEGER)
        .param("code", errorCode, java.sql.Types.VARCHAR)
        .param("stall", stallMillis, java.sql.Types.BIGINT)
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }
}
