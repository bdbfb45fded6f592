package dev.herald.delivery.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A routed gateway with no token left while another routed gateway has some (decision 0018): the
 * claim puts every row back for its gateway's tokens, and the lane looks again shortly, not after
 * the idle poll interval (5 s by default, kept here): the slow gateway still gets its rate.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.sms.gateway=fast",
      "herald.delivery.routing.default-route=fast",
      "herald.delivery.routing.countries.SE=slow",
      "herald.delivery.gateways.fast.type=http",
      "herald.delivery.gateways.fast.api-key=key-fast",
      "herald.delivery.gateways.fast.webhook-secret=fast-webhook-secret-0001",
      "herald.delivery.gateways.fast.max-per-second=1000",
      "herald.delivery.gateways.slow.type=http",
      "herald.delivery.gateways.slow.api-key=key-slow",
      "herald.delivery.gateways.slow.webhook-secret=slow-webhook-secret-0001",
      "herald.delivery.gateways.slow.max-per-second=1",
      "herald.delivery.gateways.slow.burst=1",
      "herald.delivery.sms.default-sender=+4570000002"
    })
@DirtiesContext
class GatewayWaitIntegrationTests {

  static final WireMockServer FAST =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final WireMockServer SLOW =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));
  static final AtomicInteger numbers = new AtomicInteger();

  static {
    FAST.start();
    SLOW.start();
    accepting(FAST, "fast");
    accepting(SLOW, "slow");
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

  @DynamicPropertySource
  static void providers(DynamicPropertyRegistry registry) {
    registry.add("herald.delivery.gateways.fast.url", () -> FAST.baseUrl() + "/v1");
    registry.add("herald.delivery.gateways.slow.url", () -> SLOW.baseUrl() + "/v1");
  }

  @AfterAll
  static void stop() {
    FAST.stop();
    SLOW.stop();
  }

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  List<UUID> send(TenantId company, String prefix, int n) {
    return messages
        .enqueue(
            company,
            IntStream.range(0, n)
                .mapToObj(i ->
                    new OutboundDraft(
                        Channel.SMS,
                        null,
                        prefix + "%06d".formatted(numbers.incrementAndGet()),
                        null,
                        "Wait for tokens",
                        false))
                .toList())
        .stream()
        .map(q -> q.id())
        .toList();
  }

  void awaitSent(TenantId company, List<UUID> ids, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() ->
            ids.stream()
                .allMatch(
                    id -> messages.find(company, id).orElseThrow().status() == MessageStatus.SENT));
  }

  @Test
  void aGatewayOutOfTokensIsLookedAtAgainShortlyNotAfterThePollInterval() {
    TenantId company = companies.aDanishCompany(true, true).id();
    // Danish SMS go by "fast": it is in use, so its tokens size the claims that follow.
    awaitSent(company, send(company, "+4526", 1), Duration.ofSeconds(20));
    List<UUID> swedish = send(company, "+46701", 5);
    // 1 a second with a burst of 1: about 4 s; nearly every claim in between finds "slow" empty.
    awaitSent(company, swedish, Duration.ofSeconds(30));

    List<Long> at = new ArrayList<>();
    SLOW.getAllServeEvents().forEach(e -> at.add(e.getRequest().getLoggedDate().getTime()));
    at.sort(Long::compare);
    assertThat(at).hasSize(5);
    long longestGap = 0;
    for (int i = 1; i < at.size(); i++) {
      longestGap = Math.max(longestGap, at.get(i) - at.get(i - 1));
    }
    // at 1 a second the gaps are about 1 s; a lane that slept its poll interval leaves 4-5 s
    assertThat(longestGap).as("longest gap between two submits to slow, ms").isLessThan(2_500);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM outbound_message WHERE tenant_id = :t AND gateway ="
                        + " 'slow' AND status = 'sent'")
                .param("t", company.value())
                .query(Long.class)
                .single())
        .isEqualTo(5);
  }
}
