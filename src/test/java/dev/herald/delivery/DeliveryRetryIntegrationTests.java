package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.internal.DeliveryWorkers;
import dev.herald.shared.TenantId;
import dev.herald.support.MutableClock;
import dev.herald.support.TestCompanies;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/** G3 with a clock that stands still until the test moves it: backoff timing, give-up, stalls. */
@SpringBootTest(
    properties = {
      "herald.delivery.max-clock-skew=1h",
      "herald.delivery.poll-interval=200ms",
      "herald.delivery.backoff-base=4s",
      "herald.delivery.backoff-max=1m",
      "herald.delivery.max-attempts=4",
      "herald.delivery.submit-timeout=300ms"
    })
@Import(DeliveryRetryIntegrationTests.Clocks.class)
class DeliveryRetryIntegrationTests {

  static final Duration BASE = Duration.ofSeconds(4);

  /**
   * Not a @TestConfiguration: child Herald processes scan the test classpath and must not find it.
   */
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
  }

  @Autowired OutboundMessages messages;
  @Autowired SimulatorControls simulatorControls;
  @Autowired SimulatorRecords simulator;
  @Autowired DeliveryWorkers workers;
  @Autowired TestCompanies companies;
  @Autowired MutableClock clock;
  @Autowired JdbcClient jdbc;

  TenantId tenant;

  @BeforeEach
  void setUp() {
    simulatorControls.acceptAll();
    tenant = companies.aDanishCompany(true, true).id();
  }

  @AfterEach
  void acceptAgain() {
    simulatorControls.acceptAll();
  }

  @Test
  void transient_failures_back_off_exponentially_within_the_jitter_bounds_then_succeed() {
    simulatorControls.failTransiently(3);
    UUID id = messages.enqueue(tenant, List.of(anSms("Backoff"))).getFirst().id();

    for (int attempt = 1; attempt <= 3; attempt++) {
      int n = attempt;
      Instant failedAt = clock.instant();
      MessageView retrying =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> messages.find(tenant, id).orElseThrow(),
                  m -> m.attempts() == n && m.status() == MessageStatus.QUEUED);
      Duration ceiling = BASE.multipliedBy(1L << (attempt - 1));
      Duration delay = Duration.between(failedAt, retrying.nextAttemptAt());
      assertThat(delay)
          .as("delay after attempt %d", attempt)
          .isBetween(ceiling.dividedBy(2), ceiling);
      assertThat(retrying.errorCode()).isEqualTo("SIM_THROTTLED");
      assertThat(retrying.statusReason()).contains("transient");

      // Not due a millisecond early, however often the workers look.
      clock.set(retrying.nextAttemptAt().minusMillis(1));
      workers.wakeUp();
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> messages.find(tenant, id).orElseThrow().attempts() == n);

      clock.set(retrying.nextAttemptAt());
      workers.wakeUp();
    }

    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> m.status() == MessageStatus.SENT);
    assertThat(sent.attempts()).isEqualTo(4);
    assertThat(sent.errorCode()).isNull();
    assertThat(sent.attemptHistory())
        .extracting(AttemptView::outcome)
        .containsExactly(
            "TRANSIENT_FAILURE", "TRANSIENT_FAILURE", "TRANSIENT_FAILURE", "SUBMITTED");
  }

  @Test
  void after_max_attempts_the_message_fails_with_the_last_code() {
    simulatorControls.failTransientlyUntilToldOtherwise();
    UUID id = messages.enqueue(tenant, List.of(anSms("Give up"))).getFirst().id();

    for (int attempt = 1; attempt < 4; attempt++) {
      int n = attempt;
      MessageView retrying =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> messages.find(tenant, id).orElseThrow(),
                  m -> m.attempts() == n && m.status() == MessageStatus.QUEUED);
      clock.set(retrying.nextAttemptAt());
      workers.wakeUp();
    }

    MessageView failed =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> m.status() == MessageStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(4);
    assertThat(failed.statusReason())
        .isEqualTo("gave up after 4 attempts: simulated transient failure");
    assertThat(failed.errorCode()).isEqualTo("SIM_THROTTLED");
    assertThat(failed.nextAttemptAt()).isNull();
    assertThat(simulator.submissionsOf(tenant, id)).isZero();
  }

  @Test
  void a_retry_is_cancelled_when_sms_stopped_for_the_company_while_its_attempt_was_in_flight() {
    simulatorControls.failTransiently(1);
    UUID id = messages.enqueue(tenant, List.of(anSms("Stopped meanwhile"))).getFirst().id();
    MessageView retrying =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> m.attempts() == 1 && m.status() == MessageStatus.QUEUED);

    // The lock committed while the attempt was with the gateway: the event found nothing queued.
    jdbc.sql("UPDATE company SET sms_unlocked = false WHERE id = ?").param(tenant.value()).update();
    clock.set(retrying.nextAttemptAt());
    workers.wakeUp();

    MessageView cancelled =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> m.status() == MessageStatus.CANCELLED);
    assertThat(cancelled.statusReason()).isEqualTo("SMS stopped for the company");
    assertThat(cancelled.attempts()).isEqualTo(1);
    assertThat(simulator.submissionsOf(tenant, id)).isZero();
  }
}
