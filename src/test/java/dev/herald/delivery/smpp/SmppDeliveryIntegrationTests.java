package dev.herald.delivery.smpp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.contact.ContactInput;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.MessageView;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.delivery.internal.DeliveryWorkers;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import dev.herald.support.WebSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Herald through its SMPP gateway to a jSMPP SMSC on loopback, end to end: the queue, the dispatch
 * workers, two binds, receipts matched through the database (on either bind, before the submit's
 * answer, in hex and decimal), multi-part messages, unknown outcomes settled by a late answer, and
 * an SMSC that stops and starts again mid-run.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.delivery.sms.gateway=smsc",
      "herald.delivery.gateways.smsc.type=smpp",
      "herald.delivery.gateways.smsc.host=127.0.0.1",
      "herald.delivery.gateways.smsc.system-id=herald",
      "herald.delivery.gateways.smsc.password=secret",
      "herald.delivery.gateways.smsc.binds=2",
      "herald.delivery.gateways.smsc.window=10",
      "herald.delivery.gateways.smsc.response-timeout=20s",
      "herald.delivery.gateways.smsc.reconnect-min=100ms",
      "herald.delivery.gateways.smsc.reconnect-max=400ms",
      "herald.delivery.gateways.smsc.submit-id-format=hex",
      "herald.delivery.gateways.smsc.receipt-id-format=decimal",
      "herald.delivery.gateways.smsc.max-per-second=2000",
      "herald.delivery.gateways.smsc.unknown-outcome-window=1m",
      "herald.delivery.submit-timeout=1s",
      "herald.delivery.lease=10s",
      "herald.delivery.backoff-base=200ms",
      "herald.delivery.backoff-max=1s",
      "herald.delivery.poll-interval=200ms",
      "herald.delivery.receipts.match-interval=100ms",
      "herald.delivery.receipts.part-wait=5s",
      // a number shared by every company without a sender of its own
      "herald.delivery.sms.default-sender=+4570000000"
    })
@DirtiesContext // closes its binds and threads once the class is done
class SmppDeliveryIntegrationTests {

  static final TestSmsc SMSC;

  static {
    try {
      SMSC = new TestSmsc();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final AtomicInteger numbers = new AtomicInteger();

  @DynamicPropertySource
  static void smsc(DynamicPropertyRegistry registry) {
    registry.add("herald.delivery.gateways.smsc.port", () -> SMSC.port);
  }

  @AfterAll
  static void stopSmsc() throws IOException {
    SMSC.close();
  }

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired DeliveryWorkers workers;
  @Autowired JdbcClient jdbc;
  @Autowired OptOuts optOuts;
  @Autowired Contacts contacts;
  @Autowired io.micrometer.core.instrument.MeterRegistry registry;
  @LocalServerPort int port;

  TestCompanies.TestCompany company;
  TenantId tenant;

  @BeforeEach
  void setUp() {
    company = companies.aDanishCompany(true, true);
    tenant = company.id();
    await().atMost(Duration.ofSeconds(10)).until(workers::isListening);
    await().atMost(Duration.ofSeconds(10)).until(() -> SMSC.boundSessions() >= 2);
  }

  @AfterEach
  void reset() {
    SMSC.answers = s -> new TestSmsc.Answer.Id(SMSC.nextId());
    SMSC.delay = Duration.ZERO;
    SMSC.release();
  }

  static String aNumber() {
    return "+4521%06d".formatted(numbers.incrementAndGet());
  }

  QueuedMessage send(String to, String text) {
    return messages
        .enqueue(tenant, List.of(new OutboundDraft(Channel.SMS, null, to, null, text, false)))
        .getFirst();
  }

  MessageView awaitStatus(UUID id, MessageStatus status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> messages.find(tenant, id).orElseThrow(), m -> m.status() == status);
  }

  /** An unknown outcome: sending in the database, not merely claimed. */
  MessageView awaitUnknownOutcome(UUID id) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> messages.find(tenant, id).orElseThrow(),
            m -> m.status() == MessageStatus.SENDING && "outcome unknown".equals(m.statusReason()));
  }

  /** What the SMSC got for this number, parts in their order (they may arrive in any). */
  List<TestSmsc.Received> receivedBy(String to) {
    return SMSC.received().stream()
        .filter(r -> r.pdu().getDestAddress().equals(to.substring(1)))
        .sorted(java.util.Comparator.comparingInt(r -> r.udh().length == 0 ? 0 : r.udh()[5]))
        .toList();
  }

  /** The SMSC's id as the receipt's text writes it: decimal. */
  static String decimal(String hexId) {
    return Long.toString(Long.parseLong(hexId, 16));
  }

  @Test
  void a_two_part_message_is_delivered_when_both_parts_have_their_receipt_on_either_bind()
      throws Exception {
    String to = aNumber();
    QueuedMessage queued = send(to, "Your order is ready. ".repeat(10));
    assertThat(queued.segments()).isEqualTo(2);

    awaitStatus(queued.id(), MessageStatus.SENT);
    List<TestSmsc.Received> parts = receivedBy(to);
    assertThat(parts).hasSize(2);
    List<String> stored =
        jdbc.sql(
                "SELECT unnest(gateway_message_ids) FROM outbound_message WHERE tenant_id = :t AND id = :id")
            .param("t", tenant.value())
            .param("id", queued.id())
            .query(String.class)
            .list();
    assertThat(stored)
        .as("canonical: the SMSC's hex ids as decimal")
        .containsExactly(decimal(parts.get(0).id()), decimal(parts.get(1).id()));

    SMSC.receipt(0, decimal(parts.get(0).id()), "DELIVRD", "000", false);
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(
            () -> messages.find(tenant, queued.id()).orElseThrow().status() == MessageStatus.SENT);
    SMSC.receipt(1, decimal(parts.get(1).id()), "DELIVRD", "000", false);

    MessageView delivered = awaitStatus(queued.id(), MessageStatus.DELIVERED);
    assertThat(delivered.statusReason()).isNull();
    assertThat(delivered.errorCode()).isNull();
    WebSession web = new WebSession();
    web.logIn("http://localhost:" + port, company.ownerEmail(), TestCompanies.PASSWORD);
    String page = web.get("http://localhost:" + port + "/messages/" + queued.id()).body();
    assertThat(page).contains("Delivered");
  }

  @Test
  void a_multi_part_message_fails_when_one_part_is_refused_with_the_carriers_error()
      throws Exception {
    String to = aNumber();
    QueuedMessage queued = send(to, "Invoice 2026-118 is attached. ".repeat(7));
    awaitStatus(queued.id(), MessageStatus.SENT);
    List<TestSmsc.Received> parts = receivedBy(to);

    SMSC.receipt(0, parts.get(0).id(), "DELIVRD", "000", true);
    SMSC.receipt(1, parts.get(1).id(), "UNDELIV", "034", true);

    MessageView failed = awaitStatus(queued.id(), MessageStatus.FAILED);
    assertThat(failed.errorCode()).isEqualTo("034");
    assertThat(failed.statusReason())
        .isEqualTo("the carrier could not deliver it (part 2) (error 034)");
    assertThat(failed.sentAt()).as("still shown as sent once").isNotNull();
    WebSession web = new WebSession();
    web.logIn("http://localhost:" + port, company.ownerEmail(), TestCompanies.PASSWORD);
    String list = web.get("http://localhost:" + port + "/messages").body();
    assertThat(list).contains("The carrier could not deliver it to the phone");
  }

  @Test
  void an_expired_receipt_makes_the_message_expired() throws Exception {
    String to = aNumber();
    QueuedMessage queued = send(to, "See you tomorrow");
    awaitStatus(queued.id(), MessageStatus.SENT);

    SMSC.receiptText(1, "id:" + decimal(receivedBy(to).getFirst().id()) + " stat:EXPIRED err:000");

    assertThat(awaitStatus(queued.id(), MessageStatus.EXPIRED).statusReason())
        .isEqualTo("expired at the carrier before it reached the phone");
  }

  @Test
  void
      a_one_part_messages_receipts_are_matched_and_settle_it_once_stored_and_a_later_failure_counts()
          throws Exception {
    String to = aNumber();
    QueuedMessage queued = send(to, "Your van is on its way");
    awaitStatus(queued.id(), MessageStatus.SENT);
    String id = receivedBy(to).getFirst().id();

    // each deliver_sm is answered once its receipt is stored: the message is settled by then
    SMSC.receipt(0, id, "ENROUTE", "000", true);
    assertThat(messages.find(tenant, queued.id()).orElseThrow().status())
        .as("an intermediate state changes nothing")
        .isEqualTo(MessageStatus.SENT);
    SMSC.receipt(1, id, "DELIVRD", "000", true);
    assertThat(messages.find(tenant, queued.id()).orElseThrow().status())
        .isEqualTo(MessageStatus.DELIVERED);
    SMSC.receipt(0, id, "UNDELIV", "034", true);
    MessageView failed = messages.find(tenant, queued.id()).orElseThrow();
    assertThat(failed.status())
        .as("a failure reported after a delivery fails the message, as the matcher would")
        .isEqualTo(MessageStatus.FAILED);
    assertThat(failed.statusReason()).contains("could not deliver");

    assertThat(
            jdbc.sql(
                    """
                    SELECT state, match_tries, matched_at IS NOT NULL AND next_match_at IS NULL AS matched
                    FROM delivery_receipt WHERE tenant_id = :tenant AND message_id = :id
                    ORDER BY received_at
                    """)
                .param("tenant", tenant.value())
                .param("id", queued.id())
                .query((rs, n) -> rs.getString(1) + "/" + rs.getInt(2) + "/" + rs.getBoolean(3))
                .list())
        .as("stored matched, in one write each: no matcher round")
        .containsExactly("pending/1/true", "delivered/1/true", "failed/1/true");
  }

  @Autowired javax.sql.DataSource dataSource;

  /**
   * A receipt stored while the matcher holds its message (settling it from an earlier receipt,
   * stored before the submit_sm_resp was recorded) is not settled at store from a snapshot that
   * misses the matcher's: it is stored unmatched, at once, and the matcher settles it with both
   * (found by the session 8 review: the store waited for the row, then wrote delivered over the
   * matcher's failed).
   */
  @Test
  void a_receipt_stored_while_the_matcher_holds_the_message_neither_waits_nor_undoes_its_failure()
      throws Exception {
    String to = aNumber();
    QueuedMessage queued = send(to, "Your van is on its way");
    awaitStatus(queued.id(), MessageStatus.SENT);
    String id = receivedBy(to).getFirst().id();
    String canonical =
        jdbc.sql(
                "SELECT gateway_message_id FROM outbound_message WHERE tenant_id = :t AND id = :id")
            .param("t", tenant.value())
            .param("id", queued.id())
            .query(String.class)
            .single();
    java.util.UUID early = java.util.UUID.randomUUID();
    // an UNDELIV stored before the submit answer was recorded: unmatched, due later
    jdbc.sql(
            """
            INSERT INTO delivery_receipt (gateway, id, gateway_message_id, state, error_code, received_at,
                                          next_match_at, match_tries)
            VALUES ('smsc', :id, :gid, 'failed', '034', now(), now() + interval '1 hour', 0)
            """)
        .param("id", early)
        .param("gid", canonical)
        .update();
    try (java.sql.Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      // the matcher's transaction: MATCH takes the early receipt, SETTLE fails the message
      try (var st =
          c.prepareStatement(
              "UPDATE delivery_receipt SET matched_at = now(), next_match_at = NULL, tenant_id = ?, "
                  + "message_id = ?, part = 1, match_tries = 1 WHERE gateway = 'smsc' AND id = ?")) {
        st.setObject(1, tenant.value());
        st.setObject(2, queued.id());
        st.setObject(3, early);
        assertThat(st.executeUpdate()).isEqualTo(1);
      }
      try (var st =
          c.prepareStatement(
              "UPDATE outbound_message SET status = 'failed', status_reason = 'the carrier could not "
                  + "deliver it (error 034)', error_code = '034', receipt_at = now(), updated_at = now() "
                  + "WHERE tenant_id = ? AND id = ?")) {
        st.setObject(1, tenant.value());
        st.setObject(2, queued.id());
        assertThat(st.executeUpdate()).isEqualTo(1);
      }
      // meanwhile the carrier sends the DELIVRD of the same id
      java.util.concurrent.CompletableFuture<Void> delivered =
          java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
              SMSC.receipt(0, id, "DELIVRD", "000", true);
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          });
      delivered.get(5, java.util.concurrent.TimeUnit.SECONDS); // acknowledged without waiting
      c.commit();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            jdbc.sql(
                        "SELECT count(*) FROM delivery_receipt WHERE tenant_id = :t AND message_id = :id")
                    .param("t", tenant.value())
                    .param("id", queued.id())
                    .query(Long.class)
                    .single()
                == 2);
    assertThat(
            jdbc.sql(
                    "SELECT state FROM delivery_receipt WHERE tenant_id = :t AND message_id = :id "
                        + "ORDER BY state")
                .param("t", tenant.value())
                .param("id", queued.id())
                .query(String.class)
                .list())
        .containsExactly("delivered", "failed");
    assertThat(messages.find(tenant, queued.id()).orElseThrow().status())
        .as("a failed receipt of the message is matched: any failed report fails it")
        .isEqualTo(MessageStatus.FAILED);
  }

  @Test
  void a_receipt_never_takes_a_failed_message_back_to_delivered() throws Exception {
    String to = aNumber();
    QueuedMessage queued = send(to, "Your van is on its way");
    awaitStatus(queued.id(), MessageStatus.SENT);
    String id = receivedBy(to).getFirst().id();
    // failed by a receipt this statement will not see (another node's, committed a moment ago)
    jdbc.sql(
            """
            UPDATE outbound_message SET status = 'failed', error_code = '034', receipt_at = now(),
                   status_reason = 'the carrier could not deliver it (error 034)'
            WHERE tenant_id = :t AND id = :id
            """)
        .param("t", tenant.value())
        .param("id", queued.id())
        .update();

    SMSC.receipt(0, id, "DELIVRD", "000", true);

    MessageView after = messages.find(tenant, queued.id()).orElseThrow();
    assertThat(after.status())
        .as("failed outranks delivered: a verdict from fewer receipts does not undo it")
        .isEqualTo(MessageStatus.FAILED);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM delivery_receipt WHERE tenant_id = :t AND message_id = :id")
                .param("t", tenant.value())
                .param("id", queued.id())
                .query(Long.class)
                .single())
        .as("the receipt is kept, matched")
        .isEqualTo(1);
  }

  @Test
  void a_receipt_that_comes_before_the_submit_answer_still_matches() {
    String to = aNumber();
    SMSC.answers =
        s -> {
          String id = SMSC.nextId();
          try {
            // the receipt goes out on the other bind before this submit_sm is answered
            SMSC.receipt(1, id, "DELIVRD", "000", true);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return new TestSmsc.Answer.Id(id);
        };
    SMSC.delay = Duration.ofMillis(300);

    QueuedMessage queued = send(to, "Early bird");

    awaitStatus(queued.id(), MessageStatus.DELIVERED);
    assertThat(
            jdbc.sql("SELECT match_tries FROM delivery_receipt WHERE message_id = :id")
                .param("id", queued.id())
                .query(Integer.class)
                .single())
        .as("kept unmatched, then matched on a later try")
        .isGreaterThan(1);
  }

  @Test
  void a_late_answer_settles_an_unknown_outcome_without_a_second_submit() throws Exception {
    String to = aNumber();
    SMSC.delay = Duration.ofMillis(2500); // past the 1 s submit timeout, within the bind's 20 s

    QueuedMessage queued = send(to, "Slow carrier");

    assertThat(awaitUnknownOutcome(queued.id()).attempts()).isEqualTo(1);
    MessageView sent = awaitStatus(queued.id(), MessageStatus.SENT);
    assertThat(sent.attempts()).isEqualTo(1);
    assertThat(receivedBy(to)).as("no second submit").hasSize(1);
    assertThat(sent.attemptHistory())
        .singleElement()
        .satisfies(a -> assertThat(a.outcome()).isEqualTo("SUBMITTED"));
    assertThat(
            jdbc.sql(
                    "SELECT outcome FROM credit_settlement WHERE tenant_id = :t AND reference = :id")
                .param("t", tenant.value())
                .param("id", queued.id())
                .query(String.class)
                .optional())
        .as("its credit is used in the transaction that settles it, not left reserved")
        .contains("captured");

    SMSC.receipt(0, receivedBy(to).getFirst().id(), "DELIVRD", "000", true);
    awaitStatus(queued.id(), MessageStatus.DELIVERED);
  }

  @Test
  void a_submit_never_answered_waits_for_news_and_is_not_submitted_again_within_the_window() {
    String to = aNumber();
    SMSC.answers = s -> new TestSmsc.Answer.Hold();

    QueuedMessage queued = send(to, "Into the void");

    assertThat(awaitUnknownOutcome(queued.id()).attempts()).isEqualTo(1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> receivedBy(to).size() == 1);
    assertThat(messages.find(tenant, queued.id()).orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void an_smsc_stopped_and_started_again_mid_run_loses_and_doubles_nothing() throws Exception {
    SMSC.stop();
    await().atMost(Duration.ofSeconds(5)).until(() -> SMSC.boundSessions() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> bindsUp() == 0);
    List<String> to = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String number = aNumber();
      to.add(number);
      ids.add(send(number, "Message " + i).id());
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            jdbc.sql(
                        "SELECT count(*) FROM outbound_attempt WHERE tenant_id = :t AND error_code = 'NO_BIND'")
                    .param("t", tenant.value())
                    .query(Long.class)
                    .single()
                > 0);

    SMSC.start();

    for (UUID id : ids) {
      awaitStatus(id, MessageStatus.SENT);
    }
    for (String number : to) {
      assertThat(receivedBy(number)).as("once each").hasSize(1);
    }
    assertThat(bindsUp()).as("herald_smpp_binds_bound").isEqualTo(2);
  }

  double bindsUp() {
    return registry.get("herald.smpp.binds.bound").tag("gateway", "smsc").gauge().value();
  }

  /** Waits until the inbox has published every inbound SMS it stored. */
  void awaitInboundPublished() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            jdbc.sql("SELECT count(*) FROM inbound_sms WHERE published_at IS NULL")
                    .query(Long.class)
                    .single()
                == 0);
  }

  @Test
  void a_stop_to_a_shared_number_opts_the_sender_out_of_every_company_sending_from_it()
      throws Exception {
    TenantId other = companies.aDanishCompany(true, true).id();
    String customer = "+45216%05d".formatted(numbers.incrementAndGet());
    contacts.create(
        tenant,
        new ContactInput(
            "Astrid Arret",
            "fr",
            null,
            List.of(),
            List.of(new ContactInput.PhoneInput("MOBILE", customer)),
            false,
            true,
            true));
    awaitStatus(send(customer, "Your appointment is tomorrow").id(), MessageStatus.SENT);

    SMSC.mobileOriginated(
        1,
        customer.substring(1),
        "4570000000",
        "Arrêt !".getBytes(java.nio.charset.StandardCharsets.UTF_16BE),
        (byte) 8);

    await().atMost(Duration.ofSeconds(10)).until(() -> optOuts.isOptedOut(tenant, customer));
    await().atMost(Duration.ofSeconds(10)).until(() -> optOuts.isOptedOut(other, customer));
    assertThat(
            jdbc.sql(
                    "SELECT source FROM consent_log WHERE tenant_id = :t AND number = :n AND action = 'OPT_OUT'")
                .param("t", tenant.value())
                .param("n", customer)
                .query(String.class)
                .list())
        .containsExactly("sms:ARRET");
    QueuedMessage after = send(customer, "One more thing");
    MessageView cancelled = awaitStatus(after.id(), MessageStatus.CANCELLED);
    assertThat(cancelled.statusReason()).isEqualTo("recipient opted out");
    await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy(customer).size() >= 2);
    assertThat(receivedBy(customer))
        .as(
            "nothing after the STOP but its one confirmation, from the company that knows the"
                + " customer (the other company on the shared number never wrote to them)")
        .hasSize(2);
    assertThat(receivedBy(customer).get(1).text()).contains("vous ne recevrez plus nos SMS");

    SMSC.mobileOriginated(0, customer.substring(1), "4570000000", "START".getBytes(), (byte) 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> !optOuts.isOptedOut(tenant, customer));
  }

  @Test
  void the_parts_of_a_long_reply_are_joined_into_one_message_whatever_their_order_and_bind()
      throws Exception {
    String customer = aNumber();
    String from = customer.substring(1);
    String first = "Hello, I cannot come on Tuesday because my daughter is ill, could we move ";
    String second = "it to Friday afternoon? Thank you, Astrid";
    // 8-bit reference 0x2A, GSM 03.38 (unpacked): the second part first, and delivered twice
    byte[] secondPart = withUdh(new byte[] {5, 0, 3, 0x2A, 2, 2}, second.getBytes(US_ASCII));
    SMSC.mobileOriginatedPart(1, from, "4570000000", secondPart, (byte) 0);
    SMSC.mobileOriginatedPart(1, from, "4570000000", secondPart, (byte) 0);
    SMSC.mobileOriginatedPart(
        0,
        from,
        "4570000000",
        withUdh(new byte[] {5, 0, 3, 0x2A, 2, 1}, first.getBytes(US_ASCII)),
        (byte) 0);
    // 16-bit reference 0x1234, UCS-2, three parts on both binds, last to first
    String[] parts = {"Merci beaucoup ", "pour le rappel, ", "à vendredi 😊"};
    for (int i = parts.length - 1; i >= 0; i--) {
      SMSC.mobileOriginatedPart(
          i % 2,
          from,
          "4570000000",
          withUdh(new byte[] {6, 8, 4, 0x12, 0x34, 3, (byte) (i + 1)}, parts[i].getBytes(UTF_16BE)),
          (byte) 8);
    }

    awaitInboundPublished();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(
                    jdbc.sql("SELECT text FROM inbound_sms WHERE sender = :n ORDER BY text")
                        .param("n", customer)
                        .query(String.class)
                        .list())
                .containsExactly(first + second, String.join("", parts)));
  }

  @Test
  void a_part_whose_other_parts_never_come_is_kept_as_it_is_after_the_part_wait() throws Exception {
    String customer = aNumber();
    SMSC.mobileOriginatedPart(
        0,
        customer.substring(1),
        "4570000000",
        withUdh(new byte[] {5, 0, 3, 0x33, 3, 1}, "Can I bring my dog".getBytes(US_ASCII)),
        (byte) 0);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM inbound_sms_part WHERE sender = :n AND joined_at IS NULL")
                .param("n", customer)
                .query(Long.class)
                .single())
        .as("stored before the SMSC was answered, waiting for parts 2 and 3")
        .isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT count(*) FROM inbound_sms WHERE sender = :n")
                .param("n", customer)
                .query(Long.class)
                .single())
        .isZero();

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() ->
            assertThat(
                    jdbc.sql("SELECT text FROM inbound_sms WHERE sender = :n")
                        .param("n", customer)
                        .query(String.class)
                        .list())
                .containsExactly("Can I bring my dog"));
  }

  static byte[] withUdh(byte[] udh, byte[] text) {
    byte[] octets = java.util.Arrays.copyOf(udh, udh.length + text.length);
    System.arraycopy(text, 0, octets, udh.length, text.length);
    return octets;
  }

  @Test
  void a_sentence_with_stop_in_it_is_a_reply_not_an_opt_out() throws Exception {
    String customer = aNumber();

    SMSC.mobileOriginated(
        0, customer.substring(1), "4570000000", "Stop texting me".getBytes(), (byte) 0);

    awaitInboundPublished();
    assertThat(
            jdbc.sql("SELECT count(*) FROM inbound_sms WHERE sender = :n")
                .param("n", customer)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !optOuts.isOptedOut(tenant, customer));
  }

  @Autowired dev.herald.delivery.SenderNumbers senderNumbers;

  @Test
  void the_source_address_and_its_ton_npi_follow_the_destination_country_and_the_kind()
      throws Exception {
    jdbc.sql("UPDATE company SET sms_sender_name = 'Nordlys' WHERE id = :t")
        .param("t", tenant.value())
        .update();
    var random = java.util.concurrent.ThreadLocalRandom.current();
    var us = senderNumbers.add("+14152%06d".formatted(random.nextInt(1_000_000)), "", "smsc");
    var shortCode =
        senderNumbers.add("%06d".formatted(random.nextInt(100_000, 1_000_000)), "DK", "");
    senderNumbers.assign(us.id(), tenant);
    senderNumbers.assign(shortCode.id(), tenant);
    String dane = aNumber();
    String american = "+12023%06d".formatted(random.nextInt(1_000_000));

    UUID reminder =
        messages
            .enqueue(
                tenant,
                List.of(
                    new OutboundDraft(Channel.SMS, null, dane, null, "Reminder", false)
                        .withKind(dev.herald.delivery.OutboundKind.REMINDER)))
            .getFirst()
            .id();
    UUID direct = send(dane, "Can you come at 10?").id();
    UUID toUs =
        messages
            .enqueue(
                tenant,
                List.of(
                    new OutboundDraft(Channel.SMS, null, american, null, "Reminder", false)
                        .withKind(dev.herald.delivery.OutboundKind.REMINDER)))
            .getFirst()
            .id();
    for (UUID id : List.of(reminder, direct, toUs)) {
      awaitStatus(id, MessageStatus.SENT);
    }

    List<org.jsmpp.bean.SubmitSm> toDane =
        receivedBy(dane).stream().map(TestSmsc.Received::pdu).toList();
    assertThat(toDane)
        .extracting(
            org.jsmpp.bean.SubmitSm::getSourceAddr,
            org.jsmpp.bean.SubmitSm::getSourceAddrTon,
            org.jsmpp.bean.SubmitSm::getSourceAddrNpi)
        .as("a reminder from the name (5/0); a message one may answer from the short code (3/0)")
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Nordlys", (byte) 5, (byte) 0),
            org.assertj.core.groups.Tuple.tuple(shortCode.number(), (byte) 3, (byte) 0));
    org.jsmpp.bean.SubmitSm usPdu = receivedBy(american).getFirst().pdu();
    assertThat(usPdu.getSourceAddr()).isEqualTo(us.number().substring(1));
    assertThat(usPdu.getSourceAddrTon()).as("international").isEqualTo((byte) 1);
    assertThat(usPdu.getSourceAddrNpi()).as("ISDN").isEqualTo((byte) 1);

    // A STOP to the short code reaches the company it is assigned to.
    SMSC.mobileOriginated(0, dane.substring(1), shortCode.number(), "STOP".getBytes(), (byte) 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> optOuts.isOptedOut(tenant, dane));
  }
}
