package dev.herald.delivery.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.HeraldApplication;
import dev.herald.delivery.Channel;
import dev.herald.delivery.GatewayConsole;
import dev.herald.delivery.GatewayConsole.GatewayInput;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Gateways configured on the console, on two nodes (this test's context and a second application
 * context on the same database, both dispatching): the second node starts a gateway the first
 * stored and stops one it removed, without a restart; each routed gateway keeps its own rate limit,
 * counted per gateway from the attempts the database holds.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      ConsoleGatewaysClusterIntegrationTests.KEY_PROPERTY,
      "herald.delivery.routing.refresh=300ms",
      "herald.delivery.poll-interval=100ms",
      "herald.delivery.node-id=first-node",
      "herald.delivery.submit-timeout=3s",
      "herald.delivery.backoff-base=200ms",
      "herald.delivery.gateways.slow.unknown-outcome-window=2s"
    })
@DirtiesContext
class ConsoleGatewaysClusterIntegrationTests {

  /** Every node of a cluster has the same HERALD_SECRETS_KEY (base64 of 32 bytes). */
  static final String KEY_PROPERTY =
      "herald.delivery.secrets-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  static final WireMockServer A =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final WireMockServer B =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final WireMockServer SLOW =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final WireMockServer LEAVING =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final WireMockServer KEPT =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final WireMockServer NUMBERED =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final AtomicInteger numbers = new AtomicInteger();

  static {
    A.start();
    B.start();
    SLOW.start();
    LEAVING.start();
    KEPT.start();
    NUMBERED.start();
    accepting(A, "a");
    accepting(B, "b");
  }

  @AfterAll
  static void stop() {
    A.stop();
    B.stop();
    SLOW.stop();
    LEAVING.stop();
    KEPT.stop();
    NUMBERED.stop();
  }

  static void accepting(WireMockServer server, String name) {
    server.stubFor(
        post(urlEqualTo("/v1/messages"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":\"" + name + "-{{jsonPath request.body '$.reference'}}\"}")));
  }

  @Autowired GatewayConsole console;
  @Autowired GatewayRoutes routes;
  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  static GatewayInput http(String name, WireMockServer server, String perSecond) {
    return new GatewayInput(
        name,
        "http",
        Map.of("url", server.baseUrl() + "/v1"),
        Map.of(
            "api-key", "key-" + name + "-0123456789",
            "webhook-secret", "webhook-secret-of-" + name),
        perSecond,
        null);
  }

  List<UUID> send(TenantId company, int n) {
    return messages
        .enqueue(
            company,
            IntStream.range(0, n)
                .mapToObj(i ->
                    new OutboundDraft(
                        Channel.SMS,
                        null,
                        "+4526%06d".formatted(numbers.incrementAndGet()),
                        null,
                        "Rate test",
                        false))
                .toList())
        .stream()
        .map(q -> q.id())
        .toList();
  }

  void awaitSent(TenantId company, List<UUID> ids) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() ->
            ids.stream()
                .allMatch(
                    id -> messages.find(company, id).orElseThrow().status() == MessageStatus.SENT));
  }

  /** When each message the gateway took was recorded sent, in order. */
  List<Instant> sentBy(String gateway) {
    return jdbc.sql(
            "SELECT sent_at FROM outbound_message WHERE gateway = :g AND status = 'sent'"
                + " ORDER BY sent_at")
        .param("g", gateway)
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .list();
  }

  /** When each request reached the provider, in order. */
  static List<Instant> arrivals(WireMockServer provider) {
    return provider.getAllServeEvents().stream()
        .map(e -> e.getRequest().getLoggedDate().toInstant())
        .sorted()
        .toList();
  }

  /** The most messages sent within any one second. */
  static int busiestSecond(List<Instant> times) {
    int best = 0;
    for (int i = 0, j = 0; i < times.size(); i++) {
      while (Duration.between(times.get(j), times.get(i)).toMillis() >= 1000) {
        j++;
      }
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  @Test
  void a_second_node_starts_an_added_gateway_and_stops_a_removed_one_and_each_keeps_its_own_limit()
      throws Exception {
    String url = ((HikariDataSource) dataSource).getJdbcUrl();
    try (ConfigurableApplicationContext second =
        new SpringApplicationBuilder(HeraldApplication.class)
            .properties(
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "server.port=0",
                "herald.demo.enabled=false")
            // arguments, as application.properties would win over the builder's defaults
            .run(
                "--" + KEY_PROPERTY,
                "--herald.delivery.routing.refresh=300ms",
                "--herald.delivery.poll-interval=100ms",
                "--herald.delivery.node-id=second-node")) {
      GatewayRoutes secondRoutes = second.getBean(GatewayRoutes.class);

      console.saveGateway(http("rate-a", A, "20"));
      console.saveGateway(http("rate-b", B, "20"));
      assertThat(routes.known()).as("the storing node at once").contains("rate-a", "rate-b");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> secondRoutes.known().containsAll(List.of("rate-a", "rate-b")));

      TenantId one = companies.aDanishCompany(true, true).id();
      TenantId two = companies.aDanishCompany(true, true).id();
      console.setCompanyRoute(one, List.of("rate-a"));
      console.setCompanyRoute(two, List.of("rate-b"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> secondRoutes.routeOf(two, "+4526000000").equals(List.of("rate-b")));

      List<UUID> viaA = send(one, 100);
      List<UUID> viaB = send(two, 100);
      awaitSent(one, viaA);
      awaitSent(two, viaB);

      assertThat(sentBy("rate-a")).hasSize(100);
      assertThat(sentBy("rate-b")).hasSize(100);
      assertThat(
              jdbc.sql(
                      "SELECT count(DISTINCT claimed_by) FROM outbound_message WHERE gateway IN"
                          + " ('rate-a', 'rate-b')")
                  .query(Integer.class)
                  .single())
          .as("both nodes sent")
          .isEqualTo(2);
      // 20 a second each and a bucket of 2 (a tenth of a second), counted where the limit holds: at
      // each provider, when its request came; the slack is for requests that a busy machine sends
      // late, in a bunch. (When recorded sent is no measure of the rate: the pipelined workers
      // record a batch after claiming the next, so sent_at bunches more; decision 0019.)
      List<Instant> a = arrivals(A);
      List<Instant> b = arrivals(B);
      System.out.printf(
          "Console gateways at 20/s each: busiest second %d and %d, %.1f/s and %.1f/s%n",
          busiestSecond(a),
          busiestSecond(b),
          99 / (Duration.between(a.getFirst(), a.getLast()).toMillis() / 1000.0),
          99 / (Duration.between(b.getFirst(), b.getLast()).toMillis() / 1000.0));
      assertThat(busiestSecond(a)).as("rate-a in its busiest second").isLessThanOrEqualTo(26);
      assertThat(busiestSecond(b)).as("rate-b in its busiest second").isLessThanOrEqualTo(26);
      double secondsA = Duration.between(a.getFirst(), a.getLast()).toMillis() / 1000.0;
      double secondsB = Duration.between(b.getFirst(), b.getLast()).toMillis() / 1000.0;
      assertThat(99 / secondsA).as("rate-a per second").isBetween(12.0, 23.0);
      assertThat(99 / secondsB).as("rate-b per second").isBetween(12.0, 23.0);
      Instant start = a.getFirst().isBefore(b.getFirst()) ? a.getFirst() : b.getFirst();
      Instant end = a.getLast().isAfter(b.getLast()) ? a.getLast() : b.getLast();
      double together = 198 / (Duration.between(start, end).toMillis() / 1000.0);
      // one bucket for both would give about 20; each its own, about 40 (less on a loaded machine)
      assertThat(together).as("both together per second").isBetween(28.0, 46.0);
      assertThat(A.getAllServeEvents()).hasSize(100);
      assertThat(B.getAllServeEvents()).hasSize(100);

      // removed on this node: it stays up on both nodes while its 100 messages await their
      // receipts; once they came (on either node), the second stops it
      console.removeGateway("rate-b");
      assertThat(console.removalImpact("rate-b").orElseThrow().awaitingReceipts()).isEqualTo(100);
      await().atMost(Duration.ofSeconds(5)).until(() -> !secondRoutes.known().contains("rate-b"));
      assertThat(secondRoutes.live()).as("still up on the second node").contains("rate-b");
      for (UUID id : viaB) {
        assertThat(statusWebhook("rate-b", gatewayIdOf(id), "delivered").statusCode())
            .isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> console.configuredGateway("rate-b").isEmpty());
      await().atMost(Duration.ofSeconds(5)).until(() -> !secondRoutes.live().contains("rate-b"));
      assertThat(second.getBean(Gateways.class).sms("rate-b"))
          .as("the second node no longer runs it")
          .isEmpty();
      List<UUID> after = send(two, 3);
      awaitSent(two, after);
      assertThat(
              jdbc.sql("SELECT DISTINCT gateway FROM outbound_message WHERE id IN (:ids)")
                  .param("ids", after)
                  .query(String.class)
                  .list())
          .as("the route naming a gone gateway falls through to the default")
          .containsExactly("simulator");
      assertThat(B.getAllServeEvents()).hasSize(100);
      console.removeCompanyRoute(one);
      console.removeCompanyRoute(two);
      console.removeGateway("rate-a");
    }
  }

  @Autowired java.time.Clock clock;
  @Autowired CarrierInbox inbox;
  @Autowired Gateways gateways;
  @Autowired GatewayLimits limits;
  @Autowired GatewayHealth health;
  @Autowired dev.herald.delivery.http.HttpProviderGateways httpGateways;
  @Autowired dev.herald.delivery.kannel.KannelGateways kannelGateways;
  @Autowired DeliverySettings settings;

  @Test
  void without_herald_secrets_key_the_console_refuses_to_store_secrets_and_says_why() {
    ConsoleGateways keyless =
        new ConsoleGateways(
            jdbc,
            clock,
            new dev.herald.shared.SecretsBox(java.util.Optional.empty()),
            inbox,
            gateways,
            routes,
            limits,
            health,
            httpGateways,
            kannelGateways,
            settings,
            Duration.ofSeconds(1));
    assertThat(keyless.secretsAvailable()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> keyless.save(http("keyless", A, "5")))
        .isInstanceOfSatisfying(
            dev.herald.shared.InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .extracting(p -> p.field() + ":" + p.code())
                    .containsExactlyInAnyOrder(
                        "api-key:gateways.secrets.noKey", "webhook-secret:gateways.secrets.noKey"));
    assertThat(console.configuredGateway("keyless")).as("nothing stored").isEmpty();
  }

  @Test
  void a_message_whose_outcome_is_unknown_stays_with_its_disabled_gateway_and_new_ones_go_on() {
    SLOW.stubFor(
        post(urlEqualTo("/v1/messages"))
            .willReturn(aResponse().withStatus(201).withFixedDelay(2500).withBody("{}")));
    console.saveGateway(
        new GatewayInput(
            "slow",
            "http",
            Map.of("url", SLOW.baseUrl() + "/v1", "timeout", "1"),
            Map.of("api-key", "key-slow-0123456789", "webhook-secret", "webhook-secret-of-slow"),
            "50",
            null));
    TenantId company = companies.aDanishCompany(true, true).id();
    console.setCompanyRoute(company, List.of("slow", "simulator"));
    UUID unknown = send(company, 1).getFirst();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            jdbc.sql(
                        "SELECT count(*) FROM outbound_attempt WHERE message_id = :id AND gateway ="
                            + " 'slow' AND outcome = 'UNKNOWN'")
                    .param("id", unknown)
                    .query(Integer.class)
                    .single()
                == 1);

    console.setGatewayEnabled("slow", false);
    // the first request is still being answered (2.5 s) and was seen logged after this reset in
    // a run, so requests are counted by when they came in
    java.util.Date reset = new java.util.Date();
    SLOW.resetAll();
    accepting(SLOW, "slow");
    UUID later = send(company, 1).getFirst();
    awaitSent(company, List.of(later));
    assertThat(gatewayOf(later)).as("a disabled gateway takes nothing new").isEqualTo("simulator");
    awaitSent(company, List.of(unknown));
    assertThat(gatewayOf(unknown))
        .as("resubmitted only where it may already be, though that gateway is disabled")
        .isEqualTo("slow");
    // (the first, unanswered request may still be logged after the reset: counted by attempt)
    assertThat(SLOW.getAllServeEvents())
        .filteredOn(e -> e.getRequest().getBodyAsString().contains(unknown + ":2"))
        .as("resubmitted there once")
        .hasSize(1);
    assertThat(SLOW.getAllServeEvents())
        .filteredOn(e -> e.getRequest().getBodyAsString().contains(later.toString()))
        .isEmpty();
    assertThat(console.removalImpact("slow").orElseThrow().routes()).isEqualTo(1);
    console.removeCompanyRoute(company);
    console.removeGateway("slow");
  }

  @org.springframework.boot.test.web.server.LocalServerPort int port;

  String gatewayIdOf(UUID id) {
    return jdbc.sql("SELECT gateway_message_id FROM outbound_message WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }

  /**
   * The provider's signed status callback, as {@code http(name, ...)}'s webhook secret signs it.
   */
  java.net.http.HttpResponse<String> statusWebhook(String gateway, String id, String status)
      throws Exception {
    String body = "{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}";
    long now = clock.instant().getEpochSecond();
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            ("webhook-secret-of-" + gateway).getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "HmacSHA256"));
    String signature =
        "v1="
            + java.util.HexFormat.of()
                .formatHex(
                    mac.doFinal(
                        (now + "." + body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://localhost:" + port + "/carriers/http/" + gateway + "/status"))
                .header("Content-Type", "application/json")
                .header("X-Signature", signature)
                .header("X-Signature-Timestamp", Long.toString(now))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  MessageStatus statusOf(TenantId company, UUID id) {
    return messages.find(company, id).orElseThrow().status();
  }

  @Test
  void
      a_removed_gateway_keeps_hearing_receipts_until_its_messages_have_them_or_their_validity_passed()
          throws Exception {
    accepting(LEAVING, "leaving");
    console.saveGateway(http("leaving", LEAVING, "50"));
    TenantId company = companies.aDanishCompany(true, true).id();
    console.setCompanyRoute(company, List.of("leaving", "simulator"));
    List<UUID> sent = send(company, 3);
    awaitSent(company, sent);
    assertThat(sent).allSatisfy(id -> assertThat(gatewayOf(id)).isEqualTo("leaving"));

    console.removeGateway("leaving");
    GatewayConsole.RemovalImpact impact = console.removalImpact("leaving").orElseThrow();
    assertThat(impact.awaitingReceipts()).as("sent, their receipts to come").isEqualTo(3);
    assertThat(impact.receiptsUntil())
        .as("the validity of the last and an hour")
        .isAfter(clock.instant().plus(Duration.ofHours(24)));
    assertThat(console.configuredGateway("leaving").orElseThrow().state()).isEqualTo("removing");
    assertThat(routes.known()).as("routed nothing new").doesNotContain("leaving");
    UUID later = send(company, 1).getFirst();
    awaitSent(company, List.of(later));
    assertThat(gatewayOf(later)).isEqualTo("simulator");

    // a receipt still comes in, and settles its message
    assertThat(statusWebhook("leaving", gatewayIdOf(sent.get(0)), "delivered").statusCode())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> statusOf(company, sent.get(0)) == MessageStatus.DELIVERED);
    assertThat(statusWebhook("leaving", gatewayIdOf(sent.get(1)), "failed").statusCode())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> statusOf(company, sent.get(1)) == MessageStatus.FAILED);
    assertThat(console.removalImpact("leaving").orElseThrow().awaitingReceipts()).isEqualTo(1);
    assertThat(console.configuredGateway("leaving")).as("one receipt still awaited").isPresent();

    // the third's validity passed more than an hour ago: no receipt can come for it any more
    jdbc.sql("UPDATE outbound_message SET valid_until = :past WHERE id = :id AND status = 'sent'")
        .param("past", java.sql.Timestamp.from(clock.instant().minus(Duration.ofMinutes(61))))
        .param("id", sent.get(2))
        .update();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> console.configuredGateway("leaving").isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> !routes.live().contains("leaving"));
    assertThat(statusWebhook("leaving", gatewayIdOf(sent.get(2)), "delivered").statusCode())
        .as("a stopped gateway hears nothing")
        .isEqualTo(404);
    console.removeCompanyRoute(company);
  }

  @Test
  void enabling_a_gateway_being_removed_keeps_it() {
    accepting(KEPT, "kept");
    console.saveGateway(http("kept", KEPT, "50"));
    TenantId company = companies.aDanishCompany(true, true).id();
    console.setCompanyRoute(company, List.of("kept"));
    UUID sent = send(company, 1).getFirst();
    awaitSent(company, List.of(sent));
    console.removeGateway("kept");
    assertThat(console.configuredGateway("kept").orElseThrow().state()).isEqualTo("removing");

    assertThat(console.setGatewayEnabled("kept", true)).isTrue();
    assertThat(console.configuredGateway("kept").orElseThrow().state()).isEqualTo("enabled");
    assertThat(routes.known()).contains("kept");
    console.removeCompanyRoute(company);
  }

  @Autowired dev.herald.delivery.SenderNumbers senderNumbers;

  @Test
  void a_console_gateways_per_sender_limit_counts_the_number_two_companies_share() {
    accepting(NUMBERED, "numbered");
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("url", NUMBERED.baseUrl() + "/v1");
    settings.put(GatewayConsole.PER_SENDER, "4");
    console.saveGateway(
        new GatewayInput(
            "numbered",
            "http",
            settings,
            Map.of(
                "api-key", "key-numbered-0123456789", "webhook-secret", "webhook-secret-numbered"),
            "100",
            null));
    String shared = "+45719" + String.format("%05d", numbers.incrementAndGet());
    UUID number = senderNumbers.add(shared, "DK", "numbered").id();
    TenantId one = companies.aDanishCompany(true, true).id();
    TenantId two = companies.aDanishCompany(true, true).id();
    for (TenantId company : List.of(one, two)) {
      senderNumbers.assign(number, company);
      console.setCompanyRoute(company, List.of("numbered"));
    }
    List<UUID> fromOne = send(one, 6);
    List<UUID> fromTwo = send(two, 6);
    awaitSent(one, fromOne);
    awaitSent(two, fromTwo);

    List<Instant> times = sentBy("numbered");
    assertThat(times).hasSize(12);
    assertThat(NUMBERED.getAllServeEvents())
        .as("each from the shared number (direct messages may be answered)")
        .hasSize(12)
        .allSatisfy(
            e -> assertThat(e.getRequest().getBodyAsString()).contains(shared.substring(1)));
    // 4 a second from the number with a burst of 1, whichever company sends: not 8 a second
    assertThat(busiestSecond(times)).isLessThanOrEqualTo(6);
    assertThat(Duration.between(times.getFirst(), times.getLast()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(2_200));
    console.removeCompanyRoute(one);
    console.removeCompanyRoute(two);
  }

  @Test
  void changing_only_the_rate_keeps_the_running_gateway_and_its_binds_while_a_setting_restarts_it()
      throws Exception {
    try (dev.herald.delivery.smpp.TestSmsc smsc = new dev.herald.delivery.smpp.TestSmsc()) {
      Map<String, String> settings =
          Map.of("host", "127.0.0.1", "port", String.valueOf(smsc.port), "system-id", "herald");
      console.saveGateway(new GatewayInput("binds", "smpp", settings, Map.of(), "50", null));
      await().atMost(Duration.ofSeconds(10)).until(() -> smsc.boundSessions() == 1);
      dev.herald.delivery.gateway.SmsGateway running = gateways.sms("binds").orElseThrow();
      assertThat(running.name()).isEqualTo("binds");

      int version = console.configuredGateway("binds").orElseThrow().version();
      console.saveGateway(new GatewayInput("binds", "smpp", settings, Map.of(), "80", version));
      assertThat(limits.of("binds").maxPerSecond()).as("the new rate applies").isEqualTo(80.0);
      assertThat(gateways.sms("binds").orElseThrow())
          .as("a new rate alone does not unbind what may have submits in flight")
          .isSameAs(running);
      assertThat(smsc.boundSessions()).isEqualTo(1);

      Map<String, String> wider = new java.util.HashMap<>(settings);
      wider.put("window", "20");
      console.saveGateway(new GatewayInput("binds", "smpp", wider, Map.of(), "80", version + 1));
      assertThat(gateways.sms("binds").orElseThrow())
          .as("a changed setting restarts it")
          .isNotSameAs(running);
      console.removeGateway("binds");
    }
  }

  @Test
  void a_node_whose_console_gateways_were_closed_at_shutdown_starts_none_of_them_again()
      throws Exception {
    try (dev.herald.delivery.smpp.TestSmsc smsc = new dev.herald.delivery.smpp.TestSmsc()) {
      Map<String, String> smpp =
          Map.of("host", "127.0.0.1", "port", String.valueOf(smsc.port), "system-id", "herald");
      console.saveGateway(new GatewayInput("late-binds", "smpp", smpp, Map.of(), "10", null));
      await().atMost(Duration.ofSeconds(10)).until(() -> smsc.boundSessions() == 1);
      ConsoleGateways closing =
          new ConsoleGateways(
              jdbc,
              clock,
              new dev.herald.shared.SecretsBox(java.util.Optional.empty()),
              inbox,
              gateways,
              routes,
              limits,
              health,
              httpGateways,
              kannelGateways,
              settings,
              Duration.ofSeconds(1));
      closing.apply();
      await().atMost(Duration.ofSeconds(10)).until(() -> smsc.boundSessions() == 2);
      closing.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> smsc.boundSessions() == 1);
      // the shutdown closes the console's gateways before the routing refresh loop has stopped:
      // a refresh that comes between must not bind them again, binds nobody would close
      closing.apply();
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> smsc.boundSessions() == 1);
      closing.close();
      console.removeGateway("late-binds");
    }
  }

  String gatewayOf(UUID id) {
    return jdbc.sql("SELECT gateway FROM outbound_message WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }
}
