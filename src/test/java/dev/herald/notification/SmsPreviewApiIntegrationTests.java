package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.notification.SmsTextTestCompanies.TestCompany;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.support.WebSession;
import dev.herald.tenant.ApiKeys;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Users;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmsPreviewApiIntegrationTests {

  static final String DEMO_KEY = "hk_test_demo_key_0123456789abcdefghijklmnop";
  static final JsonMapper json = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired Companies companies;
  @Autowired ApiKeys apiKeys;
  @Autowired Users users;
  @Autowired SmsPreviews previews;

  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void gsm_text_of_160_characters_is_one_segment_and_161_are_two() throws Exception {
    JsonNode one = ok(preview(DEMO_KEY, body("a".repeat(160))));
    assertThat(one.get("encoding").asString()).isEqualTo("GSM_7");
    assertThat(one.get("characters").asInt()).isEqualTo(160);
    assertThat(one.get("units").asInt()).isEqualTo(160);
    assertThat(one.get("segments").asInt()).isEqualTo(1);
    assertThat(one.get("unicodeCharacters").isEmpty()).isTrue();
    assertThat(one.get("withinCap").asBoolean()).isTrue();
    assertThat(one.get("problem").isNull()).isTrue();

    JsonNode two = ok(preview(DEMO_KEY, body("a".repeat(161))));
    assertThat(two.get("segments").asInt()).isEqualTo(2);
    assertThat(two.get("units").asInt()).isEqualTo(161);
  }

  @Test
  void extension_characters_count_twice_in_the_encoded_length() throws Exception {
    JsonNode euro = ok(preview(DEMO_KEY, body("€".repeat(80) + "a")));
    assertThat(euro.get("encoding").asString()).isEqualTo("GSM_7");
    assertThat(euro.get("characters").asInt()).isEqualTo(81);
    assertThat(euro.get("units").asInt()).isEqualTo(161);
    assertThat(euro.get("segments").asInt()).isEqualTo(2);
  }

  @Test
  void an_accented_letter_or_an_emoji_makes_the_text_ucs2_and_is_named() throws Exception {
    JsonNode accent = ok(preview(DEMO_KEY, body("Rendez-vous prêt à 8h")));
    assertThat(accent.get("encoding").asString()).isEqualTo("UCS_2");
    assertThat(strings(accent.get("unicodeCharacters"))).containsExactly("ê");
    assertThat(accent.get("segments").asInt()).isEqualTo(1);
    assertThat(accent.get("smartEncodingHelps").asBoolean())
        .as("letters are never replaced")
        .isFalse();

    JsonNode emoji = ok(preview(DEMO_KEY, body("Tak 😀 " + "a".repeat(64))));
    assertThat(emoji.get("encoding").asString()).isEqualTo("UCS_2");
    assertThat(strings(emoji.get("unicodeCharacters"))).containsExactly("😀");
    assertThat(emoji.get("characters").asInt()).as("code points").isEqualTo(70);
    assertThat(emoji.get("units").asInt()).as("UTF-16 units").isEqualTo(71);
    assertThat(emoji.get("segments").asInt()).isEqualTo(2);
  }

  @Test
  void a_text_over_the_cap_is_counted_and_refused_with_a_clear_message() throws Exception {
    JsonNode atCap = ok(preview(DEMO_KEY, body("a".repeat(10 * 153))));
    assertThat(atCap.get("segments").asInt()).isEqualTo(10);
    assertThat(atCap.get("segmentCap").asInt()).isEqualTo(10);
    assertThat(atCap.get("withinCap").asBoolean()).isTrue();
    assertThat(atCap.get("problem").isNull()).isTrue();

    JsonNode over = ok(preview(DEMO_KEY, body("a".repeat(10 * 153 + 1))));
    assertThat(over.get("segments").asInt()).isEqualTo(11);
    assertThat(over.get("withinCap").asBoolean()).isFalse();
    assertThat(over.get("problem").asString())
        .isEqualTo(
            "This text needs 11 SMS, but your company allows at most 10 SMS per message."
                + " Shorten it, or raise the limit in Settings > SMS text.");
  }

  @Test
  void the_problem_is_in_the_requests_language() throws Exception {
    HttpResponse<String> french =
        http.send(
            request(DEMO_KEY, "/api/v1/sms/preview?lang=fr", body("a".repeat(10 * 153 + 1))),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok(french).get("problem").asString())
        .startsWith("Ce texte nécessite 11 SMS, mais votre entreprise en autorise au plus 10 SMS");
  }

  @Test
  void an_empty_text_is_counted_and_refused_with_a_clear_message() throws Exception {
    JsonNode empty = ok(preview(DEMO_KEY, body("")));
    assertThat(empty.get("segments").asInt()).isZero();
    assertThat(empty.get("characters").asInt()).isZero();
    assertThat(empty.get("problem").asString())
        .isEqualTo("The text is empty: there is nothing to send.");
  }

  @Test
  void smart_encoding_follows_the_company_setting_unless_the_request_says_otherwise()
      throws Exception {
    String curly = "“Hej” – vi ses…";
    JsonNode demoDefault = ok(preview(DEMO_KEY, body(curly)));
    assertThat(demoDefault.get("encoding").asString())
        .as("demo company: smart encoding off")
        .isEqualTo("UCS_2");
    assertThat(demoDefault.get("text").asString()).isEqualTo(curly);
    assertThat(demoDefault.get("smartEncodingHelps").asBoolean()).isTrue();
    assertThat(demoDefault.get("smartEncodingApplied").asBoolean()).isFalse();

    JsonNode demoAsked =
        ok(preview(DEMO_KEY, "{\"text\":" + quoted(curly) + ",\"smartEncoding\":true}"));
    assertThat(demoAsked.get("encoding").asString()).isEqualTo("GSM_7");
    assertThat(demoAsked.get("text").asString()).isEqualTo("\"Hej\" - vi ses...");
    assertThat(demoAsked.get("smartEncodingApplied").asBoolean()).isTrue();

    TestCompany smart = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    companies.updateSmsTextSettings(smart.company().id(), true, 3);
    JsonNode smartDefault = ok(preview(smart.apiKey(), body(curly)));
    assertThat(smartDefault.get("encoding").asString()).isEqualTo("GSM_7");
    assertThat(smartDefault.get("text").asString()).isEqualTo("\"Hej\" - vi ses...");
    assertThat(smartDefault.get("segmentCap").asInt()).isEqualTo(3);

    JsonNode smartRefused =
        ok(preview(smart.apiKey(), "{\"text\":" + quoted(curly) + ",\"smartEncoding\":false}"));
    assertThat(smartRefused.get("encoding").asString()).isEqualTo("UCS_2");
    assertThat(smartRefused.get("text").asString()).isEqualTo(curly);
  }

  @Test
  void the_cap_is_the_companys() throws Exception {
    TestCompany small = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    companies.updateSmsTextSettings(small.company().id(), false, 1);
    JsonNode over = ok(preview(small.apiKey(), body("a".repeat(161))));
    assertThat(over.get("segmentCap").asInt()).isEqualTo(1);
    assertThat(over.get("withinCap").asBoolean()).isFalse();
    assertThat(over.get("problem").asString()).contains("needs 2 SMS", "at most 1 SMS per message");
  }

  @Test
  void without_an_api_key_the_preview_is_refused() throws Exception {
    HttpResponse<String> refused = preview(null, body("Hello"));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(refused.body()).contains("A valid API key is required");
  }

  @Test
  void malformed_json_is_refused_with_400_and_says_so() throws Exception {
    HttpResponse<String> broken = preview(DEMO_KEY, "{\"text\": \"Hello\"");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(json.readTree(broken.body()).get("detail").asString())
        .isEqualTo("The request body is not valid JSON.");

    HttpResponse<String> wrongType =
        preview(DEMO_KEY, "{\"text\": \"Hello\", \"smartEncoding\": \"perhaps\"}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(json.readTree(wrongType.body()).get("errors").get(0).get("field").asString())
        .isEqualTo("smartEncoding");

    HttpResponse<String> noBody = preview(DEMO_KEY, "");
    assertThat(noBody.statusCode()).isEqualTo(400);
    assertThat(noBody.body())
        .contains("The request body is missing or is not the JSON this endpoint takes.");
  }

  @Test
  void a_missing_or_null_text_is_refused_with_422_at_the_field() throws Exception {
    for (String request : List.of("{}", "{\"text\": null}", "{\"smartEncoding\": true}")) {
      HttpResponse<String> refused = preview(DEMO_KEY, request);
      assertThat(refused.statusCode()).as(request).isEqualTo(422);
      JsonNode error = json.readTree(refused.body()).get("errors").get(0);
      assertThat(error.get("field").asString()).isEqualTo("text");
      assertThat(error.get("message").asString()).isEqualTo("Enter the text of the SMS.");
    }
  }

  @Test
  void the_openapi_description_documents_the_preview() throws Exception {
    WebSession browser = new WebSession();
    browser.logIn("http://localhost:" + port, "owner@demo.herald.test", "demo-password-for-tests");
    HttpResponse<String> docs =
        browser.get("http://localhost:" + port + "/v3/api-docs", "application/json");
    assertThat(docs.statusCode()).isEqualTo(200);
    JsonNode operation =
        json.readTree(docs.body()).get("paths").get("/api/v1/sms/preview").get("post");
    assertThat(operation.get("summary").asString()).startsWith("Count an SMS text");
    assertThat(operation.get("responses").propertyNames()).contains("200", "400", "401", "422");
  }

  @Test
  void composers_get_a_text_over_the_cap_refused_at_their_own_field() {
    TestCompany company = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    companies.updateSmsTextSettings(company.company().id(), true, 2);
    TenantId tenant = company.company().id();

    SmsPreview fits = previews.requireSendable(tenant, "body", "“Hej” " + "a".repeat(300));
    assertThat(fits.segments()).as("smart encoding makes it GSM-7: 306 septets").isEqualTo(2);
    assertThat(fits.text()).startsWith("\"Hej\" ");

    assertThatThrownBy(() -> previews.requireSendable(tenant, "body", "a".repeat(307)))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(FieldProblem.of("body", "sms.text.overCap", 3, 2)));
    assertThatThrownBy(() -> previews.requireSendable(tenant, "body", "  "))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(FieldProblem.of("body", "sms.text.empty")));
    assertThatThrownBy(() -> previews.requireSendable(tenant, "body", null))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(FieldProblem.of("body", "sms.text.required")));
  }

  @Test
  void a_cap_outside_1_to_20_is_refused_and_not_stored() {
    TestCompany company = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    for (int cap : new int[] {0, 21}) {
      assertThatThrownBy(() -> companies.updateSmsTextSettings(company.company().id(), true, cap))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e ->
                  assertThat(e.problems())
                      .containsExactly(
                          FieldProblem.of("segmentCap", "sms.settings.cap.range", 1, 20)));
    }
    assertThat(companies.find(company.company().id()).orElseThrow().smsSegmentCap()).isEqualTo(10);
    assertThat(companies.updateSmsTextSettings(company.company().id(), false, 20).smsSegmentCap())
        .isEqualTo(20);
  }

  private HttpResponse<String> preview(String key, String body) throws Exception {
    return http.send(
        request(key, "/api/v1/sms/preview", body), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String key, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request.build();
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static String body(String text) {
    return "{\"text\":" + quoted(text) + "}";
  }

  private static String quoted(String text) {
    return json.writeValueAsString(text);
  }

  private static List<String> strings(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }
}
