package dev.herald.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliverySettingsTests {

  static DeliverySettings settings(Duration lease, Duration submitTimeout, Duration allowance) {
    return new DeliverySettings(
        true,
        "node",
        2,
        500,
        lease,
        allowance,
        3,
        Duration.ofSeconds(5),
        8,
        Duration.ofSeconds(10),
        Duration.ofHours(1),
        submitTimeout,
        Duration.ofSeconds(5),
        Duration.ofMinutes(10),
        Duration.ofMillis(500),
        new DeliverySettings.Sms("simulator", "Herald", 0),
        new DeliverySettings.Email(null, "herald@localhost", 0),
        null);
  }

  @Test
  void a_lease_not_longer_than_the_submit_timeout_plus_a_cycle_is_refused_at_start() {
    assertThatThrownBy(
            () -> settings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("herald.delivery.lease (PT15S) must be longer than submit-timeout");
    assertThat(settings(Duration.ofSeconds(16), Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .isNotNull();
  }

  @Test
  void a_gateways_settings_fall_back_to_its_defaults_field_by_field() {
    DeliverySettings defaults =
        settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5));
    assertThat(defaults.gateway("simulator").window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.gateway("smtp").maxPerSecond()).isEqualTo(20);
    assertThat(defaults.gateway("unknown-gateway").policy()).isEqualTo("resubmit");
    assertThatThrownBy(() -> new DeliverySettings.GatewaySettings(1, null, null, null, "maybe"))
        .hasMessageContaining("resubmit or fail");
  }
}
