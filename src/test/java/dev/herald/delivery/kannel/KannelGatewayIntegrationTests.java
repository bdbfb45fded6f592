package dev.herald.delivery.kannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.contact.OptOuts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.MessageView;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.delivery.smpp.TestSmsc;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Herald through Debian's Kannel on loopback: Herald calls smsbox's sendsms, bearerbox submits to a
 * jSMPP SMSC, the SMSC's receipts come back through Kannel's dlr-url, and its inbound SMS through
 * smsbox's get-url.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "herald.delivery.sms.gateway=kannel",
      "herald.delivery.gateways.kannel.type=kannel",
      "herald.delivery.gateways.kannel.username=herald",
      "herald.delivery.gateways.kannel.password=kannel-pass",
      "herald.delivery.gateways.kannel.secret=" + KannelGatewayIntegrationTests.SECRET,
      "herald.delivery.gateways.kannel.max-per-second=500",
      "herald.delivery.submit-timeout=5s",
      "herald.delivery.lease=15s",
      "herald.delivery.backoff-base=300ms",
      "herald.delivery.backoff-max=1s",
      "herald.delivery.poll-interval=200ms",
      "herald.delivery.receipts.match-interval=100ms",
      "herald.delivery.sms.default-sender=+4570000000"
    })
@DirtiesContext // stops its gateway's threads once the class is done
class KannelGatewayIntegrationTests {

  static final String SECRET = "kannel-callback-secret-2026";
  static final int HERALD_PORT = KannelBoxes.freePort();
  static final TestSmsc SMSC;
  static final KannelBoxes KANNEL;

  static {
    try {
      SMSC = new TestSmsc();
      KANNEL = new KannelBoxes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final AtomicInteger numbers = new AtomicInteger();

  @DynamicPropertySource
  static void kannel(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> HERALD_PORT);
    registry.add(
        "herald.delivery.gateways.kannel.sendsms-url",
        () -> "http://127.0.0.1:" + KANNEL.sendsmsPort + "/cgi-bin/sendsms");
    registry.add(
        "herald.delivery.gateways.kannel.callback-url", () -> "http://127.0.0.1:" + HERALD_PORT);
  }

  @BeforeAll
  static void startKannel() throws Exception {
    KannelBoxes.requireKannel();
    KANNEL.start(
        SMSC.port,
        "http://127.0.0.1:"
            + HERALD_PORT
            + "/carriers/kannel/kannel/inbound?secret="
            + SECRET
            + "&from=%p&to=%P&text=%b&coding=%c&charset=%C");
    await().atMost(Duration.ofSeconds(20)).until(() -> SMSC.boundSessions() >= 1);
  }

  @AfterAll
  static void stopKannel() throws IOException {
    KANNEL.close();
    SMSC.close();
  }

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;
  @Autowired OptOuts optOuts;

  TenantId tenant;

  @BeforeEach
  void setUp() {
    tenant = companies.aDanishCompany(true, true).id();
  }

  static String aNumber() {
    return "+4522%06d".formatted(numbers.incrementAndGet());
  }

  QueuedMessage send(String to, String text) {
    return messages
        .enqueue(tenant, List.of(new OutboundDraft(Channel.SMS, null, to, null, text, false)))
        .getFirst();
  }

  MessageView awaitStatus(UUID id, MessageStatus status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> messages.find(tenant, id).orElseThrow(), m -> m.status() == status);
  }

  List<TestSmsc.Received> receivedBy(String to) {
    return SMSC.received().stream()
        .filter(r -> r.pdu().getDestAddress().endsWith(to.substring(3)))
        .sorted(java.util.Comparator.comparingInt(r -> r.udh().length == 0 ? 0 : r.udh()[5]))
        .toList();
  }

  @Test
  void kannel_splits_a_long_message_and_its_delivery_report_makes_it_delivered() throws Exception {
    String to = aNumber();
    String text = "Your invoice 2026-118 is ready; pay it by Friday. ".repeat(4);
    QueuedMessage queued = send(to, text);
    assertThat(queued.segments()).as("billed as Herald counts").isEqualTo(2);

    awaitStatus(queued.id(), MessageStatus.SENT);
    await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy(to).size() == 2);
    List<TestSmsc.Received> parts = receivedBy(to);
    assertThat(parts.get(0).text() + parts.get(1).text()).isEqualTo(text);
    assertThat(
            jdbc.sql("SELECT gateway_message_id FROM outbound_message WHERE id = :id")
                .param("id", queued.id())
                .query(String.class)
                .single())
        .as("Herald's own id and attempt, canonical")
        .isEqualTo(KannelSmsGateway.receiptId(queued.id(), 1))
        .isEqualTo((queued.id() + ":1").replaceFirst("^0+", ""));

    for (TestSmsc.Received part : parts) {
      SMSC.receiptText(
          0, "id:" + part.id() + " sub:001 dlvrd:001 submit date:2611301200 stat:DELIVRD err:000");
    }

    awaitStatus(queued.id(), MessageStatus.DELIVERED);
  }

  @Test
  void a_refused_report_fails_the_message_with_the_carriers_error() throws Exception {
    String to = aNumber();
    QueuedMessage queued = send(to, "See you at 9");
    awaitStatus(queued.id(), MessageStatus.SENT);
    await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy(to).size() == 1);

    SMSC.receiptText(
        0, "id:" + receivedBy(to).getFirst().id() + " sub:001 dlvrd:000 stat:UNDELIV err:034");

    MessageView failed = awaitStatus(queued.id(), MessageStatus.FAILED);
    assertThat(failed.errorCode()).isEqualTo("034");
  }

  @Test
  void a_stop_through_kannels_get_url_opts_the_number_out() throws Exception {
    String customer = aNumber();

    SMSC.mobileOriginated(0, customer.substring(1), "4570000000", "stop".getBytes(), (byte) 0);

    await().atMost(Duration.ofSeconds(15)).until(() -> optOuts.isOptedOut(tenant, customer));
  }

  @Test
  void inbound_texts_in_ucs2_and_in_gsm_with_its_own_letters_come_through_kannel_intact()
      throws Exception {
    String french = aNumber();
    String dane = aNumber();
    String greek = aNumber();
    String late = aNumber();

    SMSC.mobileOriginated(
        0,
        french.substring(1),
        "4570000000",
        "Arrêt !".getBytes(java.nio.charset.StandardCharsets.UTF_16BE),
        (byte) 8);
    // GSM 03.38: æ is 0x1D, Ø is 0x0B, Ω is 0x15, € is the escape 0x1B then 0x65
    SMSC.mobileOriginated(
        0, dane.substring(1), "4570000000", new byte[] {'H', 'j', 0x1D, 'l', 'p'}, (byte) 0);
    SMSC.mobileOriginated(
        0,
        greek.substring(1),
        "4570000000",
        new byte[] {'5', 0x1B, 0x65, ' ', 0x0B, 'l', '?', ' ', 0x15},
        (byte) 0);

    // U+2019 is the octets 0x20 0x19: no word break, as smsbox's %a would take it
    SMSC.mobileOriginated(
        0,
        late.substring(1),
        "4570000000",
        "I\u2019m late,\n\nsorry  ".getBytes(java.nio.charset.StandardCharsets.UTF_16BE),
        (byte) 8);

    await().atMost(Duration.ofSeconds(15)).until(() -> optOuts.isOptedOut(tenant, french));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() ->
            assertThat(
                    jdbc.sql(
                            "SELECT sender || ' ' || text FROM inbound_sms WHERE sender IN (:n)"
                                + " ORDER BY sender")
                        .param("n", List.of(french, dane, greek, late))
                        .query(String.class)
                        .list())
                .containsExactly(
                    french + " Arrêt !",
                    dane + " Hjælp",
                    greek + " 5€ Øl? Ω",
                    late + " I\u2019m late,\n\nsorry  "));
  }

  @Test
  void a_callback_without_the_secret_is_refused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + HERALD_PORT + "/carriers/kannel/";
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "kannel/dlr?secret=nope&message="
                            + UUID.randomUUID()
                            + "&attempt=1&type=1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unknown =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "other/inbound?secret=" + SECRET)).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base + "kannel/dlr?secret=" + SECRET + "&message=x&attempt=1&type=1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("message must be a message id");
  }
}
