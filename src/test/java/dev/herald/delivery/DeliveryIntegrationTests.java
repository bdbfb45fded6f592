package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.aTwoPartText;
import static dev.herald.delivery.DeliveryFixtures.anEmail;
import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.internal.DeliveryWorkers;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue end to end in one node, with polling set to 30 s: every dispatch below happens because
 * the enqueue's NOTIFY woke a worker, and the wake-up test measures it.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.poll-interval=30s",
      "herald.delivery.max-attempts=3",
      "herald.delivery.backoff-base=20ms",
      "herald.delivery.backoff-max=100ms",
      "herald.delivery.sms.default-sender=HeraldTest"
    })
class DeliveryIntegrationTests {

  @Autowired OutboundMessages messages;
  @Autowired SimulatorRecords simulator;
  @Autowired SimulatorControls simulatorControls;
  @Autowired MailSink mailSink;
  @Autowired DeliveryWorkers workers;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  TenantId tenant;

  @BeforeEach
  void setUp() {
    simulatorControls.acceptAll();
    tenant = companies.aDanishCompany(true, true).id();
    await().atMost(Duration.ofSeconds(10)).until(workers::isListening);
  }

  @Test
  void an_sms_is_claimed_submitted_and_sent_with_a_gateway_id_per_part() {
    QueuedMessage queued =
        messages.enqueue(tenant, List.of(anSms("+4520123456", aTwoPartText()))).getFirst();
    assertThat(queued.status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(queued.segments()).isEqualTo(2);

    MessageView sent = awaitStatus(queued.id(), MessageStatus.SENT);

    assertThat(sent.attempts()).isEqualTo(1);
    assertThat(sent.maskedRecipient()).isEqualTo("+45••••••56");
    assertThat(sent.encoding()).isEqualTo("GSM_7");
    assertThat(sent.sentAt()).isNotNull();
    assertThat(sent.nextAttemptAt()).as("left the claim index").isNull();
    assertThat(sent.attemptHistory())
        .singleElement()
        .satisfies(a -> {
          assertThat(a.outcome()).isEqualTo("SUBMITTED");
          assertThat(a.gateway()).isEqualTo("simulator");
          assertThat(a.finishedAt()).isNotNull();
        });
    SimulatedSms received = simulator.of(tenant, 0, 10).items().getFirst();
    assertThat(received.messageId()).isEqualTo(queued.id());
    assertThat(received.parts()).isEqualTo(2);
    assertThat(received.sender()).isEqualTo("HeraldTest");
    assertThat(received.maskedRecipient()).isEqualTo("+45••••••56");
    assertThat(received.text()).isEqualTo(aTwoPartText());
    // The happy path keeps the ids on the message row (part 1 indexed for receipts) and further
    // parts in outbound_gateway_part: both lookups find this message.
    List<String> storedIds =
        jdbc.sql(
                """
                SELECT unnest(gateway_message_ids) FROM outbound_message
                WHERE tenant_id = :t AND id = :id
                """)
            .param("t", tenant.value())
            .param("id", queued.id())
            .query(String.class)
            .list();
    assertThat(storedIds).hasSize(2).isEqualTo(received.gatewayMessageIds());
    assertThat(
            jdbc.sql(
                    """
                    SELECT id FROM outbound_message
                    WHERE gateway = 'simulator' AND gateway_message_id = :first
                    """)
                .param("first", storedIds.get(0))
                .query(UUID.class)
                .single())
        .isEqualTo(queued.id());
    assertThat(
            jdbc.sql(
                    """
                    SELECT message_id FROM outbound_gateway_part
                    WHERE gateway = 'simulator' AND gateway_message_id = :second AND part = 2
                    """)
                .param("second", storedIds.get(1))
                .query(UUID.class)
                .single())
        .isEqualTo(queued.id());
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM outbound_attempt WHERE tenant_id = :t AND message_id = :id")
                .param("t", tenant.value())
                .param("id", queued.id())
                .query(Long.class)
                .single())
        .as("no attempt row on the happy path")
        .isZero();
  }

  @Test
  void smart_encoding_is_applied_when_queued() {
    QueuedMessage queued =
        messages.enqueue(tenant, List.of(anSms("It’s “ready” – see you…"))).getFirst();
    MessageView sent = awaitStatus(queued.id(), MessageStatus.SENT);
    assertThat(sent.body()).isEqualTo("It's \"ready\" - see you...");
    assertThat(sent.encoding()).isEqualTo("GSM_7");
  }

  @Test
  void an_email_goes_to_the_mail_sink_when_no_smtp_server_is_configured() {
    QueuedMessage queued =
        messages
            .enqueue(
                tenant,
                List.of(anEmail("anna@example.dk", "Your quote", "Hello Anna, here it is.")))
            .getFirst();
    assertThat(queued.segments()).isZero();

    MessageView sent = awaitStatus(queued.id(), MessageStatus.SENT);

    assertThat(sent.maskedRecipient()).isEqualTo("a•••@example.dk");
    assertThat(sent.attemptHistory())
        .singleElement()
        .extracting(AttemptView::gateway)
        .isEqualTo("mail-sink");
    assertThat(mailSink.of(tenant, 0, 10).items())
        .singleElement()
        .satisfies(mail -> {
          assertThat(mail.messageId()).isEqualTo(queued.id());
          assertThat(mail.recipient()).isEqualTo("anna@example.dk");
          assertThat(mail.subject()).isEqualTo("Your quote");
          assertThat(mail.body()).isEqualTo("Hello Anna, here it is.");
          assertThat(mail.sender()).isEqualTo("herald@localhost");
        });
  }

  @Test
  void a_permanent_failure_fails_the_message_at_once_with_the_gateways_code() {
    simulatorControls.failPermanently(1, "SIM_INVALID_DESTINATION");
    QueuedMessage queued = messages.enqueue(tenant, List.of(anSms("Hello"))).getFirst();

    MessageView failed = awaitStatus(queued.id(), MessageStatus.FAILED);

    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.errorCode()).isEqualTo("SIM_INVALID_DESTINATION");
    assertThat(failed.statusReason()).isEqualTo("simulated permanent failure");
    assertThat(failed.attemptHistory())
        .singleElement()
        .extracting(AttemptView::outcome)
        .isEqualTo("PERMANENT_FAILURE");
    assertThat(simulator.submissionsOf(tenant, queued.id())).isZero();
  }

  @Test
  void transient_failures_are_retried_until_the_gateway_accepts() {
    simulatorControls.failTransiently(2);
    QueuedMessage queued = messages.enqueue(tenant, List.of(anSms("Hello again"))).getFirst();

    MessageView sent = awaitStatus(queued.id(), MessageStatus.SENT);

    assertThat(sent.attempts()).isEqualTo(3);
    assertThat(sent.attemptHistory())
        .extracting(AttemptView::outcome)
        .containsExactly("TRANSIENT_FAILURE", "TRANSIENT_FAILURE", "SUBMITTED");
    assertThat(sent.attemptHistory().getFirst().errorCode()).isEqualTo("SIM_THROTTLED");
    assertThat(simulator.submissionsOf(tenant, queued.id())).isEqualTo(1);
  }

  @Test
  void a_message_that_keeps_failing_transiently_gives_up_after_max_attempts() {
    simulatorControls.failTransientlyUntilToldOtherwise();
    try {
      QueuedMessage queued =
          messages.enqueue(tenant, List.of(anSms("Never gets through"))).getFirst();

      MessageView failed = awaitStatus(queued.id(), MessageStatus.FAILED);

      assertThat(failed.attempts()).isEqualTo(3);
      assertThat(failed.statusReason()).startsWith("gave up after 3 attempts");
      assertThat(failed.errorCode()).isEqualTo("SIM_THROTTLED");
    } finally {
      simulatorControls.acceptAll();
    }
  }

  @Test
  void notify_wakes_an_idle_worker_in_under_a_second_although_polling_is_every_30_seconds() {
    // Let the workers go idle: one message through, then they wait for the next NOTIFY or 30 s.
    awaitStatus(
        messages.enqueue(tenant, List.of(anSms("Warm-up"))).getFirst().id(), MessageStatus.SENT);

    long start = System.nanoTime();
    QueuedMessage queued = messages.enqueue(tenant, List.of(anSms("Wake up"))).getFirst();
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> messages.find(tenant, queued.id()).orElseThrow().status() == MessageStatus.SENT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void another_companys_message_is_not_found() {
    QueuedMessage queued = messages.enqueue(tenant, List.of(anSms("Mine"))).getFirst();
    TenantId other = companies.aDanishCompany(true, true).id();
    assertThat(messages.find(other, queued.id())).isEmpty();
    assertThat(messages.search(other, MessageFilter.all(), 0, 20).total()).isZero();
  }

  @Test
  void search_filters_by_status_channel_and_contact_newest_first() {
    List<QueuedMessage> queued =
        messages.enqueue(
            tenant, List.of(anSms("One"), anEmail("b@example.dk", "Two", "Two"), anSms("Three")));
    queued.forEach(q -> awaitStatus(q.id(), MessageStatus.SENT));

    assertThat(
            messages
                .search(tenant, new MessageFilter(MessageStatus.SENT, Channel.SMS, null), 0, 10)
                .items())
        .extracting(MessageView::body)
        .containsExactly("Three", "One");
    assertThat(messages.search(tenant, new MessageFilter(null, Channel.EMAIL, null), 0, 10).total())
        .isEqualTo(1);
    assertThat(
            messages
                .search(tenant, new MessageFilter(MessageStatus.FAILED, null, null), 0, 10)
                .total())
        .isZero();
    assertThat(
            messages
                .search(tenant, new MessageFilter(null, null, UUID.randomUUID()), 0, 10)
                .total())
        .isZero();
    assertThat(messages.search(tenant, MessageFilter.all(), 1, 2).items())
        .singleElement()
        .extracting(MessageView::body)
        .isEqualTo("One");
  }

  @Test
  void a_draft_with_a_malformed_recipient_is_refused_and_nothing_is_queued() {
    assertThatThrownBy(
            () -> messages.enqueue(tenant, List.of(anSms("Hi"), anSms("20123456", "Hi"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(messages.search(tenant, MessageFilter.all(), 0, 10).total()).isZero();
  }

  private MessageView awaitStatus(UUID id, MessageStatus status) {
    return await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> messages.find(tenant, id).orElseThrow(), m -> m.status() == status);
  }
}
