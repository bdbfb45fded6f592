package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.contact.Contact;
import dev.herald.contact.ContactInput;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.delivery.internal.DeliveryWorkers;
import dev.herald.delivery.simulator.SimulatorSmsGateway;
import dev.herald.shared.TenantId;
import dev.herald.support.MutableClock;
import dev.herald.support.TestCompanies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The delivery semantics of ARCHITECTURE.md, on a clock that stands still until the test moves it:
 * unknown outcomes wait for their window, a lapsed lease is an unknown outcome, a dead worker is
 * restarted, one bad row does not undo its batch, an opt-out stops a message in flight.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.delivery.sms.gateway=armable",
      "herald.delivery.sms.workers=2",
      "herald.delivery.poll-interval=200ms",
      "herald.delivery.submit-timeout=5s",
      "herald.delivery.lease=30s",
      "herald.delivery.backoff-base=4s",
      "herald.delivery.worker-restart=3s",
      // Its clock stands still and the tests move it (by over 2 h in all): dispatch must go on.
      "herald.delivery.max-clock-skew=12h",
      "herald.delivery.gateways.armable.max-per-second=1000",
      "herald.delivery.gateways.armable.unknown-outcome-window=1m"
    })
@Import(DispatchSemanticsIntegrationTests.Setup.class)
class DispatchSemanticsIntegrationTests {

  static final Duration WINDOW = Duration.ofMinutes(1);

  /** Not a @TestConfiguration: child Herald processes scan the test classpath. */
  static class Setup {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Bean
    ArmableSmsGateway armableSmsGateway(SimulatorSmsGateway simulator) {
      return new ArmableSmsGateway(simulator);
    }
  }

  /**
   * The simulator, unless told to throw an Error from submit, or to hold its answers until the test
   * releases them (a gateway that is slow to answer).
   */
  static final class ArmableSmsGateway implements SmsGateway {
    private final SimulatorSmsGateway simulator;
    private final AtomicInteger errors = new AtomicInteger();
    private volatile boolean hold;
    private final List<SmsSubmission> heldSubmissions = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<SubmitResult>> heldAnswers = new CopyOnWriteArrayList<>();

    ArmableSmsGateway(SimulatorSmsGateway simulator) {
      this.simulator = simulator;
    }

    @Override
    public String name() {
      return "armable";
    }

    @Override
    public CompletableFuture<SubmitResult> submit(SmsSubmission submission) {
      if (errors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new OutOfMemoryError("test: the gateway ran out of memory");
      }
      if (hold) {
        CompletableFuture<SubmitResult> answer = new CompletableFuture<>();
        heldSubmissions.add(submission);
        heldAnswers.add(answer);
        return answer;
      }
      return simulator.submit(submission);
    }

    @Override
    public void flush() {
      simulator.flush();
    }

    void throwErrors(int count) {
      errors.set(count);
    }

    void hold() {
      hold = true;
    }

    int held() {
      return heldAnswers.size();
    }

    /** Hands the held submissions to the simulator (the carrier has them) and answers with it. */
    void releaseToSimulator() {
      hold = false;
      List<CompletableFuture<SubmitResult>> answers = new ArrayList<>();
      for (SmsSubmission s : heldSubmissions) {
        answers.add(simulator.submit(s));
      }
      simulator.flush();
      for (int i = 0; i < answers.size(); i++) {
        CompletableFuture<SubmitResult> held = heldAnswers.get(i);
        answers.get(i).thenAccept(held::complete);
      }
      reset();
    }

    /** Answers every held submission with {@code answer}, the carrier having none of them. */
    void release(Function<SmsSubmission, SubmitResult> answer) {
      hold = false;
      for (int i = 0; i < heldAnswers.size(); i++) {
        heldAnswers.get(i).complete(answer.apply(heldSubmissions.get(i)));
      }
      reset();
    }

    void reset() {
      hold = false;
      errors.set(0);
      heldSubmissions.clear();
      heldAnswers.clear();
    }
  }

  @Autowired OutboundMessages messages;
  @Autowired SimulatorControls simulatorControls;
  @Autowired SimulatorRecords simulator;
  @Autowired ArmableSmsGateway gateway;
  @Autowired DeliveryWorkers workers;
  @Autowired TestCompanies companies;
  @Autowired MutableClock clock;
  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry registry;
  @Autowired OptOuts optOuts;
  @Autowired Contacts contacts;
  @Autowired dev.herald.tenant.Companies companiesRepository;
  @Autowired org.springframework.core.env.Environment environment;
  @Autowired org.springframework.transaction.support.TransactionTemplate transactions;

  @Autowired
  @Qualifier("dispatchHealthIndicator")
  HealthIndicator dispatchHealth;

  @LocalServerPort int port;

  TenantId tenant;

  @BeforeEach
  void setUp() {
    simulatorControls.acceptAll();
    gateway.reset();
    tenant = companies.aDanishCompany(true, true).id();
  }

  @AfterEach
  void tearDown() {
    gateway.reset();
    simulatorControls.acceptAll();
  }

  @Test
  void a_submit_whose_answer_never_comes_waits_for_its_window_then_is_resubmitted_exactly_once() {
    simulatorControls.stall(1, Duration.ofSeconds(8));
    UUID id = messages.enqueue(tenant, List.of(anSms("No answer"))).getFirst().id();

    MessageView unknown =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(id), m -> "outcome unknown".equals(m.statusReason()));
    assertThat(unknown.status()).isEqualTo(MessageStatus.SENDING);
    assertThat(unknown.errorCode()).isEqualTo("TIMEOUT");
    assertThat(unknown.nextAttemptAt()).isEqualTo(clock.instant().plus(WINDOW));
    // The stalled carrier had it after all: one submission, recorded late.
    await().atMost(Duration.ofSeconds(15)).until(() -> simulator.submissionsOf(tenant, id) == 1);

    clock.set(unknown.nextAttemptAt().minusMillis(1));
    workers.wakeUp();
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(3))
        .until(() -> simulator.submissionsOf(tenant, id) == 1 && find(id).attempts() == 1);

    clock.set(unknown.nextAttemptAt());
    workers.wakeUp();
    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(id), m -> m.status() == MessageStatus.SENT);
    assertThat(sent.attempts()).isEqualTo(2);
    assertThat(sent.attemptHistory())
        .extracting(AttemptView::outcome)
        .containsExactly("UNKNOWN", "SUBMITTED");
    clock.advance(WINDOW.multipliedBy(10));
    workers.wakeUp();
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(3))
        .until(() -> simulator.submissionsOf(tenant, id) == 2);
  }

  @Test
  void
      a_lease_that_lapses_while_its_node_still_submits_is_an_unknown_outcome_not_a_second_submit() {
    gateway.hold(); // the gateway never answers this one
    UUID id = messages.enqueue(tenant, List.of(anSms("Slow gateway"))).getFirst().id();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.held() == 1);

    // The node holding it is still waiting for the gateway when its lease ends; the other worker
    // finds the lapsed lease and must not submit it again.
    clock.advance(Duration.ofSeconds(31));
    workers.wakeUp();
    MessageView lapsed =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> find(id),
                m -> m.attemptHistory().stream().anyMatch(a -> "LEASE_LAPSED".equals(a.outcome())));
    assertThat(lapsed.status()).isEqualTo(MessageStatus.SENDING);
    assertThat(lapsed.statusReason()).isEqualTo("outcome unknown");
    // The slow node gives up waiting (submit timeout): still unknown, its window from now.
    MessageView unknown =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> find(id), m -> "TIMEOUT".equals(m.errorCode()));
    assertThat(unknown.status()).isEqualTo(MessageStatus.SENDING);
    assertThat(unknown.nextAttemptAt()).isEqualTo(clock.instant().plus(WINDOW));
    assertThat(simulator.submissionsOf(tenant, id)).isZero();

    clock.set(unknown.nextAttemptAt().minusMillis(1));
    workers.wakeUp();
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(3))
        .until(() -> simulator.submissionsOf(tenant, id) == 0 && find(id).attempts() == 1);

    gateway.reset();
    clock.set(unknown.nextAttemptAt());
    workers.wakeUp();
    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(id), m -> m.status() == MessageStatus.SENT);
    assertThat(sent.attempts()).isEqualTo(2);
    assertThat(sent.attemptHistory())
        .extracting(AttemptView::outcome)
        .containsExactly("LEASE_LAPSED", "SUBMITTED"); // attempt 1 lapsed (then timed out), 2 sent
    assertThat(simulator.submissionsOf(tenant, id)).isEqualTo(1);
  }

  @Test
  void
      a_message_whose_lease_lapses_max_lease_lapses_times_fails_with_the_reason_and_stays_failed() {
    gateway.hold(); // a gateway that never answers in time: every lease lapses while it is held
    UUID id = messages.enqueue(tenant, List.of(anSms("Lapses every time"))).getFirst().id();
    for (int lapse = 1; lapse <= 3; lapse++) { // max-lease-lapses: 3 (the default)
      int attempt = lapse;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gateway.held() == 1 && find(id).attempts() == attempt);
      clock.advance(Duration.ofSeconds(31)); // the lease (30 s) ends; the other worker finds it
      workers.wakeUp();
      MessageView lapsed =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> find(id), m -> leaseLapses(m) == attempt);
      if (lapse == 3) {
        break;
      }
      assertThat(lapsed.status()).isEqualTo(MessageStatus.SENDING);
      assertThat(lapsed.statusReason()).isEqualTo("outcome unknown");
      // The slow node gives up waiting (an unknown outcome, as at its submit timeout); the window
      // then passes with no news, and the gateway's policy (resubmit) sends it again: held again.
      gateway.release(s -> new SubmitResult.Unknown("TIMEOUT", "test: no answer in time"));
      MessageView unknown =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> find(id), m -> "TIMEOUT".equals(m.errorCode()));
      gateway.hold();
      clock.set(unknown.nextAttemptAt());
      workers.wakeUp();
    }

    MessageView failed = find(id);
    assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(failed.errorCode()).isEqualTo("LEASE_LAPSED");
    assertThat(failed.statusReason())
        .isEqualTo("no node recorded its outcome; lease lapsed 3 times");
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.attemptHistory())
        .extracting(AttemptView::number, AttemptView::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "LEASE_LAPSED"),
            org.assertj.core.groups.Tuple.tuple(2, "LEASE_LAPSED"),
            org.assertj.core.groups.Tuple.tuple(3, "LEASE_LAPSED"));

    // The slow node's late news of attempt 3 does not revive it, and no claim takes it again.
    gateway.release(s -> new SubmitResult.Unknown("TIMEOUT", "test: no answer in time"));
    clock.advance(WINDOW.multipliedBy(10));
    workers.wakeUp();
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(3))
        .until(() -> {
          MessageView m = find(id);
          return m.status() == MessageStatus.FAILED
              && "LEASE_LAPSED".equals(m.errorCode())
              && m.attempts() == 3
              && gateway.held() == 0;
        });
    assertThat(simulator.submissionsOf(tenant, id)).isZero();
  }

  @Test
  void a_late_answer_after_the_lease_lapsed_settles_the_message_without_a_second_submit() {
    gateway.hold();
    UUID id = messages.enqueue(tenant, List.of(anSms("Late answer"))).getFirst().id();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.held() == 1);
    clock.advance(Duration.ofSeconds(31));
    workers.wakeUp();
    await().atMost(Duration.ofSeconds(10)).until(() -> "LEASE_LAPSED".equals(find(id).errorCode()));

    gateway.releaseToSimulator(); // the carrier had it and says so, late
    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(id), m -> m.status() == MessageStatus.SENT);
    assertThat(sent.attempts()).isEqualTo(1);
    assertThat(sent.attemptHistory())
        .extracting(AttemptView::outcome)
        .containsExactly("LEASE_LAPSED", "SUBMITTED");
    clock.advance(WINDOW.multipliedBy(2));
    workers.wakeUp();
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(3))
        .until(() -> simulator.submissionsOf(tenant, id) == 1);
  }

  @Test
  void a_worker_killed_by_an_error_is_restarted_and_health_is_down_while_no_sms_worker_lives() {
    double deathsBefore = count("herald.dispatch.worker.deaths");
    gateway.throwErrors(2);
    messages.enqueue(tenant, List.of(anSms("Boom 1")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("herald.dispatch.worker.deaths") >= deathsBefore + 1);
    assertThat(dispatchHealth.health(false).getStatus()).isEqualTo(Status.UP);

    messages.enqueue(tenant, List.of(anSms("Boom 2")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("herald.dispatch.worker.deaths") >= deathsBefore + 2);
    // Both SMS workers dead, waiting for their restart (3 s): dispatch is DOWN meanwhile.
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> dispatchHealth.health(false).getStatus().equals(Status.DOWN));

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> dispatchHealth.health(false).getStatus().equals(Status.UP));
    UUID after = messages.enqueue(tenant, List.of(anSms("After the restart"))).getFirst().id();
    await().atMost(Duration.ofSeconds(10)).until(() -> find(after).status() == MessageStatus.SENT);
  }

  @Test
  void a_row_the_database_refuses_does_not_undo_the_others_of_its_batch() {
    jdbc.sql(
            """
            ALTER TABLE outbound_message ADD CONSTRAINT test_poison_is_never_sent
                CHECK (status <> 'sent' OR body NOT LIKE 'Poison%')
            """)
        .update();
    try {
      gateway.hold(); // so that the five are claimed together, then answered together
      List<OutboundDraft> drafts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        drafts.add(anSms(i == 2 ? "Poison" : "Good " + i));
      }
      List<UUID> ids = messages.enqueue(tenant, drafts).stream().map(QueuedMessage::id).toList();
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.held() == 5);
      gateway.releaseToSimulator();

      for (int i = 0; i < 5; i++) {
        UUID id = ids.get(i);
        MessageView m =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(
                    () -> find(id),
                    v -> v.status() == MessageStatus.SENT || v.status() == MessageStatus.FAILED);
        if (i == 2) {
          assertThat(m.status()).isEqualTo(MessageStatus.FAILED);
          assertThat(m.errorCode()).isEqualTo("UNRECORDABLE");
          assertThat(m.statusReason()).contains("test_poison_is_never_sent");
        } else {
          assertThat(m.status()).as("message %d", i).isEqualTo(MessageStatus.SENT);
        }
      }
    } finally {
      jdbc.sql("ALTER TABLE outbound_message DROP CONSTRAINT test_poison_is_never_sent").update();
    }
  }

  @Test
  void an_opt_out_while_the_message_is_with_the_gateway_stops_its_retry() {
    String number =
        "+4520" + String.format("%06d", Math.floorMod(UUID.randomUUID().hashCode(), 1_000_000));
    gateway.hold();
    UUID id = messages.enqueue(tenant, List.of(anSms(number, "Opting out"))).getFirst().id();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.held() == 1);

    optOuts.optOut(tenant, number, "test");
    gateway.release(s -> new SubmitResult.TransientFailure("BUSY", "try later"));

    MessageView cancelled =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(id), m -> m.status() == MessageStatus.CANCELLED);
    assertThat(cancelled.statusReason()).isEqualTo("recipient opted out");
    assertThat(cancelled.attempts()).isEqualTo(1);

    // A message queued to the number afterwards is cancelled by the claim, never submitted.
    UUID later = messages.enqueue(tenant, List.of(anSms(number, "After"))).getFirst().id();
    clock.advance(Duration.ofHours(1));
    workers.wakeUp();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> find(later).status() == MessageStatus.CANCELLED);
    assertThat(find(later).attempts()).isZero();
    assertThat(find(id).attempts()).isEqualTo(1);
    assertThat(simulator.submissionsOf(tenant, id) + simulator.submissionsOf(tenant, later))
        .isZero();
  }

  @Test
  void deleting_the_contact_while_its_message_is_with_the_gateway_stops_its_retry() {
    Contact contact =
        contacts.create(
            tenant,
            new ContactInput(
                "Søren Test",
                "da",
                null,
                List.of(),
                List.of(new ContactInput.PhoneInput("MOBILE", "+4520123456")),
                false,
                true,
                true));
    gateway.hold();
    UUID id =
        messages
            .enqueue(
                tenant,
                List.of(
                    new OutboundDraft(
                        Channel.SMS, contact.id(), "+4520123456", null, "Deleted soon", false)))
            .getFirst()
            .id();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.held() == 1);

    contacts.delete(tenant, contact.id());
    gateway.release(s -> new SubmitResult.TransientFailure("BUSY", "try later"));

    MessageView cancelled =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(id), m -> m.status() == MessageStatus.CANCELLED);
    assertThat(cancelled.statusReason()).isEqualTo("contact deleted");
    clock.advance(Duration.ofHours(1));
    workers.wakeUp();
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> find(id).attempts() == 1);
    assertThat(simulator.submissionsOf(tenant, id)).isZero();
  }

  @Test
  void a_message_past_its_validity_expires_instead_of_going_out() {
    UUID id =
        messages
            .enqueue(
                tenant, List.of(anSms("Too late").withValidUntil(clock.instant().minusSeconds(1))))
            .getFirst()
            .id();
    MessageView expired =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(id), m -> m.status() == MessageStatus.EXPIRED);
    assertThat(expired.statusReason()).isEqualTo("validity passed before it could be sent");
    assertThat(simulator.submissionsOf(tenant, id)).isZero();
  }

  @Test
  void a_dedupe_key_queues_once_however_often_the_event_comes() {
    OutboundDraft draft = anSms("Once").withDedupeKey("invoice-42-sent");
    UUID first = messages.enqueue(tenant, List.of(draft)).getFirst().id();
    UUID second = messages.enqueue(tenant, List.of(draft, draft)).getFirst().id();
    assertThat(second).isEqualTo(first);
    assertThat(
            jdbc.sql("SELECT count(*) FROM outbound_message WHERE tenant_id = ? AND dedupe_key = ?")
                .params(tenant.value(), "invoice-42-sent")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void an_old_backlog_turns_its_own_health_group_down_and_leaves_the_root_up() throws Exception {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> httpStatus("/actuator/health/backlog") == 200);
    // A message another node holds, due for an hour: the oldest due message is an hour old.
    jdbc.sql(
            """
            INSERT INTO outbound_message (tenant_id, id, channel, recipient, subject, body, segments, status,
                                          next_attempt_at, created_at, updated_at, lease_until, claimed_by)
            VALUES (:t, :id, 'email', 'old@example.dk', 'Old', 'Old', 0, 'queued',
                    :due, :due, :due, :lease, 'another-node')
            """)
        .param("t", tenant.value())
        .param("id", UUID.randomUUID())
        .param("due", java.sql.Timestamp.from(clock.instant().minus(Duration.ofHours(1))))
        .param("lease", java.sql.Timestamp.from(clock.instant().plus(Duration.ofDays(1))))
        .update();
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> httpStatus("/actuator/health/backlog") == 503);
      assertThat(httpStatus("/actuator/health")).as("liveness stays up").isEqualTo(200);
    } finally {
      jdbc.sql("DELETE FROM outbound_message WHERE tenant_id = ? AND claimed_by = 'another-node'")
          .param(tenant.value())
          .update();
    }
  }

  @Test
  void the_claims_rule_for_sms_agrees_with_the_companys_over_every_state() {
    for (dev.herald.tenant.Plan plan : dev.herald.tenant.Plan.values()) {
      for (boolean unlocked : new boolean[] {true, false}) {
        jdbc.sql("UPDATE company SET plan = ?, sms_unlocked = ? WHERE id = ?")
            .params(plan.name(), unlocked, tenant.value())
            .update();
        boolean sql =
            jdbc.sql(
                    "SELECT "
                        + dev.herald.tenant.Company.smsAvailableSql("c")
                        + " FROM company c WHERE c.id = ?")
                .param(tenant.value())
                .query(Boolean.class)
                .single();
        boolean java = companiesRepository.find(tenant).orElseThrow().smsAvailable();
        assertThat(sql).as("%s, unlocked %s", plan, unlocked).isEqualTo(java);
      }
    }
  }

  @Test
  void an_enqueue_notifies_at_most_once_per_transaction_and_not_while_this_nodes_workers_are_busy()
      throws Exception {
    try (java.sql.Connection listen =
            java.sql.DriverManager.getConnection(
                environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
        java.sql.Statement s = listen.createStatement()) {
      s.execute("LISTEN " + OutboundMessages.WAKE_UP_CHANNEL);
      org.postgresql.PGConnection pg = listen.unwrap(org.postgresql.PGConnection.class);
      pg.getNotifications(200); // drain

      // Ten transactions of three enqueues each: at most one NOTIFY per transaction, none when a
      // worker of this node happened to be in a cycle (it looks again by itself).
      for (int t = 0; t < 10; t++) {
        int n = t;
        transactions.executeWithoutResult(tx -> {
          for (int i = 0; i < 3; i++) {
            messages.enqueue(tenant, List.of(anSms("Three in transaction " + n + ", " + i)));
          }
        });
      }
      int notified = notifications(pg);
      assertThat(notified).as("ten transactions, three enqueues each").isLessThanOrEqualTo(10);
      // Each of those may have found a worker of this node in a cycle (each commit wakes one, and
      // they poll every 200 ms): then more transactions, one at a time, until one finds them idle.
      for (int t = 0; notified == 0 && t < 20; t++) {
        int n = t;
        transactions.executeWithoutResult(tx -> {
          for (int i = 0; i < 3; i++) {
            messages.enqueue(tenant, List.of(anSms("One more transaction " + n + ", " + i)));
          }
        });
        int one = notifications(pg);
        assertThat(one).as("one transaction, three enqueues").isLessThanOrEqualTo(1);
        notified += one;
      }
      assertThat(notified).as("a transaction that found the workers idle notified").isPositive();

      gateway.hold(); // a worker now waits for the gateway: busy, it will look again by itself
      messages.enqueue(tenant, List.of(anSms("Keeps a worker busy")));
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.held() == 1);
      pg.getNotifications(200); // drain
      messages.enqueue(tenant, List.of(anSms("While a worker is busy")));
      assertThat(notifications(pg)).as("SMS workers of this node busy").isZero();
      gateway.releaseToSimulator();
    }
  }

  @Test
  void a_node_whose_clock_is_off_is_refused_with_the_reason() {
    Instant now = clock.instant();
    clock.set(Instant.now());
    assertThat(workers.clockRefusal()).isEmpty();
    try {
      clock.advance(Duration.ofHours(13)); // this context allows 12 h (its clock stands still)
      assertThat(workers.clockRefusal())
          .hasValueSatisfying(reason ->
              assertThat(reason).startsWith("this node's clock differs from the database's by"));
    } finally {
      clock.set(now);
    }
  }

  @Test
  void dispatch_is_down_with_the_reason_and_claims_nothing_while_the_clock_is_off_then_recovers() {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> dispatchHealth.health(false).getStatus().equals(Status.UP));
    Instant before = clock.instant();
    UUID id;
    try {
      // 13 h behind the database (this context allows 12 h): a message queued now is due at once
      // by this node's clock, so only the refusal keeps it from being claimed.
      // (In milliseconds, as this context's clock: PostgreSQL rounds nanoseconds to microseconds,
      // so a message queued at a standing nanosecond instant could be due a microsecond later.)
      clock.set(Instant.now().minus(Duration.ofHours(13)).truncatedTo(ChronoUnit.MILLIS));
      workers.wakeUp();
      org.springframework.boot.health.contributor.Health down =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> dispatchHealth.health(true), h -> h.getStatus().equals(Status.DOWN));
      assertThat(down.getDetails())
          .hasEntrySatisfying(
              "refused",
              reason ->
                  assertThat((String) reason)
                      .startsWith("this node's clock differs from the database's by"));

      id =
          messages
              .enqueue(
                  tenant,
                  List.of(anSms("Clock off").withValidUntil(before.plus(Duration.ofDays(1)))))
              .getFirst()
              .id();
      UUID queued = id;
      workers.wakeUp();
      await()
          .during(Duration.ofMillis(1_500))
          .atMost(Duration.ofSeconds(5))
          .until(() ->
              find(queued).status() == MessageStatus.QUEUED
                  && find(queued).attempts() == 0
                  && dispatchHealth.health(false).getStatus().equals(Status.DOWN));
    } finally {
      clock.set(before);
    }
    workers.wakeUp();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatchHealth.health(false).getStatus().equals(Status.UP));
    UUID sent = id;
    MessageView recovered =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> find(sent), m -> m.status() == MessageStatus.SENT);
    assertThat(recovered.attempts()).isEqualTo(1);
    assertThat(simulator.submissionsOf(tenant, sent)).isEqualTo(1);
  }

  @Test
  void workers_queue_depth_and_age_per_channel_and_outcomes_per_gateway_are_metrics() {
    UUID id = messages.enqueue(tenant, List.of(anSms("Counted"))).getFirst().id();
    await().atMost(Duration.ofSeconds(10)).until(() -> find(id).status() == MessageStatus.SENT);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            registry.get("herald.dispatch.workers.alive").tag("channel", "sms").gauge().value()
                == 2);
    assertThat(registry.get("herald.dispatch.workers.alive").tag("channel", "email").gauge())
        .isNotNull();
    assertThat(registry.get("herald.dispatch.queue.depth").tag("channel", "sms").gauge().value())
        .isGreaterThanOrEqualTo(0);
    assertThat(
            registry
                .get("herald.dispatch.queue.oldest.age")
                .tag("channel", "email")
                .gauge()
                .value())
        .isGreaterThanOrEqualTo(0);
    assertThat(
            registry
                .get("herald.dispatch.outcomes")
                .tag("gateway", "armable")
                .tag("outcome", "accepted")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1);
  }

  private static int notifications(org.postgresql.PGConnection pg) throws Exception {
    int n = 0;
    long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
    while (System.nanoTime() < deadline) {
      org.postgresql.PGNotification[] got = pg.getNotifications(100);
      n += got == null ? 0 : got.length;
    }
    return n;
  }

  private int httpStatus(String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static long leaseLapses(MessageView m) {
    return m.attemptHistory().stream().filter(a -> "LEASE_LAPSED".equals(a.outcome())).count();
  }

  private MessageView find(UUID id) {
    return messages.find(tenant, id).orElseThrow();
  }

  private double count(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
