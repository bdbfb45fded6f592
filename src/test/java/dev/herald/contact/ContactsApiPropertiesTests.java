package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldApplication;
import dev.herald.support.Api;
import dev.herald.support.Api.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Random input to the contact endpoints: a clear 4xx or a stored contact, never a 500. */
class ContactsApiPropertiesTests {

  private static final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private static ConfigurableApplicationContext herald;
  private static Api api;
  private static String existingId;

  @BeforeContainer
  static void startHerald() {
    herald =
        new SpringApplicationBuilder(HeraldApplication.class).properties("server.port=0").run();
    int port = Integer.parseInt(herald.getEnvironment().getProperty("local.server.port"));
    api = new Api(port, "hk_test_demo_key_0123456789abcdefghijklmnop");
    existingId =
        api.post(
                "/api/v1/contacts",
                "{\"name\": \"Property Target\", \"phones\": [{\"type\": \"MOBILE\", \"number\": \"+4520123499\"}]}")
            .body()
            .get("id")
            .asString();
  }

  @AfterContainer
  static void stopHerald() {
    herald.close();
  }

  @Property(tries = 300)
  void random_contacts_are_stored_or_refused_clearly(@ForAll("contacts") JsonNode body) {
    Response response = api.post("/api/v1/contacts", body.toString());
    assertThat(response.status()).as(body.toString()).isIn(201, 400, 422);
    if (response.status() == 201) {
      for (JsonNode phone : response.body().get("phones")) {
        assertThat(phone.get("number").asString()).matches("\\+[1-9][0-9]{6,14}");
      }
    } else {
      assertThat(response.body().get("detail").asString()).as(response.raw()).isNotBlank();
    }
  }

  @Property(tries = 200)
  void random_edits_never_cause_a_500(
      @ForAll("contacts") JsonNode body, @ForAll("versions") JsonNode version) {
    ((ObjectNode) body).set("version", version);
    Response response = api.put("/api/v1/contacts/" + existingId, body.toString());
    assertThat(response.status()).as(body.toString()).isIn(200, 400, 409, 422, 428);
  }

  @Property(tries = 200)
  void random_text_as_a_body_never_causes_a_500(@ForAll("junk") String body) {
    assertThat(api.post("/api/v1/contacts", body).status()).as(body).isIn(201, 400, 415, 422);
  }

  @Property(tries = 100)
  void random_queries_and_ids_never_cause_a_500(@ForAll("junk") String text) {
    String encoded = java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(api.get("/api/v1/contacts?query=" + encoded).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/contacts?page=" + encoded).status()).isIn(200, 400, 422);
    assertThat(api.get("/api/v1/contacts/" + encoded).status()).isIn(400, 404);
  }

  @Provide
  Arbitrary<JsonNode> contacts() {
    return Combinators.combine(
            anyValue(names()),
            anyValue(Arbitraries.of("en", "fr", "da", "de", "", "EN")),
            anyValue(Arbitraries.of("Europe/Copenhagen", "Europe/Paris", "Mars/Base", "", "UTC")),
            arrayOf(anyValue(emails())),
            arrayOf(phones()),
            preferences())
        .as((name, language, zone, emails, phones, preferences) -> {
          ObjectNode contact = nodes.objectNode();
          contact.set("name", name);
          contact.set("language", language);
          contact.set("timeZone", zone);
          contact.set("emails", emails);
          contact.set("phones", phones);
          contact.set("preferences", preferences);
          return contact;
        });
  }

  @Provide
  Arbitrary<JsonNode> versions() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-2, 3).map(nodes::numberNode),
        Arbitraries.just(nodes.nullNode()),
        Arbitraries.just(nodes.stringNode("x")),
        Arbitraries.just(nodes.numberNode(1e30)));
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.of(
            "",
            "{",
            "[]",
            "null",
            "{\"name\":",
            "\"text\"",
            "{\"phones\": [null]}",
            "{\"emails\": [1, true]}",
            "{\"name\": \"x\", \"preferences\": \"yes\"}",
            "{\"name\": \"\\u0000\"}"));
  }

  private static Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20),
        Arbitraries.strings().ofMinLength(190).ofMaxLength(260),
        Arbitraries.of("Søren Ærø", "Zoë 😀", "  ", "\u0000", "Robert'); DROP TABLE contact;--"));
  }

  private static Arbitrary<String> emails() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(10)
            .map(s -> s + "@example.dk"),
        Arbitraries.of("a@b", "@x.dk", "a b@c.dk", "a@b.c", "x@" + "y".repeat(300) + ".dk"));
  }

  private static Arbitrary<JsonNode> phones() {
    Arbitrary<String> numbers =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(25),
            Arbitraries.strings().withChars("0123456789 +-()").ofMaxLength(20),
            Arbitraries.strings().numeric().ofLength(8),
            Arbitraries.of(
                "+4520123456",
                "20 12 34 56",
                "+33 1 42 68 53 00",
                "+33 6 12 34 56 78",
                "+44 20 7946 0000",
                "+1 650 253 0000",
                "0",
                "+",
                "+999999999999999999",
                "٢٠١٢٣٤٥٦"));
    Arbitrary<String> types =
        Arbitraries.of("MOBILE", "HOME", "WORK", "OTHER", "mobile", "FAX", "");
    Arbitrary<JsonNode> phone =
        Combinators.combine(anyValue(types), anyValue(numbers))
            .as((type, number) -> {
              ObjectNode node = nodes.objectNode();
              node.set("type", type);
              node.set("number", number);
              return node;
            });
    return Arbitraries.oneOf(
        phone,
        Arbitraries.just(nodes.nullNode()),
        Arbitraries.just(nodes.stringNode("+4520123456")));
  }

  private static Arbitrary<JsonNode> preferences() {
    Arbitrary<JsonNode> flag =
        Arbitraries.of(
            nodes.booleanNode(true),
            nodes.booleanNode(false),
            nodes.nullNode(),
            nodes.stringNode("yes"),
            nodes.numberNode(1));
    return Arbitraries.oneOf(
        Combinators.combine(flag, flag, flag)
            .as((email, sms, reminders) -> {
              ObjectNode node = nodes.objectNode();
              node.set("email", email);
              node.set("sms", sms);
              node.set("reminders", reminders);
              return (JsonNode) node;
            }),
        Arbitraries.just(nodes.nullNode()));
  }

  /** A value of the expected type most of the time, and sometimes another JSON type. */
  private static Arbitrary<JsonNode> anyValue(Arbitrary<String> strings) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, strings.map(nodes::stringNode)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(nodes.nullNode())),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().map(nodes::numberNode)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(nodes.booleanNode(true))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(nodes.objectNode())));
  }

  private static Arbitrary<JsonNode> arrayOf(Arbitrary<JsonNode> items) {
    return Arbitraries.oneOf(
        items
            .list()
            .ofMaxSize(7)
            .map(list -> {
              ArrayNode array = nodes.arrayNode();
              list.forEach(array::add);
              return (JsonNode) array;
            }),
        Arbitraries.just(nodes.nullNode()),
        Arbitraries.just(nodes.stringNode("not a list")));
  }
}
