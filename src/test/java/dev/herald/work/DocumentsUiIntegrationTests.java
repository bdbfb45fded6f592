package dev.herald.work;

import static dev.herald.work.DocumentFixtures.aContact;
import static dev.herald.work.DocumentFixtures.aDocument;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.contact.OptOuts;
import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import dev.herald.tenant.Role;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The documents pages without JavaScript: the form with all its errors at once, the send window
 * (D1) with its boxes and reasons, and Settings &gt; Templates (F1) refusing an unknown merge
 * field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DocumentsUiIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired OptOuts optOuts;
  @Autowired JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession owner(TestCompany company) throws Exception {
    WebSession web = new WebSession();
    web.logIn(base(), company.ownerEmail(), TestCompanies.PASSWORD);
    return web;
  }

  @Test
  void the_form_shows_every_problem_at_once_keeps_what_was_typed_and_saves_a_good_draft()
      throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, "Karen Kunde", "da", "karen@example.dk", null, false);
    WebSession web = owner(company);

    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("kind", "invoice");
    bad.put("contactId", "");
    bad.put("issueDate", "2026-11-30");
    bad.put("dueDate", "2026-11-01");
    bad.put("lines[0].description", "Hækklipning");
    bad.put("lines[0].quantity", "abc");
    bad.put("lines[0].unitPrice", "450");
    bad.put("lines[0].taxRate", "25");
    HttpResponse<String> refused =
        web.submit(base() + "/documents/new?kind=invoice", base() + "/documents", bad);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("Choose the customer.")
        .contains("This date cannot be before the issue date.")
        .contains("Enter a quantity above 0")
        .contains("value=\"abc\"")
        .contains("value=\"H&aelig;kklipning\"");

    Map<String, String> good = new LinkedHashMap<>(bad);
    good.put("contactId", contact);
    good.put("dueDate", "");
    good.put("lines[0].quantity", "2");
    good.put("lines[1].description", "");
    good.put("lines[1].taxRate", "25"); // a spare row with only the pre-filled rate is no line
    HttpResponse<String> saved =
        web.submit(base() + "/documents/new?kind=invoice", base() + "/documents", good);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
    String page = web.get(location(saved)).body();
    assertThat(page)
        .contains("INV-00001")
        .contains("Hækklipning")
        .contains("1,125.00") // 2 x 450 + 25 % tax, written for the English page
        .contains("14 Dec 2026"); // due after the default 14 days of terms
    assertThat(web.get(base() + "/documents").body()).contains("INV-00001").contains("Karen Kunde");
  }

  @Test
  void the_send_window_ticks_boxes_from_preferences_and_disables_what_cannot_apply_with_why()
      throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    WebSession web = owner(company);

    // E-mail wanted, SMS not wanted but possible: e-mail ticked, SMS free to tick.
    String both = aContact(api, "Both Ways", "en", "both@example.dk", "+4520123501", false);
    String window =
        web.get(
                base()
                    + "/documents/"
                    + aDocument(api, "quote", both, "Design", "2026-12-30")
                    + "/send")
            .body();
    assertThat(checkbox(window, "send-email")).contains("checked").doesNotContain("disabled");
    assertThat(checkbox(window, "send-sms")).doesNotContain("checked").doesNotContain("disabled");
    assertThat(window)
        .contains("E-mail to both@example.dk")
        .contains("SMS to +45 20 12 35 01")
        .contains("Hello Both Ways, " + company.name() + " has sent you quote Q-00001")
        .contains("{link}");

    // No mobile: SMS disabled with the reason; opted out: the same with its reason.
    String noMobile = aContact(api, "Mail Only", "en", "mail@example.dk", null, false);
    String w2 =
        web.get(
                base()
                    + "/documents/"
                    + aDocument(api, "invoice", noMobile, "Work", "2026-12-30")
                    + "/send")
            .body();
    assertThat(checkbox(w2, "send-sms")).contains("disabled");
    assertThat(w2).contains("Not possible: the contact has no mobile number.");
    String stopped = aContact(api, "Stop Per", "en", null, "+4520123502", true);
    optOuts.optOut(company.id(), "+4520123502", "sms");
    String w3 =
        web.get(
                base()
                    + "/documents/"
                    + aDocument(api, "invoice", stopped, "Work", "2026-12-30")
                    + "/send")
            .body();
    assertThat(checkbox(w3, "send-sms")).contains("disabled");
    assertThat(checkbox(w3, "send-email")).contains("disabled");
    assertThat(w3)
        .contains("Not possible: the number has opted out of SMS")
        .contains("Not possible: the contact has no e-mail address.");

    // SMS locked for the company.
    TestCompany locked = companies.aDanishCompany(false, false);
    Api lockedApi = new Api(port, locked.apiKey());
    String c = aContact(lockedApi, "Locked Out", "en", "l@example.dk", "+4520123503", true);
    String w4 =
        owner(locked)
            .get(
                base()
                    + "/documents/"
                    + aDocument(lockedApi, "invoice", c, "Work", "2026-12-30")
                    + "/send")
            .body();
    assertThat(checkbox(w4, "send-sms")).contains("disabled");
    assertThat(w4).contains("Not possible: SMS is not unlocked for your company.");
  }

  @Test
  void sending_refuses_every_problem_at_once_then_queues_the_edited_texts() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, "Jens Jensen", "da", "jens@example.dk", "+4520123504", true);
    String doc = aDocument(api, "invoice", contact, "Snerydning", "2026-12-30");
    WebSession web = owner(company);
    String windowUrl = base() + "/documents/" + doc + "/send";

    HttpResponse<String> refused =
        web.submit(
            windowUrl,
            windowUrl,
            Map.of(
                "sms", "true",
                "smsText", "Hej {kunde}, se {link}",
                "email", "true",
                "emailSubject", "",
                "emailBody", "Se {link}"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("There is no merge field {kunde}.")
        .contains("Write a text.")
        .contains("Hej {kunde}, se {link}");
    assertThat(queued(company)).isZero();

    HttpResponse<String> sent =
        web.submit(
            windowUrl,
            windowUrl,
            Map.of(
                "sms", "true",
                "smsText", "Hej {customer}! Din faktura: {link}",
                "email", "true",
                "emailSubject", "Faktura {number}",
                "emailBody", "Se den her: {link}"));
    assertThat(sent.statusCode()).isEqualTo(302);
    String page = web.get(location(sent)).body();
    assertThat(page).contains("Sent by e-mail and by SMS (1 SMS).").contains("status-sent");
    List<String> bodies =
        jdbc.sql(
                "SELECT coalesce(subject, '') || '|' || body FROM outbound_message WHERE tenant_id = ? ORDER BY channel")
            .param(company.id().value())
            .query(String.class)
            .list();
    assertThat(bodies).hasSize(2);
    assertThat(bodies.get(0))
        .matches("Faktura INV-00001\\|Se den her: http://localhost:\\d+/p/[A-Za-z0-9_-]{22}");
    assertThat(bodies.get(1))
        .matches("\\|Hej Jens Jensen! Din faktura: http://localhost:\\d+/p/[A-Za-z0-9_-]{22}");
  }

  @Test
  void templates_refuse_an_unknown_merge_field_by_name_and_the_contacts_language_picks_one()
      throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    WebSession web = owner(company);
    String url = base() + "/settings/templates/invoice_sent/fr";
    assertThat(web.get(url).body()).contains("{dueDate}").contains("sms-counter");

    HttpResponse<String> refused =
        web.submit(
            url,
            url,
            Map.of(
                "smsText", "Facture {numero} : {link}",
                "emailSubject", "Facture {number}",
                "emailBody", "Voir {lien}"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("There is no merge field {numero}.")
        .contains("There is no merge field {lien}.");

    HttpResponse<String> saved =
        web.submit(
            url,
            url,
            Map.of(
                "smsText", "Facture {number} de {company} : {link}",
                "emailSubject", "Votre facture {number}",
                "emailBody", "Bonjour {customer}, voir {link}"));
    assertThat(saved.statusCode()).isEqualTo(302);
    assertThat(web.get(base() + "/settings/templates?language=fr").body()).contains("Changed");

    String french = aContact(api, "Chloé", "fr", null, "+4520123505", true);
    String danish = aContact(api, "Dorte", "da", null, "+4520123506", true);
    String frSms =
        smsOf(
            company,
            DocumentFixtures.send(api, aDocument(api, "invoice", french, "Taille", "2026-12-30")));
    String daSms =
        smsOf(
            company,
            DocumentFixtures.send(api, aDocument(api, "invoice", danish, "Klip", "2026-12-30")));
    assertThat(frSms).startsWith("Facture INV-00001 de " + company.name() + " : http://");
    assertThat(daSms)
        .startsWith("Hej Dorte, " + company.name() + " har sendt dig faktura INV-00002");

    // Staff do not edit templates.
    WebSession staff = new WebSession();
    staff.logIn(base(), companies.aUser(company, Role.STAFF), TestCompanies.PASSWORD);
    assertThat(staff.get(url).statusCode()).isEqualTo(403);
  }

  String smsOf(TestCompany company, Api.Response sent) {
    return jdbc.sql("SELECT body FROM outbound_message WHERE tenant_id = ? AND id = ?::uuid")
        .params(company.id().value(), sent.body().get("smsMessageId").asString())
        .query(String.class)
        .single();
  }

  String location(HttpResponse<String> redirect) {
    String location = redirect.headers().firstValue("Location").orElseThrow();
    return location.startsWith("http") ? location : base() + location;
  }

  long queued(TestCompany company) {
    return jdbc.sql("SELECT count(*) FROM outbound_message WHERE tenant_id = ?")
        .param(company.id().value())
        .query(Long.class)
        .single();
  }

  /** The input tag with that id. */
  static String checkbox(String html, String id) {
    int at = html.indexOf("id=\"" + id + "\"");
    assertThat(at).as("no #" + id).isPositive();
    int start = html.lastIndexOf("<input", at);
    return html.substring(start, html.indexOf('>', at) + 1);
  }
}
