package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.contact.OptOuts;
import dev.herald.support.Api;
import dev.herald.support.Api.Response;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** C3 and G1 through the API: preferences choose the channels, and every send is idempotent. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SendingMessagesIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired OptOuts optOuts;
  @Autowired JdbcClient jdbc;

  static String contactJson(
      String name, boolean email, boolean sms, String emailAddress, String mobile) {
    String emails = emailAddress == null ? "[]" : "[\"" + emailAddress + "\"]";
    String phones =
        mobile == null ? "[]" : "[{\"type\": \"MOBILE\", \"number\": \"" + mobile + "\"}]";
    return """
    {"name": "%s", "emails": %s, "phones": %s, "preferences": {"email": %s, "sms": %s}}
    """
        .formatted(name, emails, phones, email, sms);
  }

  String aContact(Api api, String json) {
    Response created = api.post("/api/v1/contacts", json);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    return created.body().get("id").asString();
  }

  static String message(String contactId, String text) {
    return "{\"contactId\": \"" + contactId + "\", \"text\": \"" + text + "\"}";
  }

  long queued(TestCompany company) {
    return jdbc.sql("SELECT count(*) FROM outbound_message WHERE tenant_id = ?")
        .param(company.id().value())
        .query(Long.class)
        .single();
  }

  static List<String> channels(Response response) {
    List<String> channels = new ArrayList<>();
    response.body().get("messages").forEach(m -> channels.add(m.get("channel").asString()));
    return channels;
  }

  static List<String> skipped(Response response) {
    List<String> reasons = new ArrayList<>();
    response
        .body()
        .get("skipped")
        .forEach(s -> reasons.add(s.get("channel").asString() + ":" + s.get("reason").asString()));
    return reasons;
  }

  @Test
  void both_boxes_send_an_sms_and_an_email_that_go_out() {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String contact =
        aContact(api, contactJson("Both", true, true, "both@example.dk", "+4520123461"));

    Response sent =
        api.postWithKey("/api/v1/messages", "k1", message(contact, "Hej! Din faktura er klar 😀"));
    assertThat(sent.status()).as(sent.raw()).isEqualTo(201);
    assertThat(channels(sent)).containsExactlyInAnyOrder("sms", "email");
    assertThat(skipped(sent)).isEmpty();

    for (JsonNode m : sent.body().get("messages")) {
      String id = m.get("id").asString();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() ->
              assertThat(api.get("/api/v1/messages/" + id).body().get("status").asString())
                  .isEqualTo("sent"));
      Response view = api.get("/api/v1/messages/" + id);
      assertThat(view.body().get("attempts").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(view.body().get("recipient").asString())
          .doesNotContain("20123461")
          .doesNotContain("both@example.dk");
    }
    Response sms = api.get("/api/v1/messages?channel=sms&contactId=" + contact);
    assertThat(sms.body().get("total").asInt()).isEqualTo(1);
    assertThat(sms.body().at("/items/0/encoding").asString()).isEqualTo("UCS_2");
  }

  @Test
  void one_box_one_channel_and_no_box_nothing_with_reasons() {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String emailOnly =
        aContact(api, contactJson("Email Only", true, false, "e@example.dk", "+4520123462"));
    String smsOnly =
        aContact(api, contactJson("Sms Only", false, true, "s@example.dk", "+4520123463"));
    String none =
        aContact(api, contactJson("Nothing", false, false, "n@example.dk", "+4520123464"));

    Response a = api.postWithKey("/api/v1/messages", "a", message(emailOnly, "Hello"));
    assertThat(channels(a)).containsExactly("email");
    assertThat(skipped(a)).containsExactly("sms:preference_off");

    Response b = api.postWithKey("/api/v1/messages", "b", message(smsOnly, "Hello"));
    assertThat(channels(b)).containsExactly("sms");
    assertThat(skipped(b)).containsExactly("email:preference_off");

    Response c = api.postWithKey("/api/v1/messages", "c", message(none, "Hello"));
    assertThat(c.status()).isEqualTo(200);
    assertThat(channels(c)).isEmpty();
    assertThat(skipped(c)).containsExactlyInAnyOrder("email:preference_off", "sms:preference_off");
    assertThat(c.body().at("/skipped/0/message").asString()).isNotBlank();
    assertThat(queued(company)).isEqualTo(2);
  }

  @Test
  void every_skip_reason_is_named() {
    TestCompany locked = companies.aDanishCompany(false, false);
    Api lockedApi = new Api(port, locked.apiKey());
    String inLocked =
        aContact(lockedApi, contactJson("Locked", true, true, "l@example.dk", "+4520123465"));
    assertThat(skipped(lockedApi.postWithKey("/api/v1/messages", "l", message(inLocked, "Hi"))))
        .containsExactly("sms:sms_locked");

    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String noEmail = aContact(api, contactJson("No Email", true, true, null, "+4520123466"));
    assertThat(skipped(api.postWithKey("/api/v1/messages", "e", message(noEmail, "Hi"))))
        .containsExactly("email:no_email_address");

    String homeOnly =
        aContact(
            api,
            """
            {"name": "Home Only", "phones": [{"type": "HOME", "number": "+4533123456"}], "preferences": {"email": false}}
            """);
    // The API refuses SMS without a mobile number; rows from before that rule (or edited in the
    // database) may have it.
    jdbc.sql("UPDATE contact SET sms_enabled = true WHERE tenant_id = ? AND id = ?::uuid")
        .params(company.id().value(), homeOnly)
        .update();
    assertThat(skipped(api.postWithKey("/api/v1/messages", "h", message(homeOnly, "Hi"))))
        .containsExactlyInAnyOrder("email:preference_off", "sms:no_mobile_number");

    String optedOut = aContact(api, contactJson("Opted Out", false, true, null, "+4520123467"));
    optOuts.optOut(company.id(), "+4520123467", "sms:STOP");
    Response o = api.postWithKey("/api/v1/messages", "o", message(optedOut, "Hi"));
    assertThat(skipped(o)).containsExactlyInAnyOrder("email:preference_off", "sms:opted_out");
    assertThat(channels(o)).isEmpty();
  }

  @Test
  void a_text_over_the_segment_cap_is_refused_and_nothing_is_queued() {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String contact =
        aContact(api, contactJson("Capped", true, true, "c@example.dk", "+4520123468"));

    Response refused =
        api.postWithKey("/api/v1/messages", "cap", message(contact, "x".repeat(153 * 10 + 1)));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().at("/errors/0/field").asString()).isEqualTo("text");
    Response empty = api.postWithKey("/api/v1/messages", "empty", message(contact, " "));
    assertThat(empty.status()).isEqualTo(422);
    assertThat(queued(company)).isZero();
  }

  @Test
  void the_same_key_answers_the_first_answer_once_also_when_both_arrive_at_once() {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, contactJson("Idem", true, true, "i@example.dk", "+4520123469"));
    String body = message(contact, "Only once");

    Response first = api.postWithKey("/api/v1/messages", "same", body);
    Response again = api.postWithKey("/api/v1/messages", "same", body);
    assertThat(again.status()).isEqualTo(first.status());
    assertThat(again.raw()).isEqualTo(first.raw());
    assertThat(queued(company)).isEqualTo(2);

    Response otherBody =
        api.postWithKey("/api/v1/messages", "same", message(contact, "Something else"));
    assertThat(otherBody.status()).isEqualTo(422);
    assertThat(queued(company)).isEqualTo(2);

    List<CompletableFuture<Response>> race = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      race.add(
          CompletableFuture.supplyAsync(
              () -> api.postWithKey("/api/v1/messages", "raced", message(contact, "Raced"))));
    }
    List<Response> answers = race.stream().map(CompletableFuture::join).toList();
    assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
    assertThat(answers.stream().map(Response::raw).distinct()).hasSize(1);
    assertThat(queued(company)).isEqualTo(4);
  }

  @Test
  void a_send_without_idempotency_key_or_to_a_foreign_contact_is_refused() {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, contactJson("Mine", true, true, "m@example.dk", "+4520123470"));

    Response noKey = api.post("/api/v1/messages", message(contact, "Hi"));
    assertThat(noKey.status()).isEqualTo(422);
    assertThat(noKey.body().at("/errors/0/field").asString()).isEqualTo("Idempotency-Key");

    Api other = new Api(port, companies.aDanishCompany(true, false).apiKey());
    assertThat(other.postWithKey("/api/v1/messages", "x", message(contact, "Hi")).status())
        .isEqualTo(404);
    String id =
        api.postWithKey("/api/v1/messages", "y", message(contact, "Hi"))
            .body()
            .at("/messages/0/id")
            .asString();
    assertThat(other.get("/api/v1/messages/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/messages").body().get("total").asInt()).isZero();
    assertThat(api.get("/api/v1/messages?status=bogus").status()).isEqualTo(422);
  }
}
