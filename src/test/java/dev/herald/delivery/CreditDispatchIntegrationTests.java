package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.aTwoPartText;
import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.delivery.OutboundDraft.EmailFallback;
import dev.herald.delivery.internal.DeliveryWorkers;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SMS billing wired into the queue (issue 9): credit is reserved at enqueue in the action's order,
 * captured when the gateway takes the SMS, and released once when no carrier did. Same settings as
 * {@link DeliveryIntegrationTests}, so the two share one Spring context.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.poll-interval=30s",
      "herald.delivery.max-attempts=3",
      "herald.delivery.backoff-base=20ms",
      "herald.delivery.backoff-max=100ms",
      "herald.delivery.sms.default-sender=HeraldTest"
    })
class CreditDispatchIntegrationTests {

  @Autowired OutboundMessages messages;
  @Autowired SimulatorControls simulatorControls;
  @Autowired MailSink mailSink;
  @Autowired DeliveryWorkers workers;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;
  @Autowired Clock clock;

  @BeforeEach
  void setUp() {
    simulatorControls.acceptAll();
    await().atMost(Duration.ofSeconds(10)).until(workers::isListening);
  }

  private TenantId aCompanyOnPacks(long credit) {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    accounts.choose(tenant, "packs", "DKK");
    if (credit > 0) {
      credits.grant(tenant, credit, "test-" + UUID.randomUUID(), "test credit");
    }
    return tenant;
  }

  private static OutboundDraft withFallback(OutboundDraft sms, String address) {
    return sms.withFallback(new EmailFallback(address, "From Nordlys", sms.body()));
  }

  @Test
  void sms_are_reserved_in_the_actions_order_until_credit_runs_out_and_the_rest_go_by_email() {
    TenantId tenant = aCompanyOnPacks(5);
    List<QueuedMessage> queued =
        messages.enqueue(
            tenant,
            List.of(
                withFallback(anSms("+4520000001", aTwoPartText()), "first@example.com"),
                withFallback(anSms("+4520000002", aTwoPartText()), "second@example.com"),
                withFallback(anSms("+4520000003", aTwoPartText()), "third@example.com"),
                // Fits the one credit left, but comes after one that did not: the action's order.
                anSms("+4520000004", "Short")));

    assertThat(queued)
        .extracting(QueuedMessage::channel, QueuedMessage::status, QueuedMessage::segments)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Channel.SMS, MessageStatus.QUEUED, 2),
            org.assertj.core.groups.Tuple.tuple(Channel.SMS, MessageStatus.QUEUED, 2),
            org.assertj.core.groups.Tuple.tuple(Channel.SMS, MessageStatus.NO_CREDIT, 2),
            org.assertj.core.groups.Tuple.tuple(Channel.SMS, MessageStatus.NO_CREDIT, 1),
            org.assertj.core.groups.Tuple.tuple(Channel.EMAIL, MessageStatus.QUEUED, 0));
    assertThat(credits.balance(tenant)).isEqualTo(1);

    MessageView third = messages.find(tenant, queued.get(2).id()).orElseThrow();
    assertThat(third.statusReason()).isEqualTo(OutboundMessages.NO_CREDIT_SENT_BY_EMAIL);
    MessageView fourth = messages.find(tenant, queued.get(3).id()).orElseThrow();
    assertThat(fourth.statusReason()).as("no fallback on the draft").isEqualTo("no credit");
    assertThat(
            jdbc.sql("SELECT fallback_id FROM outbound_message WHERE tenant_id = :t AND id = :id")
                .param("t", tenant.value())
                .param("id", queued.get(2).id())
                .query(UUID.class)
                .single())
        .isEqualTo(queued.get(4).id());

    awaitStatus(tenant, queued.get(0).id(), MessageStatus.SENT);
    awaitStatus(tenant, queued.get(1).id(), MessageStatus.SENT);
    awaitStatus(tenant, queued.get(4).id(), MessageStatus.SENT);
    assertThat(mailSink.of(tenant, 0, 10).items())
        .singleElement()
        .satisfies(mail -> assertThat(mail.recipient()).isEqualTo("third@example.com"));

    // Captured, not moved again: the usage is the segments counted at enqueue.
    await().atMost(Duration.ofSeconds(5)).until(() -> credits.outstanding(tenant) == 0);
    assertThat(credits.balance(tenant)).isEqualTo(1);
    assertThat(sum("SELECT coalesce(sum(units), 0) FROM sms_usage WHERE tenant_id = :t", tenant))
        .isEqualTo(4);
    assertThat(
            sum(
                "SELECT count(*) FROM credit_settlement WHERE tenant_id = :t AND outcome = 'captured'",
                tenant))
        .isEqualTo(2);
  }

  @Test
  void the_company_can_turn_the_email_fallback_off() {
    TenantId tenant = aCompanyOnPacks(0);
    accounts.setEmailFallback(tenant, false);
    List<QueuedMessage> queued =
        messages.enqueue(
            tenant, List.of(withFallback(anSms("+4520000005", "Hello"), "x@example.com")));
    assertThat(queued)
        .singleElement()
        .satisfies(q -> {
          assertThat(q.status()).isEqualTo(MessageStatus.NO_CREDIT);
        });
    assertThat(messages.find(tenant, queued.getFirst().id()).orElseThrow().statusReason())
        .isEqualTo("no credit");
  }

  @Test
  void a_permanent_failure_gives_the_credit_back_once() {
    TenantId tenant = aCompanyOnPacks(10);
    simulatorControls.failPermanently(1, "SIM_REJECTED");
    QueuedMessage q =
        messages.enqueue(tenant, List.of(anSms("+4520000006", aTwoPartText()))).getFirst();
    assertThat(
            sum(
                "SELECT coalesce(sum(units), 0) FROM credit_ledger WHERE tenant_id = :t AND kind = 'reserve'",
                tenant))
        .as("reserved at enqueue")
        .isEqualTo(2);

    awaitStatus(tenant, q.id(), MessageStatus.FAILED);
    await().atMost(Duration.ofSeconds(5)).until(() -> credits.balance(tenant) == 10);
    assertThat(releases(tenant)).isEqualTo(1);
    assertThat(sum("SELECT coalesce(sum(units), 0) FROM sms_usage WHERE tenant_id = :t", tenant))
        .isZero();
    // Reported again (a late or repeated answer): the reference is released once, ever.
    credits.release(List.of(new dev.herald.billing.CreditUse(tenant, q.id(), 2)));
    assertThat(credits.balance(tenant)).isEqualTo(10);
  }

  @Test
  void a_cancellation_before_submission_gives_the_credit_back() {
    TenantId tenant = aCompanyOnPacks(10);
    // In one transaction, so no worker can take it first.
    QueuedMessage q =
        transactions.execute(tx -> {
          QueuedMessage queued =
              messages.enqueue(tenant, List.of(anSms("+4520000007", "Hello"))).getFirst();
          assertThat(messages.cancelQueuedSms(tenant, "SMS locked")).isEqualTo(1);
          return queued;
        });
    assertThat(messages.find(tenant, q.id()).orElseThrow().status())
        .isEqualTo(MessageStatus.CANCELLED);
    assertThat(credits.balance(tenant)).isEqualTo(10);
    assertThat(credits.outstanding(tenant)).isZero();
    assertThat(releases(tenant)).isEqualTo(1);
  }

  @Test
  void a_cancellation_of_a_lapsed_lease_captures_rather_than_releases() {
    TenantId tenant = aCompanyOnPacks(10);
    QueuedMessage q =
        transactions.execute(tx -> {
          QueuedMessage queued =
              messages.enqueue(tenant, List.of(anSms("+4520000017", "Hello"))).getFirst();
          // As a claim leaves it: node-x has it in hand (submitted), and its lease lapsed a
          // moment ago (node killed, or slow); no claim has seen the lapse yet.
          jdbc.sql(
                  "UPDATE outbound_message SET attempts = 1, claimed_by = 'node-x', gateway = 'simulator',"
                      + " lease_until = :l WHERE tenant_id = :t AND id = :id")
              .param("l", java.sql.Timestamp.from(clock.instant().minusSeconds(1)))
              .param("t", tenant.value())
              .param("id", queued.id())
              .update();
          messages.cancelQueuedSms(tenant, "SMS locked");
          return queued;
        });
    assertThat(
            jdbc.sql(
                    "SELECT outcome FROM credit_settlement WHERE tenant_id = :t AND reference = :r")
                .param("t", tenant.value())
                .param("r", q.id())
                .query(String.class)
                .optional())
        .as("node-x may have submitted it: not released")
        .isNotEqualTo(java.util.Optional.of("released"));
  }

  @Test
  void a_late_refusal_of_the_attempt_whose_lease_lapsed_is_not_taken_for_a_carrier_having_it() {
    TenantId tenant = aCompanyOnPacks(10);
    UUID other = messages.enqueue(tenant, List.of(anSms("+4520000018", "Hi"))).getFirst().id();
    // As the claim leaves a lapsed lease: attempt 1 of node-x is an unknown outcome, with its
    // LEASE_LAPSED attempt row. Its own late answer may still come; a second message has, besides,
    // an earlier unknown attempt of its own.
    UUID id =
        transactions.execute(tx -> {
          UUID queued =
              messages.enqueue(tenant, List.of(anSms("+4520000019", "Hello"))).getFirst().id();
          for (UUID m : List.of(queued, other)) {
            jdbc.sql(
                    """
                    UPDATE outbound_message SET status = 'sending', attempts = 1, claimed_by = 'node-x',
                           gateway = 'simulator', lease_until = NULL,
                           next_attempt_at = now() + interval '1 hour', outcome_unknown_since = now(),
                           error_code = 'LEASE_LAPSED', status_reason = 'outcome unknown'
                    WHERE tenant_id = :t AND id = :id
                    """)
                .param("t", tenant.value())
                .param("id", m)
                .update();
            jdbc.sql(
                    """
                    INSERT INTO outbound_attempt (tenant_id, message_id, number, node, gateway, started_at,
                                                  finished_at, outcome, error_code, error_message)
                    VALUES (:t, :id, 1, 'node-x', 'simulator', now(), now(), 'LEASE_LAPSED', 'LEASE_LAPSED', 'lapsed')
                    """)
                .param("t", tenant.value())
                .param("id", m)
                .update();
          }
          return queued;
        });
    // The late answers of attempt 1, as node-x records them: a refusal for good.
    List<java.util.Map<String, Object>> rows =
        jdbc.sql(dev.herald.delivery.internal.DispatchSql.RECORD_OUTCOMES)
            .param("tenants", new UUID[] {tenant.value(), tenant.value()})
            .param("ids", new UUID[] {id, other})
            .param("attempts", new Integer[] {1, 1})
            .param("outcomes", new String[] {"PERMANENT_FAILURE", "UNKNOWN"})
            .param("codes", new String[] {"SIM_REJECTED", "TIMEOUT"})
            .param("messages", new String[] {"rejected", "no answer"})
            .param("statuses", new String[] {"failed", "sending"})
            .param("reasons", new String[] {"rejected", "outcome unknown"})
            .param("nexts", new String[] {null, clock.instant().plusSeconds(60).toString()})
            .param("now", java.sql.Timestamp.from(clock.instant()))
            .param("startedAt", java.sql.Timestamp.from(clock.instant()))
            .param("node", "node-x")
            .param("leaseUntil", java.sql.Timestamp.from(clock.instant()))
            .query()
            .listOfRows();
    assertThat(rows)
        .extracting(r -> r.get("id"), r -> r.get("maybe_accepted"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(id, false),
            org.assertj.core.groups.Tuple.tuple(other, true));
  }

  @Test
  void an_expiry_before_submission_gives_the_credit_back() {
    TenantId tenant = aCompanyOnPacks(10);
    QueuedMessage q =
        transactions.execute(tx -> {
          QueuedMessage queued =
              messages
                  .enqueue(
                      tenant,
                      List.of(
                          anSms("+4520000008", "Hello")
                              .withValidUntil(clock.instant().plusMillis(50))))
                  .getFirst();
          sleep(Duration.ofMillis(100)); // the claim sees it after its validity
          return queued;
        });
    awaitStatus(tenant, q.id(), MessageStatus.EXPIRED);
    await().atMost(Duration.ofSeconds(5)).until(() -> credits.balance(tenant) == 10);
    assertThat(releases(tenant)).isEqualTo(1);
  }

  @Test
  void a_dedupe_key_enqueued_twice_reserves_once() {
    TenantId tenant = aCompanyOnPacks(10);
    OutboundDraft draft = anSms("+4520000009", "Your quote 1042").withDedupeKey("quote-1042");
    UUID first = messages.enqueue(tenant, List.of(draft)).getFirst().id();
    UUID again = messages.enqueue(tenant, List.of(draft)).getFirst().id();
    assertThat(again).isEqualTo(first);
    assertThat(credits.balance(tenant)).isEqualTo(9);
    assertThat(
            sum(
                "SELECT count(*) FROM credit_ledger WHERE tenant_id = :t AND kind = 'reserve'",
                tenant))
        .isEqualTo(1);
  }

  @Test
  void a_company_without_sms_has_its_sms_cancelled_at_once_and_nothing_reserved() {
    TenantId tenant = companies.aDanishCompany(false, true).id();
    QueuedMessage q = messages.enqueue(tenant, List.of(anSms("+4520000010", "Hi"))).getFirst();
    assertThat(q.status()).isEqualTo(MessageStatus.CANCELLED);
    assertThat(messages.find(tenant, q.id()).orElseThrow().statusReason())
        .isEqualTo(OutboundMessages.SMS_STOPPED);
    assertThat(sum("SELECT count(*) FROM credit_reservation WHERE tenant_id = :t", tenant))
        .isZero();
  }

  @Test
  void a_company_on_monthly_blocks_has_its_usage_counted_per_batch_from_the_captures() {
    TenantId tenant = companies.aDanishCompany(true, true).id(); // blocks: see TestCompanies
    List<QueuedMessage> queued =
        messages.enqueue(
            tenant,
            List.of(
                anSms("+4520000011", aTwoPartText()),
                anSms("+4520000012", "One part"),
                anSms("+4520000013", "One more")));
    assertThat(queued).allMatch(q -> q.status() == MessageStatus.QUEUED);
    queued.forEach(q -> awaitStatus(tenant, q.id(), MessageStatus.SENT));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            sum("SELECT coalesce(sum(units), 0) FROM sms_usage WHERE tenant_id = :t", tenant) == 4);
  }

  private long releases(TenantId tenant) {
    return sum(
        "SELECT count(*) FROM credit_ledger WHERE tenant_id = :t AND kind = 'release'", tenant);
  }

  private long sum(String sql, TenantId tenant) {
    return jdbc.sql(sql).param("t", tenant.value()).query(Long.class).single();
  }

  private MessageView awaitStatus(TenantId tenant, UUID id, MessageStatus status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> messages.find(tenant, id).orElseThrow(), m -> m.status() == status);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
