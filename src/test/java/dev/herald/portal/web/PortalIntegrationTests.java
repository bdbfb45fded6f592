package dev.herald.portal.web;

import static dev.herald.work.DocumentFixtures.aContact;
import static dev.herald.work.DocumentFixtures.aDocument;
import static dev.herald.work.DocumentFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The customer portal (E1, E2): what a token opens, what it refuses (alike), answering a quote, the
 * contact's own preferences, and escaping of everything the company typed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PortalIntegrationTests {

  static final Pattern LINK = Pattern.compile("http://localhost:\\d+(/p/[A-Za-z0-9_-]{22})");

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;
  @Autowired PortalThrottle throttle;

  @BeforeEach
  void freshThrottle() {
    throttle.forgetAll();
  }

  String base() {
    return "http://localhost:" + port;
  }

  /** The portal path the SMS (or else the e-mail) of a sending carries. */
  String portalPath(TestCompany company, Api.Response sent) {
    String id =
        sent.body().get("smsMessageId").isNull()
            ? sent.body().get("emailMessageId").asString()
            : sent.body().get("smsMessageId").asString();
    String body =
        jdbc.sql("SELECT body FROM outbound_message WHERE tenant_id = ? AND id = ?::uuid")
            .params(company.id().value(), id)
            .query(String.class)
            .single();
    Matcher m = LINK.matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
  }

  HttpResponse<String> follow(WebSession web, HttpResponse<String> response) throws Exception {
    String location = response.headers().firstValue("Location").orElseThrow();
    return web.get(location.startsWith("http") ? location : base() + location);
  }

  @Test
  void a_tampered_an_expired_and_another_contacts_token_get_the_same_page() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String anna = aContact(api, "Anna", "en", "anna@example.dk", null, false);
    String bent = aContact(api, "Bent", "en", "bent@example.dk", null, false);
    String annasInvoice = aDocument(api, "invoice", anna, "Work", "2026-12-30");
    String bentsInvoice = aDocument(api, "invoice", bent, "Work", "2026-12-30");
    String annasPath = portalPath(company, send(api, annasInvoice));
    send(api, bentsInvoice);
    WebSession web = new WebSession();

    HttpResponse<String> opened = web.get(base() + annasPath);
    assertThat(opened.statusCode()).isEqualTo(302);
    assertThat(follow(web, opened).body()).contains("INV-00001").contains("Anna");

    String tampered =
        annasPath.substring(0, annasPath.length() - 1) + (annasPath.endsWith("A") ? "B" : "A");
    HttpResponse<String> wrong = web.get(base() + tampered);
    HttpResponse<String> foreign = web.get(base() + annasPath + "/d/" + bentsInvoice);
    HttpResponse<String> malformed = web.get(base() + "/p/short");
    jdbc.sql("UPDATE portal_token SET expires_at = now() - interval '1 minute' WHERE tenant_id = ?")
        .param(company.id().value())
        .update();
    HttpResponse<String> expired = web.get(base() + annasPath);

    for (HttpResponse<String> refused : java.util.List.of(wrong, foreign, malformed, expired)) {
      assertThat(refused.statusCode()).isEqualTo(404);
      assertThat(refused.body()).isEqualTo(wrong.body());
    }
    assertThat(wrong.body())
        .contains("This link does not open anything")
        .doesNotContain(company.name())
        .doesNotContain("Anna")
        .doesNotContain("Bent");
  }

  @Test
  void repeated_wrong_tokens_from_one_address_are_slowed_down() throws Exception {
    WebSession web = new WebSession();
    for (int i = 0; i < PortalThrottle.MAX_FAILURES; i++) {
      assertThat(web.get(base() + "/p/" + "x".repeat(21) + (char) ('a' + i)).statusCode())
          .isEqualTo(404);
    }
    HttpResponse<String> slowed = web.get(base() + "/p/" + "y".repeat(22));
    assertThat(slowed.statusCode()).isEqualTo(429);
    assertThat(slowed.headers().firstValue("Retry-After")).isPresent();
    assertThat(slowed.body()).contains("Too many tries");
    throttle.forgetAll();
  }

  @Test
  void the_customer_approves_a_quote_with_a_comment_and_the_company_is_told() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, "Carla", "da", "carla@example.dk", null, false);
    String quote = aDocument(api, "quote", contact, "Ny terrasse", "2026-12-30");
    String path = portalPath(company, send(api, quote));
    WebSession web = new WebSession();

    String page = follow(web, web.get(base() + path)).body();
    assertThat(page).contains("Godkender du tilbud Q-00001").contains("Ny terrasse");
    assertThat(api.get("/api/v1/documents/" + quote).body().get("status").asString())
        .isEqualTo("viewed");

    String docUrl = base() + path + "/d/" + quote;
    HttpResponse<String> answered =
        web.submit(
            docUrl, docUrl + "/answer", Map.of("decision", "approve", "comment", "Gerne i uge 3"));
    assertThat(answered.statusCode()).isEqualTo(302);
    assertThat(follow(web, answered).body())
        .contains("Tak: " + company.name() + " har fået din godkendelse.")
        .contains("Du har godkendt tilbuddet.");
    var doc = api.get("/api/v1/documents/" + quote).body();
    assertThat(doc.get("status").asString()).isEqualTo("approved");
    assertThat(doc.get("answerComment").asString()).isEqualTo("Gerne i uge 3");

    // The owner gets an e-mail; answering twice changes nothing and mails no more.
    HttpResponse<String> again =
        // (a form of the session: the answered quote's page has none any more)
        web.submit(
            base() + path + "/preferences",
            docUrl + "/answer",
            Map.of("decision", "decline", "comment", ""));
    assertThat(follow(web, again).body()).contains("Tilbuddet er allerede besvaret.");
    assertThat(
            jdbc.sql(
                    "SELECT subject FROM outbound_message WHERE tenant_id = ? AND kind = 'alert' AND recipient = ?")
                .params(company.id().value(), company.ownerEmail())
                .query(String.class)
                .list())
        .containsExactly("Tilbud Q-00001 godkendt af Carla");
    assertThat(api.get("/api/v1/documents/" + quote).body().get("status").asString())
        .isEqualTo("approved");
    // ... and an in-app notice, once, that the owner sees with the bell.
    assertThat(
            jdbc.sql("SELECT key, args FROM notice WHERE tenant_id = ?")
                .params(company.id().value())
                .query((rs, n) ->
                    rs.getString(1)
                        + " "
                        + java.util.Arrays.toString((String[]) rs.getArray(2).getArray()))
                .list())
        .containsExactly("portal.notice.approved [Q-00001, Carla]");
    WebSession owner = new WebSession();
    owner.logIn(base(), company.ownerEmail(), TestCompanies.PASSWORD);
    assertThat(owner.get(base() + "/notices").body())
        .contains("Q-00001", "Carla", "class=\"count\">1<");
  }

  @Test
  void turning_sms_off_in_the_portal_opts_the_number_out_with_the_source_portal() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, "Dagny", "en", "dagny@example.dk", "+4520123511", true);
    String path =
        portalPath(company, send(api, aDocument(api, "invoice", contact, "Work", "2026-12-30")));
    WebSession web = new WebSession();
    String prefs = base() + path + "/preferences";
    assertThat(web.get(prefs).body()).contains("SMS to +45 20 12 35 11");

    HttpResponse<String> saved =
        web.submit(prefs, prefs, Map.of("email", "true", "reminders", "true"));
    assertThat(saved.statusCode()).isEqualTo(302);
    assertThat(follow(web, saved).body()).contains("Saved.");
    assertThat(
            jdbc.sql(
                    "SELECT action || ':' || source FROM consent_log WHERE tenant_id = ? AND number = '+4520123511'")
                .param(company.id().value())
                .query(String.class)
                .list())
        .containsExactly("OPT_OUT:portal");
    assertThat(
            jdbc.sql("SELECT sms_enabled FROM contact WHERE tenant_id = ? AND id = ?::uuid")
                .params(company.id().value(), contact)
                .query(Boolean.class)
                .single())
        .isFalse();
    // The next sending cannot use SMS any more, and says why.
    var window =
        api.postWithKey(
            "/api/v1/documents/"
                + aDocument(api, "invoice", contact, "More", "2026-12-30")
                + "/send",
            UUID.randomUUID().toString(),
            "{\"sms\": true}");
    assertThat(window.status()).isEqualTo(422);
    assertThat(window.raw()).contains("opted out");
  }

  @Test
  void names_and_lines_with_html_are_escaped_on_every_portal_page() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact =
        aContact(api, "<script>alert('n')</script>", "en", "x@example.dk", null, false);
    String doc = aDocument(api, "quote", contact, "<img src=x onerror=alert(1)>", "2026-12-30");
    String path = portalPath(company, send(api, doc));
    WebSession web = new WebSession();
    for (String url :
        java.util.List.of(path + "/d/" + doc, path + "/documents", path + "/preferences")) {
      String page = web.get(base() + url).body();
      assertThat(page).as(url).doesNotContain("<script>alert").doesNotContain("<img src=x");
    }
    String docPage = web.get(base() + path + "/d/" + doc).body();
    assertThat(docPage).contains("&lt;img src=x onerror=alert(1)&gt;").contains("&lt;script&gt;");
  }
}
