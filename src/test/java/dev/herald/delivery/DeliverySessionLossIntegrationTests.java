package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.delivery.internal.DeliveryWorkers;
import dev.herald.delivery.simulator.SimulatorSmsGateway;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker whose database session is terminated after the gateway took its batch and before it
 * recorded the outcome: the message is not lost, and a re-submit (after the lease lapsed into an
 * unknown outcome and its window passed) is a further attempt.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.sms.gateway=session-killer",
      "herald.delivery.lease=4s",
      "herald.delivery.submit-timeout=1s",
      "herald.delivery.cycle-allowance=1s",
      "herald.delivery.gateways.session-killer.unknown-outcome-window=1s",
      "herald.delivery.poll-interval=200ms"
    })
@Import(DeliverySessionLossIntegrationTests.Gateways.class)
class DeliverySessionLossIntegrationTests {

  /**
   * The simulator, and once armed, pg_terminate_backend of every other session right after a flush.
   */
  static class SessionKillingGateway implements SmsGateway {
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicInteger terminated = new AtomicInteger();
    private final SimulatorSmsGateway simulator;
    private final JdbcClient jdbc;

    SessionKillingGateway(SimulatorSmsGateway simulator, JdbcClient jdbc) {
      this.simulator = simulator;
      this.jdbc = jdbc;
    }

    @Override
    public String name() {
      return "session-killer";
    }

    @Override
    public CompletableFuture<SubmitResult> submit(SmsSubmission submission) {
      return simulator.submit(submission);
    }

    @Override
    public void flush() {
      simulator.flush();
      if (armed.compareAndSet(true, false)) {
        terminated.addAndGet(
            jdbc.sql(
                    """
                    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                      AND backend_type = 'client backend'
                    """)
                .query(Integer.class)
                .single());
      }
    }
  }

  /**
   * Not a @TestConfiguration: child Herald processes scan the test classpath and must not find it.
   */
  static class Gateways {
    @Bean
    SessionKillingGateway sessionKillingGateway(SimulatorSmsGateway simulator, JdbcClient jdbc) {
      return new SessionKillingGateway(simulator, jdbc);
    }
  }

  @Autowired OutboundMessages messages;
  @Autowired SimulatorRecords simulator;
  @Autowired SessionKillingGateway gateway;
  @Autowired DeliveryWorkers workers;
  @Autowired TestCompanies companies;

  @Test
  void
      a_worker_that_loses_its_session_after_the_submit_loses_nothing_and_the_resubmit_is_an_attempt() {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    gateway.armed.set(true);

    UUID id =
        messages.enqueue(tenant, List.of(anSms("+4520998877", "Session lost"))).getFirst().id();

    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> m.status() == MessageStatus.SENT);
    assertThat(gateway.terminated.get())
        .as("sessions terminated, the worker's among them")
        .isPositive();
    // No connection is held while the gateway works: the record step borrows one afterwards. If
    // the pool lends it a terminated one, the record fails, the lease lapses into an unknown
    // outcome and the message is resubmitted after the window as attempt 2; if it lends a live
    // one, attempt 1 is recorded. Either way nothing is lost and every submit is an attempt.
    assertThat(sent.attempts()).isBetween(1, 2);
    // The test's own pooled connections were terminated too: read again until one is live.
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> simulator.submissionsOf(tenant, id) == sent.attempts());
    if (sent.attempts() == 2) {
      assertThat(sent.attemptHistory())
          .extracting(AttemptView::outcome)
          .containsExactly("LEASE_LAPSED", "SUBMITTED");
    }
    await("LISTEN reconnected").atMost(Duration.ofSeconds(10)).until(workers::isListening);
  }
}
