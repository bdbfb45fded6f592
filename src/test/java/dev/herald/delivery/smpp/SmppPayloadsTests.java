package dev.herald.delivery.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The validity_period field (SMPP 3.4, 7.1.1): relative, in YYMMDDhhmmsstnnR form. */
class SmppPayloadsTests {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  static String relative(Duration left) {
    return SmppPayloads.validityPeriod(NOW.plus(left), NOW, "relative");
  }

  @Test
  void a_relative_validity_writes_days_hours_minutes_and_seconds_in_two_digits_each() {
    assertThat(relative(Duration.ofHours(2))).isEqualTo("000000020000000R");
    assertThat(relative(Duration.ofDays(12).plusHours(3).plusMinutes(4).plusSeconds(5)))
        .isEqualTo("000012030405000R");
  }

  @Test
  void a_relative_validity_is_at_least_a_minute_and_at_most_99_days() {
    assertThat(relative(Duration.ofSeconds(10))).isEqualTo("000000000100000R");
    assertThat(relative(Duration.ofDays(200))).isEqualTo("000099000000000R");
  }

  @Test
  void no_validity_or_the_mode_none_writes_none() {
    assertThat(SmppPayloads.validityPeriod(null, NOW, "relative")).isNull();
    assertThat(SmppPayloads.validityPeriod(NOW.plusSeconds(3600), NOW, "none")).isNull();
  }
}
