package dev.herald.delivery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.MessageView;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
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
 * Herald through a JSON REST provider played by WireMock: each message's number picks how the
 * provider answers (accepted, refused, throttled, silent), and the provider's signed webhooks come
 * back into Herald.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.delivery.sms.gateway=provider",
      "herald.delivery.gateways.provider.type=http",
      "herald.delivery.gateways.provider.api-key=test-api-key-1",
      "herald.delivery.gateways.provider.webhook-secret="
          + HttpProviderGatewayIntegrationTests.SECRET,
      "herald.delivery.gateways.provider.timeout=2500ms",
      "herald.delivery.gateways.provider.max-per-second=500",
      "herald.delivery.gateways.provider.unknown-outcome-window=1h",
      "herald.delivery.submit-timeout=5s",
      "herald.delivery.lease=12s",
      "herald.delivery.backoff-base=200ms",
      "herald.delivery.backoff-max=400ms",
      "herald.delivery.poll-interval=200ms",
      "herald.delivery.receipts.match-interval=100ms",
      "herald.delivery.sms.default-sender=+4570000001"
    })
@DirtiesContext
class HttpProviderGatewayIntegrationTests {

  static final String SECRET = "provider-webhook-secret-2026";
  static final WireMockServer PROVIDER =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());
  static final AtomicInteger numbers = new AtomicInteger();

  static {
    PROVIDER.start();
    try {
      // a first request, so that a cold provider's first answer does not outlast the timeout
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(PROVIDER.baseUrl() + "/warm")).build(),
              HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void provider(DynamicPropertyRegistry registry) {
    registry.add("herald.delivery.gateways.provider.url", () -> PROVIDER.baseUrl() + "/v1");
  }

  @AfterAll
  static void stop() {
    PROVIDER.stop();
  }

  @LocalServerPort int port;
  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;
  @Autowired HttpProviderGateways gateways;

  final HttpClient http = HttpClient.newHttpClient();
  TenantId tenant;

  @BeforeEach
  void setUp() {
    tenant = companies.aDanishCompany(true, true).id();
  }

  static String aNumber() {
    return "+4523%06d".formatted(numbers.incrementAndGet());
  }

  void provider(String to, int status, String body, int delayMs) {
    PROVIDER.stubFor(
        post(urlEqualTo("/v1/messages"))
            .withRequestBody(matchingJsonPath("$.to", equalTo(to)))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)
                    .withFixedDelay(delayMs)));
  }

  UUID send(String to) {
    return messages
        .enqueue(
            tenant, List.of(new OutboundDraft(Channel.SMS, null, to, null, "Hello there", false)))
        .getFirst()
        .id();
  }

  MessageView awaitStatus(UUID id, MessageStatus status) {
    return await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> messages.find(tenant, id).orElseThrow(), m -> m.status() == status);
  }

  HttpResponse<String> webhook(String path, String json, String signature, long timestamp)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/carriers/http/" + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (signature != null) {
      request.header("X-Signature", signature).header("X-Signature-Timestamp", "" + timestamp);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> signed(String path, String json) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String signature =
        gateways.named("provider").orElseThrow().sign(now, json.getBytes(StandardCharsets.UTF_8));
    return webhook(path, json, signature, now);
  }

  @Test
  void anAcceptedMessageIsSentWithTheProvidersIdAndItsSignedStatusDeliversIt() throws Exception {
    String to = aNumber();
    provider(to, 201, "{\"id\":\"PRV-" + to.substring(1) + "\",\"status\":\"queued\"}", 0);
    UUID id = send(to);
    awaitStatus(id, MessageStatus.SENT);
    PROVIDER.verify(
        postRequestedFor(urlEqualTo("/v1/messages"))
            .withHeader("Authorization", equalTo("Bearer test-api-key-1"))
            .withHeader("Idempotency-Key", equalTo(id + ":1"))
            .withRequestBody(matchingJsonPath("$.text", equalTo("Hello there")))
            .withRequestBody(matchingJsonPath("$.from", equalTo("+4570000001"))));
    assertThat(
            jdbc.sql("SELECT gateway FROM outbound_message WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single())
        .isEqualTo("provider");

    String status =
        "{\"id\":\"PRV-" + to.substring(1) + "\",\"status\":\"delivered\",\"error_code\":null}";
    // badly signed, stale, or unsigned: 400 with the reason, and nothing changes
    long now = System.currentTimeMillis() / 1000;
    HttpResponse<String> forged = webhook("provider/status", status, "v1=" + "ab".repeat(32), now);
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body()).contains("does not match");
    var gateway = gateways.named("provider").orElseThrow();
    HttpResponse<String> stale =
        webhook(
            "provider/status",
            status,
            gateway.sign(now - 3600, status.getBytes(StandardCharsets.UTF_8)),
            now - 3600);
    assertThat(stale.statusCode()).isEqualTo(400);
    assertThat(stale.body()).contains("tolerance");
    HttpResponse<String> tampered =
        webhook(
            "provider/status",
            status.replace("delivered", "failed"),
            gateway.sign(now, status.getBytes(StandardCharsets.UTF_8)),
            now);
    assertThat(tampered.statusCode()).isEqualTo(400);
    assertThat(webhook("provider/status", status, null, 0).statusCode()).isEqualTo(400);
    assertThat(signed("nobody/status", status).statusCode()).isEqualTo(404);
    Thread.sleep(400); // the matcher runs every 100 ms: nothing may have come in
    assertThat(messages.find(tenant, id).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM delivery_receipt WHERE gateway = 'provider' AND"
                        + " gateway_message_id = lower(:gid)")
                .param("gid", "PRV-" + to.substring(1))
                .query(Integer.class)
                .single())
        .isZero();

    HttpResponse<String> ok = signed("provider/status", status);
    assertThat(ok.statusCode()).isEqualTo(200);
    awaitStatus(id, MessageStatus.DELIVERED);
  }

  @Test
  void aRefusalFailsTheMessageWithTheProvidersReason() {
    String to = aNumber();
    provider(to, 400, "{\"error\":{\"code\":\"invalid_number\",\"message\":\"not a number\"}}", 0);
    UUID id = send(to);
    MessageView failed = awaitStatus(id, MessageStatus.FAILED);
    assertThat(failed.statusReason()).contains("400").contains("not a number");
    assertThat(
            PROVIDER.findAll(
                postRequestedFor(urlEqualTo("/v1/messages"))
                    .withRequestBody(matchingJsonPath("$.to", equalTo(to)))))
        .hasSize(1);
  }

  @Test
  void throttledIsTriedAgainUntilTheProviderTakesIt() {
    String to = aNumber();
    PROVIDER.stubFor(
        post(urlEqualTo("/v1/messages"))
            .withRequestBody(matchingJsonPath("$.to", equalTo(to)))
            .inScenario(to)
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withBody("{\"message\":\"slow down\"}"))
            .willSetStateTo("open"));
    PROVIDER.stubFor(
        post(urlEqualTo("/v1/messages"))
            .withRequestBody(matchingJsonPath("$.to", equalTo(to)))
            .inScenario(to)
            .whenScenarioStateIs("open")
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"id\":\"later-1\"}")));
    UUID id = send(to);
    awaitStatus(id, MessageStatus.SENT);
    assertThat(
            jdbc.sql(
                    "SELECT outcome || ' ' || error_code FROM outbound_attempt WHERE message_id ="
                        + " :id ORDER BY number")
                .param("id", id)
                .query(String.class)
                .list())
        .containsExactly("TRANSIENT_FAILURE HTTP_429");
  }

  @Test
  void noAnswerInTimeIsAnUnknownOutcomeNotAResubmit() throws Exception {
    String to = aNumber();
    provider(to, 201, "{\"id\":\"slow-1\"}", 4_000);
    UUID id = send(to);
    MessageView unknown =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> "outcome unknown".equals(m.statusReason()));
    assertThat(unknown.status()).isEqualTo(MessageStatus.SENDING);
    Thread.sleep(2_000);
    assertThat(
            PROVIDER.findAll(
                postRequestedFor(urlEqualTo("/v1/messages"))
                    .withRequestBody(matchingJsonPath("$.to", equalTo(to)))))
        .hasSize(1);
    assertThat(
            jdbc.sql("SELECT error_code FROM outbound_attempt WHERE message_id = :id")
                .param("id", id)
                .query(String.class)
                .list())
        .containsExactly("HTTP_TIMEOUT");
  }

  @Test
  void aSignedInboundSmsIsStoredAndAnUnsignedOneIsNot() throws Exception {
    String from = aNumber();
    String json =
        "{\"from\":\"" + from + "\",\"to\":\"+4570000001\",\"text\":\"STOP\",\"id\":\"in-1\"}";
    assertThat(
            webhook("provider/inbound", json, "v1=00", System.currentTimeMillis() / 1000)
                .statusCode())
        .isEqualTo(400);
    assertThat(inbound(from)).isZero();
    assertThat(signed("provider/inbound", "{\"to\":\"+4570000001\"}").statusCode()).isEqualTo(400);
    assertThat(signed("provider/inbound", json).statusCode()).isEqualTo(200);
    assertThat(inbound(from)).isEqualTo(1);
  }

  @Test
  void providersStatusNamesThatStartLikeDeliveredButAreNotDeliveredDoNotDeliver() throws Exception {
    // MessageBird and Telnyx write "delivery_failed"; Telnyx "delivery_unconfirmed" (no receipt
    // from the handset's network yet); Twilio "canceled"; Sinch "Aborted".
    String to = aNumber();
    provider(to, 201, "{\"id\":\"MB-" + to.substring(1) + "\"}", 0);
    UUID id = send(to);
    awaitStatus(id, MessageStatus.SENT);
    String unconfirmed =
        "{\"id\":\"MB-" + to.substring(1) + "\",\"status\":\"delivery_unconfirmed\"}";
    assertThat(signed("provider/status", unconfirmed).statusCode()).isEqualTo(200);
    String failed =
        "{\"id\":\"MB-"
            + to.substring(1)
            + "\",\"status\":\"delivery_failed\",\"error_code\":\"30008\"}";
    assertThat(signed("provider/status", failed).statusCode()).isEqualTo(200);
    MessageView view = awaitStatus(id, MessageStatus.FAILED);
    assertThat(view.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(
            jdbc.sql(
                    "SELECT state FROM delivery_receipt WHERE gateway = 'provider' AND"
                        + " gateway_message_id = lower(:gid) ORDER BY received_at, id")
                .param("gid", "MB-" + to.substring(1))
                .query(String.class)
                .list())
        .containsExactly("pending", "failed");

    for (String status : List.of("canceled", "Aborted", "not_delivered")) {
      String other = aNumber();
      provider(other, 201, "{\"id\":\"X-" + other.substring(1) + "\"}", 0);
      UUID otherId = send(other);
      awaitStatus(otherId, MessageStatus.SENT);
      String json = "{\"id\":\"X-" + other.substring(1) + "\",\"status\":\"" + status + "\"}";
      assertThat(signed("provider/status", json).statusCode()).isEqualTo(200);
      assertThat(awaitStatus(otherId, MessageStatus.FAILED).status())
          .as(status)
          .isEqualTo(MessageStatus.FAILED);
    }
  }

  @Test
  void aStopFromANumberWrittenWithoutItsPlusOptsThatNumberOut() throws Exception {
    // Vonage, MessageBird and Sinch give numbers in E.164 without the plus; some write 00 first.
    String first = aNumber();
    String second = aNumber();
    String json =
        "{\"from\":\"" + first.substring(1) + "\",\"to\":\"4570000001\",\"text\":\"Stop\"}";
    assertThat(signed("provider/inbound", json).statusCode()).isEqualTo(200);
    json = "{\"from\":\"00" + second.substring(1) + "\",\"to\":\"004570000001\",\"text\":\"STOP\"}";
    assertThat(signed("provider/inbound", json).statusCode()).isEqualTo(200);
    for (String number : List.of(first, second)) {
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() ->
              assertThat(
                      jdbc.sql(
                              "SELECT count(*) FROM sms_opt_out WHERE tenant_id = :t AND"
                                  + " number = :n")
                          .param("t", tenant.value())
                          .param("n", number)
                          .query(Integer.class)
                          .single())
                  .as(number)
                  .isEqualTo(1));
    }
  }

  @Test
  void anInboundWebhookTheProviderSendsAgainIsStoredOnce() throws Exception {
    // A provider sends a webhook again when it did not see the 200 (a timeout, a dropped
    // connection): the same message id, maybe a new signature.
    String from = aNumber();
    String json =
        "{\"id\":\"mo-"
            + from.substring(1)
            + "\",\"from\":\""
            + from
            + "\",\"to\":\"+4570000001\",\"text\":\"Can we meet at 10?\"}";
    assertThat(signed("provider/inbound", json).statusCode()).isEqualTo(200);
    assertThat(signed("provider/inbound", json).statusCode()).isEqualTo(200);
    String another = json.replace("\"mo-", "\"mo2-");
    assertThat(signed("provider/inbound", another).statusCode()).isEqualTo(200);

    assertThat(
            jdbc.sql("SELECT count(*) FROM inbound_sms WHERE gateway = 'provider' AND sender = :f")
                .param("f", from)
                .query(Integer.class)
                .single())
        .as("the same text again under another id is another message")
        .isEqualTo(2);
  }

  int inbound(String from) {
    return jdbc.sql(
            "SELECT count(*) FROM inbound_sms WHERE gateway = 'provider' AND sender = :from AND"
                + " text = 'STOP'")
        .param("from", from)
        .query(Integer.class)
        .single();
  }
}
