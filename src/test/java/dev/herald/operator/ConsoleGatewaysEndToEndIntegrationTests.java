package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.Channel;
import dev.herald.delivery.GatewayConsole;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.delivery.kannel.KannelBoxes;
import dev.herald.delivery.smpp.TestSmsc;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import dev.herald.support.WebSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Gateways added on the console as the operator does (the form), end to end: an SMPP gateway sends
 * to a jSMPP SMSC and its receipts make messages delivered; a change of its binds and window is
 * picked up without a restart; disabling it hands its unsent messages to the next gateway of their
 * route. A Kannel gateway sends through Debian's Kannel on loopback and its delivery reports come
 * back (skipped without Kannel, failed under {@code CI=true}).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.delivery.secrets-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      "herald.delivery.routing.refresh=300ms",
      // a breaker that never opens here: only disabling the gateway may hand its messages on
      "herald.delivery.routing.breaker.window=1000",
      "herald.delivery.routing.breaker.minimum-calls=1000",
      "herald.delivery.poll-interval=100ms",
      "herald.delivery.submit-timeout=3s",
      "herald.delivery.backoff-base=500ms",
      "herald.delivery.backoff-max=1s",
      "herald.delivery.max-attempts=30",
      "herald.delivery.receipts.match-interval=100ms"
    })
@DirtiesContext // stops its gateways' binds and threads once the class is done
class ConsoleGatewaysEndToEndIntegrationTests {

  static final String OPERATOR = "operator@herald.test";
  static final String PASSWORD = "demo-password-for-tests";
  static final String KANNEL_SECRET = "console-kannel-callback-secret";
  static final TestSmsc SMSC;
  static final TestSmsc KANNEL_SMSC;
  static KannelBoxes kannel;
  static final AtomicInteger numbers = new AtomicInteger();

  static {
    try {
      SMSC = new TestSmsc();
      KANNEL_SMSC = new TestSmsc();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopCarriers() throws IOException {
    if (kannel != null) {
      kannel.close();
    }
    KANNEL_SMSC.close();
    SMSC.close();
  }

  @LocalServerPort int port;
  @Autowired GatewayConsole console;
  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession operator() throws Exception {
    WebSession operator = new WebSession();
    operator.logIn(base(), OPERATOR, PASSWORD);
    return operator;
  }

  static String aNumber() {
    return "+4523%06d".formatted(numbers.incrementAndGet());
  }

  List<UUID> send(TenantId company, int n, String text) {
    return messages
        .enqueue(
            company,
            IntStream.range(0, n)
                .mapToObj(i ->
                    new OutboundDraft(Channel.SMS, null, aNumber(), null, text + " " + i, false))
                .toList())
        .stream()
        .map(QueuedMessage::id)
        .toList();
  }

  void awaitStatus(TenantId company, List<UUID> ids, MessageStatus status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() ->
            ids.stream()
                .allMatch(id -> messages.find(company, id).orElseThrow().status() == status));
  }

  String gatewayOf(UUID id) {
    return jdbc.sql("SELECT gateway FROM outbound_message WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }

  List<TestSmsc.Received> received(TestSmsc smsc, String text) {
    return smsc.received().stream().filter(r -> r.text().startsWith(text)).toList();
  }

  static Map<String, String> smppForm(String binds, String window) {
    Map<String, String> form = new HashMap<>();
    form.put("kind", "smpp");
    form.put("name", "console-smpp");
    form.put("host", "127.0.0.1");
    form.put("port", Integer.toString(SMSC.port));
    form.put("system-id", "herald");
    form.put("system-type", "");
    form.put("binds", binds);
    form.put("window", window);
    form.put("data-coding", "");
    form.put("submit-id-format", "hex");
    form.put("receipt-id-format", "");
    form.put("max-per-second", "500");
    form.put("secret.password", "secret");
    return form;
  }

  @Test
  void an_smpp_gateway_added_on_the_console_sends_hears_receipts_takes_changes_and_hands_over()
      throws Exception {
    WebSession operator = operator();
    String page = base() + "/operator/gateways";
    HttpResponse<String> added =
        operator.submit(page + "/new?kind=smpp", page + "/new", smppForm("1", "2"));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(302);
    await().atMost(Duration.ofSeconds(10)).until(() -> SMSC.boundSessions() == 1);

    TenantId company = companies.aDanishCompany(true, true).id();
    console.setCompanyRoute(company, List.of("console-smpp", "simulator"));

    // sent to the SMSC, and its receipt (hex ids, as the form said) makes it delivered
    UUID first = send(company, 1, "Console SMPP").getFirst();
    awaitStatus(company, List.of(first), MessageStatus.SENT);
    assertThat(gatewayOf(first)).isEqualTo("console-smpp");
    TestSmsc.Received got = received(SMSC, "Console SMPP").getFirst();
    SMSC.receipt(0, got.id(), "DELIVRD", "000", true);
    awaitStatus(company, List.of(first), MessageStatus.DELIVERED);

    // two binds with a window of 5 each, picked up without a restart
    String edit = page + "/config/console-smpp";
    Map<String, String> change = smppForm("2", "5");
    change.put("secret.password", "");
    change.put(
        "version",
        Integer.toString(console.configuredGateway("console-smpp").orElseThrow().version()));
    assertThat(operator.submit(edit, edit, change).statusCode()).isEqualTo(302);
    await().atMost(Duration.ofSeconds(10)).until(() -> SMSC.boundSessions() == 2);
    SMSC.answerAfter(Duration.ofMillis(400));
    List<UUID> burst = send(company, 20, "Windowed");
    awaitStatus(company, burst, MessageStatus.SENT);
    SMSC.answerAfter(Duration.ZERO);
    assertThat(SMSC.maxInFlight()).as("2 binds x window 5 in hand at once").isEqualTo(10);

    // the SMSC refuses for now: disabling the gateway hands what it has not sent to the next one
    SMSC.answerWith(s -> new TestSmsc.Answer.Error(0x45)); // ESME_RSUBMITFAIL: transient
    List<UUID> stuck = send(company, 3, "Handed over");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            jdbc.sql(
                        "SELECT count(DISTINCT message_id) FROM outbound_attempt WHERE message_id IN"
                            + " (:ids) AND gateway = 'console-smpp' AND outcome ="
                            + " 'TRANSIENT_FAILURE'")
                    .param("ids", stuck)
                    .query(Integer.class)
                    .single()
                == 3);
    assertThat(operator.get(edit + "/disable").body()).contains("takes no new messages");
    assertThat(operator.submit(edit + "/disable", edit + "/disable", Map.of()).statusCode())
        .isEqualTo(302);
    awaitStatus(company, stuck, MessageStatus.SENT);
    assertThat(stuck).allSatisfy(id -> assertThat(gatewayOf(id)).isEqualTo("simulator"));
    assertThat(
            jdbc.sql("SELECT count(*) FROM simulator_sms WHERE message_id IN (:ids)")
                .param("ids", stuck)
                .query(Integer.class)
                .single())
        .as("each once through the simulator")
        .isEqualTo(3);
    SMSC.answerWith(s -> new TestSmsc.Answer.Id(SMSC.nextId()));

    // removed while the 20 it sent await their receipts: it keeps its binds, receiving only
    assertThat(operator.get(edit + "/remove").body())
        .contains("20 messages it took wait for their delivery receipts");
    assertThat(operator.submit(edit + "/remove", edit + "/remove", Map.of()).statusCode())
        .isEqualTo(302);
    assertThat(operator.get(page).body())
        .contains("data-config-state=\"removing\"")
        .contains("no message in flight and 20 delivery receipts, until");
    assertThat(SMSC.boundSessions()).isEqualTo(2);
    UUID windowed = burst.getFirst();
    String id =
        jdbc.sql("SELECT gateway_message_id FROM outbound_message WHERE id = :id")
            .param("id", windowed)
            .query(String.class)
            .single();
    TestSmsc.Received part =
        SMSC.received().stream()
            .filter(r -> r.id() != null && Long.parseLong(r.id(), 16) == Long.parseLong(id))
            .findFirst()
            .orElseThrow();
    SMSC.receipt(1, part.id(), "DELIVRD", "000", false);
    awaitStatus(company, List.of(windowed), MessageStatus.DELIVERED);
    assertThat(console.removalImpact("console-smpp").orElseThrow().awaitingReceipts())
        .isEqualTo(19);
    console.removeCompanyRoute(company);
  }

  @Test
  void a_changed_setting_lets_the_replaced_copys_submits_in_flight_be_answered() throws Exception {
    try (TestSmsc smsc = new TestSmsc()) {
      Map<String, String> settings =
          new HashMap<>(
              Map.of(
                  "host",
                  "127.0.0.1",
                  "port",
                  Integer.toString(smsc.port),
                  "system-id",
                  "herald",
                  "window",
                  "5"));
      console.saveGateway(
          new GatewayConsole.GatewayInput("console-swap", "smpp", settings, Map.of(), "100", null));
      await().atMost(Duration.ofSeconds(10)).until(() -> smsc.boundSessions() == 1);
      TenantId company = companies.aDanishCompany(true, true).id();
      console.setCompanyRoute(company, List.of("console-swap", "simulator"));

      // a submit the SMSC answers 1.5 s later (within the 3 s submit timeout) ...
      smsc.answerAfter(Duration.ofMillis(1500));
      UUID id = send(company, 1, "In flight").getFirst();
      await().atMost(Duration.ofSeconds(10)).until(() -> received(smsc, "In flight").size() == 1);
      // ... while the operator changes a setting: a new copy takes over the gateway's name
      settings.put("window", "10");
      console.saveGateway(
          new GatewayConsole.GatewayInput(
              "console-swap",
              "smpp",
              settings,
              Map.of(),
              "100",
              console.configuredGateway("console-swap").orElseThrow().version()));

      awaitStatus(company, List.of(id), MessageStatus.SENT);
      assertThat(
              jdbc.sql(
                      "SELECT attempts || ' ' || (gateway_message_id IS NOT NULL)"
                          + " FROM outbound_message WHERE id = :id")
                  .param("id", id)
                  .query(String.class)
                  .single())
          .as("answered on the old copy's bind: sent at its first attempt, with the SMSC's id")
          .isEqualTo("1 true");
      assertThat(
              jdbc.sql("SELECT count(*) FROM outbound_attempt WHERE message_id = :id")
                  .param("id", id)
                  .query(Integer.class)
                  .single())
          .as("no unknown outcome or failure recorded")
          .isZero();
      assertThat(received(smsc, "In flight")).hasSize(1);
      // the old copy is stopped once its answers were due (submit timeout and 2 s), not before
      await().atMost(Duration.ofSeconds(5)).until(() -> smsc.boundSessions() == 2);
      await().atMost(Duration.ofSeconds(20)).until(() -> smsc.boundSessions() == 1);
      smsc.answerAfter(Duration.ZERO);
      console.removeCompanyRoute(company);
      console.removeGateway("console-swap");
    }
  }

  @Test
  void a_kannel_gateway_added_on_the_console_sends_through_kannel_and_hears_its_reports()
      throws Exception {
    KannelBoxes.requireKannel();
    kannel = new KannelBoxes();
    kannel.start(
        KANNEL_SMSC.port,
        base()
            + "/carriers/kannel/console-kannel/inbound?secret="
            + KANNEL_SECRET
            + "&from=%p&to=%P&text=%b&coding=%c&charset=%C");
    await().atMost(Duration.ofSeconds(20)).until(() -> KANNEL_SMSC.boundSessions() >= 1);

    WebSession operator = operator();
    String page = base() + "/operator/gateways";
    Map<String, String> form = new HashMap<>();
    form.put("kind", "kannel");
    form.put("name", "console-kannel");
    form.put("sendsms-url", "http://127.0.0.1:" + kannel.sendsmsPort + "/cgi-bin/sendsms");
    form.put("username", "herald");
    form.put("callback-url", "http://127.0.0.1:" + port);
    form.put("dlr-mask", "");
    form.put("smsc-id", "");
    form.put("max-per-second", "100");
    form.put("secret.password", "kannel-pass");
    form.put("secret.secret", KANNEL_SECRET);
    HttpResponse<String> added = operator.submit(page + "/new?kind=kannel", page + "/new", form);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(302);

    TenantId company = companies.aDanishCompany(true, true).id();
    console.setCompanyRoute(company, List.of("console-kannel"));
    List<UUID> ids = send(company, 2, "Through Kannel");
    awaitStatus(company, ids, MessageStatus.SENT);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> received(KANNEL_SMSC, "Through Kannel").size() == 2);
    assertThat(ids).allSatisfy(id -> assertThat(gatewayOf(id)).isEqualTo("console-kannel"));

    // the SMSC's receipts come back through Kannel's dlr-url to the console gateway
    for (TestSmsc.Received r : received(KANNEL_SMSC, "Through Kannel")) {
      KANNEL_SMSC.receiptText(
          0, "id:" + r.id() + " sub:001 dlvrd:001 submit date:2612010300 stat:DELIVRD err:000");
    }
    awaitStatus(company, ids, MessageStatus.DELIVERED);
    console.removeCompanyRoute(company);
  }
}
