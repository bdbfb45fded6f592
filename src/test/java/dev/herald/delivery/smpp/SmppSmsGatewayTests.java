package dev.herald.delivery.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.shared.TenantId;
import dev.herald.smstext.SmsAnalysis;
import dev.herald.smstext.SmsTexts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.extra.NegativeResponseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMPP gateway against jSMPP's server side on loopback: what the SMSC receives (data_coding,
 * UDH, addresses, validity, receipt requests), the window per bind and several binds, throttling,
 * error mapping, a submit with no answer, a late answer, a dropped bind, receipts and inbound SMS.
 */
class SmppSmsGatewayTests {

  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final TenantId TENANT = new TenantId(UUID.randomUUID());

  TestSmsc smsc;
  RecordingInbox inbox = new RecordingInbox();
  SmppSmsGateway gateway;

  @BeforeEach
  void startSmsc() throws Exception {
    smsc = new TestSmsc();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    smsc.close();
  }

  SmppSmsGateway gateway(int binds, int window, String dataCoding, String extra) {
    SmppSettings settings =
        new SmppSettings(
            "smpp",
            "127.0.0.1",
            smsc.port,
            "herald",
            "secret",
            "",
            binds,
            window,
            dataCoding,
            "relative",
            Duration.ofSeconds(30),
            extra.contains("short-timeout") ? Duration.ofSeconds(1) : Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofMillis(400),
            Duration.ofMillis(500),
            true,
            extra.contains("hex") ? "hex" : null,
            extra.contains("hex") ? "decimal" : null,
            extra.contains("split") ? "transmitter-receiver" : "transceiver");
    gateway = new SmppSmsGateway("smsc", settings, inbox, CLOCK);
    gateway.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.boundBinds() == binds);
    return gateway;
  }

  static SmsSubmission sms(String to, String text, Instant validUntil) {
    SmsAnalysis a = SmsTexts.analyze(text, false);
    UUID id = UUID.randomUUID();
    return new SmsSubmission(
        TENANT, id, 1, "GreenGarden", to, a.text(), a.encoding(), a.parts(), 0x2A, validUntil);
  }

  static SubmitResult answer(CompletableFuture<SubmitResult> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void a_two_part_gsm_message_goes_as_two_submit_sm_with_udh_data_coding_0_validity_and_receipts()
      throws Exception {
    gateway(1, 10, "gsm", "");
    String text = "Your appointment with Green Gardens is confirmed. ".repeat(4).substring(0, 200);

    SubmitResult result =
        answer(gateway.submit(sms("+4520123456", text, NOW.plus(Duration.ofHours(2)))));

    // parts go out concurrently and may arrive in any order: in part order here
    List<TestSmsc.Received> parts =
        smsc.received().stream()
            .sorted(java.util.Comparator.comparingInt(r -> r.udh()[5]))
            .toList();
    assertThat(parts).hasSize(2);
    assertThat(result)
        .isEqualTo(
            new SubmitResult.Accepted(
                parts.stream().map(p -> p.id().replaceFirst("^0+", "").toLowerCase()).toList()));
    for (int i = 0; i < 2; i++) {
      var pdu = parts.get(i).pdu();
      assertThat(pdu.getDataCoding()).isEqualTo((byte) 0);
      assertThat(pdu.getEsmClass() & 0x40).as("UDHI").isEqualTo(0x40);
      assertThat(parts.get(i).udh()).containsExactly(5, 0, 3, 0x2A, 2, i + 1);
      assertThat(pdu.getDestAddress()).isEqualTo("4520123456");
      assertThat(pdu.getDestAddrTon()).isEqualTo((byte) 1);
      assertThat(pdu.getDestAddrNpi()).isEqualTo((byte) 1);
      assertThat(pdu.getSourceAddr()).isEqualTo("GreenGarden");
      assertThat(pdu.getSourceAddrTon()).as("alphanumeric").isEqualTo((byte) 5);
      assertThat(pdu.getValidityPeriod()).isEqualTo("000000020000000R");
      assertThat(pdu.getRegisteredDelivery()).isEqualTo((byte) 1);
    }
    assertThat(parts.get(0).text() + parts.get(1).text()).isEqualTo(text);
  }

  @Test
  void ucs2_text_is_data_coding_8_and_gsm_text_follows_the_gateways_alphabet() throws Exception {
    gateway(1, 4, "latin1", "");

    answer(gateway.submit(sms("+4520123456", "Hej 👋 Åse", null)));
    answer(gateway.submit(sms("+4520123456", "Hej Åse, vi ses", null)));

    List<TestSmsc.Received> got = smsc.received();
    assertThat(got.get(0).pdu().getDataCoding()).isEqualTo((byte) 8);
    assertThat(got.get(0).text()).isEqualTo("Hej 👋 Åse");
    assertThat(got.get(0).pdu().getValidityPeriod()).as("no validity").isNull();
    assertThat(got.get(1).pdu().getDataCoding()).as("Latin-1 for this SMSC").isEqualTo((byte) 3);
    assertThat(new String(got.get(1).pdu().getShortMessage(), StandardCharsets.ISO_8859_1))
        .isEqualTo("Hej Åse, vi ses");
    assertThat(got.get(1).pdu().getEsmClass() & 0x40).as("one part: no UDH").isZero();
  }

  @Test
  void each_bind_keeps_its_window_of_submits_outstanding_at_once() throws Exception {
    gateway(2, 5, "gsm", "");
    smsc.delay = Duration.ofMillis(400);

    List<CompletableFuture<SubmitResult>> answers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      answers.add(gateway.submit(sms("+45201234%02d".formatted(i), "Hello " + i, null)));
    }
    for (var a : answers) {
      assertThat(answer(a)).isInstanceOf(SubmitResult.Accepted.class);
    }

    assertThat(smsc.maxInFlight.get()).as("2 binds x window 5, seen by the SMSC").isEqualTo(10);
    assertThat(smsc.perSession()).hasSize(2);
    assertThat(smsc.received()).hasSize(30);
  }

  @Test
  void a_throttled_submit_is_transient_and_the_bind_pauses_before_the_next() throws Exception {
    gateway(1, 1, "gsm", "");
    AtomicInteger n = new AtomicInteger();
    smsc.answers =
        s ->
            n.getAndIncrement() == 0
                ? new TestSmsc.Answer.Error(SmppErrors.ESME_RTHROTTLED)
                : new TestSmsc.Answer.Id(smsc.nextId());

    SubmitResult first = answer(gateway.submit(sms("+4520123456", "one", null)));
    SubmitResult second = answer(gateway.submit(sms("+4520123457", "two", null)));

    assertThat(first)
        .isEqualTo(
            new SubmitResult.TransientFailure(
                "ESME_RTHROTTLED", "the SMSC could not take it now: ESME_RTHROTTLED"));
    assertThat(second).isInstanceOf(SubmitResult.Accepted.class);
    List<TestSmsc.Received> got = smsc.received();
    assertThat(Duration.ofNanos(got.get(1).at() - got.get(0).at()))
        .as("paused for throttle-backoff")
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }

  @Test
  void a_message_queue_full_answer_is_transient_and_pauses_the_bind_too() throws Exception {
    gateway(1, 1, "gsm", "");
    AtomicInteger n = new AtomicInteger();
    smsc.answers =
        s ->
            n.getAndIncrement() == 0
                ? new TestSmsc.Answer.Error(SmppErrors.ESME_RMSGQFUL)
                : new TestSmsc.Answer.Id(smsc.nextId());

    SubmitResult first = answer(gateway.submit(sms("+4520123456", "one", null)));
    SubmitResult second = answer(gateway.submit(sms("+4520123457", "two", null)));

    assertThat(first)
        .isEqualTo(
            new SubmitResult.TransientFailure(
                "ESME_RMSGQFUL", "the SMSC could not take it now: ESME_RMSGQFUL"));
    assertThat(second).isInstanceOf(SubmitResult.Accepted.class);
    List<TestSmsc.Received> got = smsc.received();
    assertThat(Duration.ofNanos(got.get(1).at() - got.get(0).at()))
        .as("paused for throttle-backoff")
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }

  @Test
  void a_refused_destination_is_a_permanent_failure_and_a_system_error_a_transient_one()
      throws Exception {
    gateway(1, 2, "gsm", "");
    smsc.answers =
        s ->
            s.getDestAddress().endsWith("1")
                ? new TestSmsc.Answer.Error(0x0B)
                : new TestSmsc.Answer.Error(0x08);

    assertThat(answer(gateway.submit(sms("+4520123451", "x", null))))
        .isInstanceOf(SubmitResult.PermanentFailure.class)
        .extracting(r -> ((SubmitResult.PermanentFailure) r).code())
        .isEqualTo("ESME_RINVDSTADR");
    assertThat(answer(gateway.submit(sms("+4520123452", "x", null))))
        .isInstanceOf(SubmitResult.TransientFailure.class)
        .extracting(r -> ((SubmitResult.TransientFailure) r).code())
        .isEqualTo("ESME_RSYSERR");
  }

  @Test
  void a_submit_with_no_answer_is_an_unknown_outcome_after_the_response_timeout() throws Exception {
    gateway(1, 2, "gsm", "short-timeout");
    smsc.answers = s -> new TestSmsc.Answer.Hold();

    CompletableFuture<SubmitResult> f = gateway.submit(sms("+4520123456", "x", null));

    assertThat(answer(f))
        .isInstanceOf(SubmitResult.Unknown.class)
        .extracting(r -> ((SubmitResult.Unknown) r).code())
        .isEqualTo("SMPP_TIMEOUT");
    assertThat(smsc.received()).hasSize(1);
  }

  @Test
  void submits_outstanding_when_the_bind_drops_are_unknown_outcomes_at_once_and_free_the_window()
      throws Exception {
    gateway(1, 2, "gsm", ""); // response timeout 30 s
    smsc.answers = s -> new TestSmsc.Answer.Hold();
    CompletableFuture<SubmitResult> first = gateway.submit(sms("+4520123456", "one", null));
    CompletableFuture<SubmitResult> second = gateway.submit(sms("+4520123457", "two", null));
    CompletableFuture<SubmitResult> third = gateway.submit(sms("+4520123458", "three", null));
    await().atMost(Duration.ofSeconds(5)).until(() -> smsc.received().size() == 2);
    Thread.sleep(200);
    assertThat(smsc.received()).as("a window of 2: the third waits").hasSize(2);

    long dropped = System.nanoTime();
    smsc.answers = s -> new TestSmsc.Answer.Id(smsc.nextId());
    smsc.dropBinds();

    for (var f : List.of(first, second)) {
      assertThat(answer(f))
          .as("the SMSC may have it: not sent again, but not waited for either")
          .isEqualTo(
              new SubmitResult.Unknown(
                  "SMPP_NO_ANSWER", "the bind dropped before the SMSC answered"));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(Duration.ofSeconds(10));
    assertThat(answer(third))
        .as("never written: not sent (no bind left) or sent on the bind made again, never unknown")
        .isNotInstanceOf(SubmitResult.Unknown.class);
  }

  @Test
  void an_answer_after_the_dispatcher_stopped_waiting_is_handed_to_the_inbox() throws Exception {
    gateway(1, 2, "gsm", "");
    smsc.delay = Duration.ofMillis(700);

    SmsSubmission s = sms("+4520123456", "late", null);
    CompletableFuture<SubmitResult> f = gateway.submit(s);
    await().until(() -> smsc.received().size() == 1);
    f.cancel(false); // the dispatcher's timeout

    await().atMost(Duration.ofSeconds(5)).until(() -> inbox.late.size() == 1);
    RecordingInbox.Late late = inbox.late.getFirst();
    assertThat(late.submission().messageId()).isEqualTo(s.messageId());
    assertThat(late.gateway()).isEqualTo("smsc");
    assertThat(late.ids())
        .containsExactly(smsc.received().getFirst().id().replaceFirst("^0+", "").toLowerCase());
  }

  @Test
  void a_dropped_bind_binds_again_and_takes_submits() throws Exception {
    gateway(1, 2, "gsm", "");
    smsc.dropBinds();
    await().atMost(Duration.ofSeconds(5)).until(() -> smsc.binds.get() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.boundBinds() == 1);

    assertThat(answer(gateway.submit(sms("+4520123456", "again", null))))
        .isInstanceOf(SubmitResult.Accepted.class);
  }

  @Test
  void with_no_bind_up_a_submit_is_a_transient_failure_at_once() throws Exception {
    gateway(1, 2, "gsm", "");
    smsc.stop();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.boundBinds() == 0);

    assertThat(answer(gateway.submit(sms("+4520123456", "x", null))))
        .isInstanceOf(SubmitResult.TransientFailure.class)
        .extracting(r -> ((SubmitResult.TransientFailure) r).code())
        .isEqualTo("NO_BIND");
    smsc.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.boundBinds() == 1);
    assertThat(answer(gateway.submit(sms("+4520123456", "y", null))))
        .isInstanceOf(SubmitResult.Accepted.class);
  }

  @Test
  void two_multi_part_messages_in_flight_to_one_number_get_different_references() throws Exception {
    gateway(1, 4, "gsm", "");
    smsc.delay = Duration.ofMillis(300);
    String text = "x".repeat(200);

    var a = gateway.submit(sms("+4520123456", text, null));
    var b = gateway.submit(sms("+4520123456", text, null));
    answer(a);
    answer(b);

    assertThat(smsc.received().stream().map(r -> r.udh()[3]).distinct()).hasSize(2);
  }

  @Test
  void receipts_on_any_bind_reach_the_inbox_in_canonical_form() throws Exception {
    gateway(2, 2, "gsm", "hex");

    smsc.receipt(0, "00001A2B", "DELIVRD", "000", true);
    smsc.receiptText(1, "id:6699 sub:001 dlvrd:000 stat:UNDELIV err:034");
    smsc.receiptText(0, "ID:42 STAT:expired");

    assertThat(inbox.receipts)
        .extracting(
            DeliveryReceipt::gatewayMessageId, DeliveryReceipt::state, DeliveryReceipt::errorCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("6699", DeliveryReceipt.State.DELIVERED, null),
            org.assertj.core.groups.Tuple.tuple("6699", DeliveryReceipt.State.FAILED, "034"),
            org.assertj.core.groups.Tuple.tuple("42", DeliveryReceipt.State.EXPIRED, null));
  }

  @Test
  void an_inbound_sms_reaches_the_inbox_and_one_not_stored_is_refused_to_the_smsc()
      throws Exception {
    gateway(1, 2, "gsm", "");

    smsc.mobileOriginated(0, "4520123456", "4570000000", "STOP".getBytes(), (byte) 0);
    assertThat(inbox.inbound)
        .singleElement()
        .satisfies(m -> {
          assertThat(m.from()).isEqualTo("+4520123456");
          assertThat(m.to()).isEqualTo("+4570000000");
          assertThat(m.text()).isEqualTo("STOP");
        });

    inbox.failing = true;
    assertThatThrownBy(() ->
            smsc.mobileOriginated(
                0, "4520123456", "4570000000", "Hej".getBytes(StandardCharsets.UTF_16BE), (byte) 8))
        .isInstanceOf(NegativeResponseException.class);
  }

  @Test
  void an_inbound_sms_whose_data_coding_is_a_gsm_dcs_with_a_message_class_is_decoded_by_it()
      throws Exception {
    gateway(1, 2, "gsm", "");

    // SMSCs that pass the handset's DCS through: 0x18 UCS-2 flash (class 0), 0x11 GSM class 1,
    // 0xF1 GSM with the message class control group
    smsc.mobileOriginated(
        0, "4520123456", "4570000000", "Arrêt".getBytes(StandardCharsets.UTF_16BE), (byte) 0x18);
    smsc.mobileOriginated(
        0, "4520123457", "4570000000", new byte[] {'H', 'j', 0x1D, 'l', 'p'}, (byte) 0x11);
    smsc.mobileOriginated(0, "4520123458", "4570000000", new byte[] {'5', 0x1B, 0x65}, (byte) 0xF1);

    assertThat(inbox.inbound).extracting(InboundSms::text).containsExactly("Arrêt", "Hjælp", "5€");
  }

  @Test
  void transmitter_and_receiver_binds_submit_on_one_and_hear_receipts_on_the_other()
      throws Exception {
    gateway(1, 2, "gsm", "split");
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.boundReceivers() == 1);

    assertThat(answer(gateway.submit(sms("+4520123456", "split", null))))
        .isInstanceOf(SubmitResult.Accepted.class);
    smsc.receipt(0, smsc.received().getFirst().id(), "DELIVRD", "000", true);

    assertThat(smsc.bindTypes)
        .containsExactlyInAnyOrder(
            org.jsmpp.bean.BindType.BIND_TX, org.jsmpp.bean.BindType.BIND_RX);
    assertThat(inbox.receipts)
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo(DeliveryReceipt.State.DELIVERED));
  }
}
