package dev.herald.delivery.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.herald.delivery.Channel;
import dev.herald.delivery.GatewayConsole;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import dev.herald.support.WebSession;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
 * Routing and failover (G2) between two HTTP providers played by WireMock, "first" and "second":
 * the default route is first then second; Sweden goes by second. Each provider answers with an id
 * naming itself, so every acceptance is counted per gateway from both sides (the providers' request
 * journals and the database).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.delivery.sms.gateway=first",
      "herald.delivery.routing.default-route=first,second",
      "herald.delivery.routing.countries.SE=second",
      "herald.delivery.routing.refresh=500ms",
      "herald.delivery.routing.breaker.window=10",
      "herald.delivery.routing.breaker.minimum-calls=4",
      "herald.delivery.routing.breaker.open-for=1s",
      "herald.delivery.routing.breaker.probes=2",
      "herald.delivery.gateways.first.type=http",
      "herald.delivery.gateways.first.api-key=key-first",
      "herald.delivery.gateways.first.webhook-secret=first-webhook-secret-0001",
      "herald.delivery.gateways.first.timeout=2s",
      "herald.delivery.gateways.first.max-per-second=40",
      "herald.delivery.gateways.first.unknown-outcome-window=2s",
      "herald.delivery.gateways.second.type=http",
      "herald.delivery.gateways.second.api-key=key-second",
      "herald.delivery.gateways.second.webhook-secret=second-webhook-secret-001",
      "herald.delivery.gateways.second.timeout=2s",
      "herald.delivery.gateways.second.unknown-outcome-window=2s",
      "herald.delivery.submit-timeout=3s",
      "herald.delivery.lease=10s",
      "herald.delivery.max-attempts=40",
      "herald.delivery.backoff-base=200ms",
      "herald.delivery.backoff-max=400ms",
      "herald.delivery.poll-interval=100ms",
      "herald.delivery.sms.default-sender=+4570000002"
    })
@DirtiesContext
class RoutingFailoverIntegrationTests {

  static final WireMockServer FIRST =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final WireMockServer SECOND =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final AtomicInteger numbers = new AtomicInteger();

  static {
    FIRST.start();
    SECOND.start();
    warmUp(FIRST);
    warmUp(SECOND);
  }

  /** A first request, so that a cold provider's first answer does not outlast the timeout. */
  static void warmUp(WireMockServer server) {
    try {
      java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/warm"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    registry.add("herald.delivery.gateways.first.url", () -> FIRST.baseUrl() + "/v1");
    registry.add("herald.delivery.gateways.second.url", () -> SECOND.baseUrl() + "/v1");
  }

  @AfterAll
  static void stop() {
    FIRST.stop();
    SECOND.stop();
  }

  @LocalServerPort int port;
  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;
  @Autowired GatewayHealth health;
  @Autowired GatewayConsole console;

  TenantId tenant;

  @BeforeEach
  void setUp() {
    tenant = companies.aDanishCompany(true, true).id();
    healthy(FIRST, "first");
    healthy(SECOND, "second");
    // a test starts with both breakers closed (the previous one may have left one open)
    // (first's probes, one message at a time, close it once it is healthy again)
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> {
          if (health.state("first") == CircuitBreaker.State.CLOSED) {
            return true;
          }
          awaitAllSent(send(tenant, List.of(aNumber("+4529"))));
          return health.state("first") == CircuitBreaker.State.CLOSED;
        });
  }

  static void healthy(WireMockServer server, String name) {
    server.resetAll();
    server.stubFor(
        post(urlEqualTo("/v1/messages"))
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":\"" + name + "-{{jsonPath request.body '$.reference'}}\"}")));
  }

  static void down(WireMockServer server) {
    server.stubFor(
        post(urlEqualTo("/v1/messages"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(503).withBody("{\"message\":\"maintenance\"}")));
  }

  static String aNumber(String prefix) {
    return prefix + "%06d".formatted(numbers.incrementAndGet());
  }

  List<UUID> send(TenantId company, List<String> to) {
    return messages
        .enqueue(
            company,
            to.stream()
                .map(n -> new OutboundDraft(Channel.SMS, null, n, null, "Failover test", false))
                .toList())
        .stream()
        .map(q -> q.id())
        .toList();
  }

  /** The provider's answers to requests for this number, by status. */
  static List<Integer> answers(WireMockServer server, String to) {
    List<Integer> statuses = new ArrayList<>();
    for (ServeEvent e : server.getAllServeEvents()) {
      if (e.getRequest().getBodyAsString().contains("\"to\":\"" + to + "\"")) {
        statuses.add(e.getResponse().getStatus());
      }
    }
    return statuses;
  }

  static long accepted(WireMockServer server) {
    return server.getAllServeEvents().stream()
        .filter(e -> e.getResponse().getStatus() == 201)
        .count();
  }

  String gatewayOf(UUID id) {
    return jdbc.sql("SELECT gateway FROM outbound_message WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }

  List<String> attempts(UUID id) {
    return jdbc.sql(
            "SELECT gateway || ' ' || outcome || ' ' || error_code FROM outbound_attempt WHERE"
                + " message_id = :id ORDER BY number")
        .param("id", id)
        .query(String.class)
        .list();
  }

  void awaitAllSent(List<UUID> ids) {
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() ->
              ids.stream()
                  .allMatch(id ->
                      messages.find(tenant, id).orElseThrow().status() == MessageStatus.SENT));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "not all sent: "
              + ids.stream()
                  .map(id -> messages.find(tenant, id).orElseThrow())
                  .filter(m -> m.status() != MessageStatus.SENT)
                  .map(m -> m.status() + " " + m.statusReason() + " " + m.attemptHistory())
                  .toList(),
          e);
    }
  }

  @Test
  void theFirstGoesDownMidRunTheRestGoesBySecondAndTheFirstTakesTrafficBack() {
    int n = 80;
    List<String> to = IntStream.range(0, n).mapToObj(i -> aNumber("+4524")).toList();
    List<UUID> ids = send(tenant, to);
    // 40 a second through first: it goes down a little way into the run
    await().atMost(Duration.ofSeconds(10)).until(() -> accepted(FIRST) >= 15);
    down(FIRST);
    awaitAllSent(ids);

    Map<String, Long> perGateway =
        ids.stream().collect(Collectors.groupingBy(this::gatewayOf, Collectors.counting()));
    assertThat(perGateway.get("first")).isGreaterThanOrEqualTo(15);
    assertThat(perGateway.get("second")).isGreaterThanOrEqualTo(10);
    assertThat(perGateway.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      UUID id = ids.get(i);
      List<Integer> byFirst = answers(FIRST, to.get(i));
      List<Integer> bySecond = answers(SECOND, to.get(i));
      // accepted exactly once, by the gateway the row names
      assertThat(
              byFirst.stream().filter(s -> s == 201).count()
                  + bySecond.stream().filter(s -> s == 201).count())
          .as("acceptances of message %d", i)
          .isEqualTo(1);
      assertThat(gatewayOf(id)).isEqualTo(byFirst.contains(201) ? "first" : "second");
      // every refused submit is an attempt row naming its gateway; the accepted one is the row
      List<String> attempts = attempts(id);
      assertThat(attempts).hasSize(byFirst.size() + bySecond.size() - 1);
      assertThat(attempts).allMatch(a -> a.startsWith("first "));
      assertThat(messages.find(tenant, id).orElseThrow().attempts())
          .isEqualTo(byFirst.size() + bySecond.size());
    }

    // first is healthy again: after open-for, its probes do well and it takes traffic back
    healthy(FIRST, "first");
    List<String> later = IntStream.range(0, 10).mapToObj(i -> aNumber("+4524")).toList();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> {
          // one at a time: while half-open, first takes only its probes
          List<UUID> batch = send(tenant, List.of(aNumber("+4524")));
          awaitAllSent(batch);
          return health.state("first") == CircuitBreaker.State.CLOSED;
        });
    List<UUID> laterIds = send(tenant, later);
    awaitAllSent(laterIds);
    assertThat(laterIds).allMatch(id -> gatewayOf(id).equals("first"));
  }

  @Test
  void anUnknownOutcomeOnTheFirstStaysThereUntilSettled() throws Exception {
    String slow = aNumber("+4525");
    FIRST.stubFor(
        post(urlEqualTo("/v1/messages"))
            .atPriority(2)
            .withRequestBody(matchingJsonPath("$.to", equalTo(slow)))
            .willReturn(
                aResponse().withStatus(201).withBody("{\"id\":\"late\"}").withFixedDelay(4000)));
    UUID id = send(tenant, List.of(slow)).getFirst();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> "outcome unknown".equals(messages.find(tenant, id).orElseThrow().statusReason()));
    // first goes down; other traffic moves to second, this message does not
    down(FIRST);
    List<UUID> others =
        send(tenant, IntStream.range(0, 12).mapToObj(i -> aNumber("+4525")).toList());
    awaitAllSent(others);
    assertThat(others.stream().map(this::gatewayOf)).contains("second");
    // past its unknown-outcome window (2 s): resubmitted, to first only
    await().atMost(Duration.ofSeconds(15)).until(() -> answers(FIRST, slow).size() >= 2);
    assertThat(answers(SECOND, slow)).isEmpty();
    assertThat(messages.find(tenant, id).orElseThrow().status()).isNotEqualTo(MessageStatus.SENT);

    healthy(FIRST, "first");
    awaitAllSent(List.of(id));
    assertThat(gatewayOf(id)).isEqualTo("first");
    assertThat(answers(SECOND, slow)).isEmpty();
    assertThat(attempts(id).getFirst()).isEqualTo("first UNKNOWN HTTP_TIMEOUT");
    assertThat(attempts(id)).allMatch(a -> a.startsWith("first "));
  }

  @Test
  void aRefusalMeaningThisGatewayCannotHandsTheMessageToTheNext() {
    String to = aNumber("+4526");
    FIRST.stubFor(
        post(urlEqualTo("/v1/messages"))
            .atPriority(2)
            .withRequestBody(matchingJsonPath("$.to", equalTo(to)))
            .willReturn(aResponse().withStatus(402).withBody("{\"message\":\"out of funds\"}")));
    UUID id = send(tenant, List.of(to)).getFirst();
    awaitAllSent(List.of(id));
    assertThat(gatewayOf(id)).isEqualTo("second");
    assertThat(attempts(id)).containsExactly("first TRANSIENT_FAILURE GATEWAY_REFUSED");
    assertThat(answers(FIRST, to)).containsExactly(402);
    assertThat(answers(SECOND, to)).containsExactly(201);
  }

  @Test
  void routesPerCountryAndPerCompany() {
    TenantId other = companies.aDanishCompany(true, true).id();
    console.setCompanyRoute(other, List.of("second"));
    console.setCountryRoute("no", List.of("second", "first"));
    try {
      UUID danish = send(tenant, List.of(aNumber("+4527"))).getFirst();
      UUID swedish = send(tenant, List.of(aNumber("+46701"))).getFirst();
      UUID norwegian = send(tenant, List.of(aNumber("+47401"))).getFirst();
      List<UUID> mine = List.of(danish, swedish, norwegian);
      awaitAllSent(mine);
      assertThat(mine.stream().map(this::gatewayOf)).containsExactly("first", "second", "second");
      UUID otherCompanys = send(other, List.of(aNumber("+4527"))).getFirst();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() ->
              messages.find(other, otherCompanys).orElseThrow().status() == MessageStatus.SENT);
      assertThat(gatewayOf(otherCompanys)).isEqualTo("second");
    } finally {
      console.removeCompanyRoute(other);
      console.removeCountryRoute("NO");
    }
  }

  @Test
  void theOperatorSeesEachGatewaysHealthAndSetsARouteAndPrometheusHasTheirMetrics()
      throws Exception {
    String base = "http://localhost:" + port;
    List<UUID> sent = send(tenant, List.of(aNumber("+4528"), aNumber("+46702")));
    awaitAllSent(sent);
    WebSession operator = new WebSession();
    operator.logIn(base, "operator@herald.test", "demo-password-for-tests");
    // the health table is written every refresh (500 ms here)
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> operator.get(base + "/operator/gateways").body(),
            page -> page.contains("data-gateway=\"second\" data-state=\"up\""));
    String page = operator.get(base + "/operator/gateways").body();
    assertThat(page).contains("data-gateway=\"first\"").contains("Default route: first → second");
    assertThat(page)
        .contains("data-route=\"country:SE\"")
        .contains("Configuration (change it there)");
    assertThat(page).doesNotContain("key-first").doesNotContain("first-webhook-secret");

    // every error of the form at once, with the rule shown before
    var refused =
        operator.submit(
            base + "/operator/gateways",
            base + "/operator/gateways/routes/country",
            Map.of("country", "XX", "gateways", "first, nowhere"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("Enter a two-letter ISO country code")
        .contains("There is no gateway &quot;nowhere&quot;");
    var saved =
        operator.submit(
            base + "/operator/gateways",
            base + "/operator/gateways/routes/country",
            Map.of("country", "fi", "gateways", "second, first"));
    assertThat(saved.statusCode()).isEqualTo(302);
    try {
      assertThat(operator.get(base + "/operator/gateways").body())
          .contains("data-route=\"country:FI\"")
          .contains("second → first")
          .contains("Route saved.");
      UUID finnish = send(tenant, List.of(aNumber("+358401"))).getFirst();
      awaitAllSent(List.of(finnish));
      assertThat(gatewayOf(finnish)).isEqualTo("second");
    } finally {
      // removing asks first, then removes
      String confirm =
          operator.get(base + "/operator/gateways/routes/remove?scope=country&key=FI").body();
      assertThat(confirm).contains("Remove the route of FI?");
      operator.submit(
          base + "/operator/gateways/routes/remove?scope=country&key=FI",
          base + "/operator/gateways/routes/remove",
          Map.of("scope", "country", "key", "FI"));
    }
    assertThat(operator.get(base + "/operator/gateways").body())
        .doesNotContain("data-route=\"country:FI\"");

    String prometheus = operator.get(base + "/actuator/prometheus", "text/plain").body();
    assertThat(prometheus)
        .containsPattern("herald_gateway_state\\{[^}]*gateway=\"first\"[^}]*\\} [0-2]")
        .containsPattern(
            "herald_gateway_submits_total\\{[^}]*gateway=\"second\",outcome=\"accepted\"[^}]*\\} [1-9]");
  }
}
