package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldApplication;
import dev.herald.support.Api;
import dev.herald.support.Api.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Random input to the message endpoints: queued, or a clear 4xx, never a 500. */
class MessagesApiPropertiesTests {

  private static final AtomicInteger keys = new AtomicInteger();
  private static ConfigurableApplicationContext herald;
  private static Api api;
  private static String contactId;

  @BeforeContainer
  static void startHerald() {
    herald =
        new SpringApplicationBuilder(HeraldApplication.class)
            .properties("server.port=0", "herald.delivery.worker-enabled=false")
            .run();
    int port = Integer.parseInt(herald.getEnvironment().getProperty("local.server.port"));
    api = new Api(port, "hk_test_demo_key_0123456789abcdefghijklmnop");
    contactId = api.get("/api/v1/contacts?query=Anders").body().at("/items/0/id").asString();
  }

  @AfterContainer
  static void stopHerald() {
    herald.close();
  }

  @Property(tries = 300)
  void random_texts_are_queued_or_refused_clearly(@ForAll("texts") String text) {
    String body =
        Api.json.createObjectNode().put("contactId", contactId).put("text", text).toString();
    Response response = api.postWithKey("/api/v1/messages", "p-" + keys.incrementAndGet(), body);
    assertThat(response.status()).as(body).isIn(200, 201, 422);
    if (response.status() == 422) {
      assertThat(response.body().at("/errors/0/field").asString()).isEqualTo("text");
    }
  }

  @Property(tries = 200)
  void random_bodies_never_cause_a_500(@ForAll("bodies") String body, @ForAll("keys") String key) {
    Response response = api.postWithKey("/api/v1/messages", key, body);
    assertThat(response.status()).as(body).isIn(200, 201, 400, 404, 415, 422);
  }

  @Property(tries = 150)
  void random_filters_never_cause_a_500(
      @ForAll("junk") String status, @ForAll("junk") String channel) {
    String query =
        "?status="
            + URLEncoder.encode(status, StandardCharsets.UTF_8)
            + "&channel="
            + URLEncoder.encode(channel, StandardCharsets.UTF_8);
    assertThat(api.get("/api/v1/messages" + query).status()).isIn(200, 400, 422);
    assertThat(
            api.get("/api/v1/messages/" + URLEncoder.encode(status, StandardCharsets.UTF_8))
                .status())
        .isIn(400, 404);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().all().ofMaxLength(80),
        Arbitraries.strings().withChars("abc€{}[]~\\^|æøå😀ê ").ofMinLength(1).ofMaxLength(1700),
        Arbitraries.of("", " ", "\n", "\u0000", "\ud83d", "Hej 😀", "x".repeat(1531)));
  }

  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.of(
            "{}",
            "[]",
            "null",
            "{\"contactId\": null, \"text\": \"x\"}",
            "{\"contactId\": \"not-a-uuid\", \"text\": \"x\"}",
            "{\"contactId\": \"00000000-0000-0000-0000-000000000000\", \"text\": \"x\"}",
            "{\"contactId\": 5, \"text\": [1]}",
            "{\"text\": \"no contact\"}"));
  }

  @Provide
  Arbitrary<String> keys() {
    // What an HTTP client can send as a header value: visible ASCII (Java's client refuses others).
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(300),
        Arbitraries.just("k".repeat(256)));
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of("sent", "SMS", "email", "no_credit", ""));
  }
}
