package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A message to several contacts (a mass message): the preview says what it will use before anything
 * moves (SMS, credit left, e-mails instead), the send queues it once, and mistakes are shown on the
 * form with what was typed kept.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BulkMessagesIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired JdbcClient jdbc;

  private String base() {
    return "http://localhost:" + port;
  }

  @Test
  void the_preview_tells_what_credit_covers_and_the_send_queues_once() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    accounts.choose(company.id(), "packs", "DKK");
    credits.grant(company.id(), 3, "bulk-test-" + UUID.randomUUID(), "test");
    Api api = new Api(port, company.apiKey());
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      // SMS only ticked; all but the last have an e-mail address (for the fallback)
      String emails = i == 5 ? "[]" : "[\"c" + i + "@example.dk\"]";
      ids.add(
          api.post(
                  "/api/v1/contacts",
                  """
                  {"name": "Kunde %d", "emails": %s, "phones": [{"type": "MOBILE", "number": "+452012%04d"}],
                   "preferences": {"email": false, "sms": true}}
                  """
                      .formatted(i, emails, i))
              .body()
              .get("id")
              .asString());
    }
    WebSession owner = new WebSession();
    owner.logIn(base(), company.ownerEmail(), TestCompanies.PASSWORD);
    String write = base() + "/messages/bulk?contact=" + String.join("&contact=", ids);
    assertThat(owner.get(write).body()).contains("To 5 contacts.");

    List<Map.Entry<String, String>> form = new ArrayList<>();
    ids.forEach(id -> form.add(Map.entry("contact", id)));
    form.add(Map.entry("text", "Vi kommer i morgen kl. 9"));
    HttpResponse<String> preview = owner.submitAll(write, base() + "/messages/bulk/preview", form);
    assertThat(preview.statusCode()).isEqualTo(200);
    assertThat(preview.body())
        .contains(
            "5 SMS, using 5 SMS credits",
            "You have 3 SMS credits; 0 are left after this message.",
            "Your credit covers 3 of these 5 SMS",
            "1 contact gets it by e-mail instead.",
            "1 SMS will not be sent for lack of credit.",
            "Send to 5 contacts");
    assertThat(credits.balance(company.id())).as("a preview moves nothing").isEqualTo(3);

    String batch = hidden(preview.body(), "batch");
    List<Map.Entry<String, String>> confirmed = new ArrayList<>(form);
    confirmed.add(Map.entry("batch", batch));
    HttpResponse<String> sent = owner.submitAll(write, base() + "/messages/bulk/send", confirmed);
    assertThat(sent.statusCode()).isEqualTo(302);
    assertThat(sent.headers().firstValue("Location").orElseThrow()).endsWith("/messages");
    assertThat(owner.get(base() + "/messages").body()).contains("6 messages queued.");

    // The same confirmed form again (a double click, a resent POST): nothing more.
    owner.submitAll(write, base() + "/messages/bulk/send", confirmed);
    assertThat(count(company, "channel = 'sms' AND status IN ('queued', 'sent')")).isEqualTo(3);
    assertThat(count(company, "status = 'no_credit'")).isEqualTo(2);
    assertThat(count(company, "channel = 'email' AND kind = 'bulk'"))
        .as("the fallback (the credit alerts to the owner are e-mails too)")
        .isEqualTo(1);
    assertThat(count(company, "kind = 'bulk'")).isEqualTo(6);
    assertThat(credits.balance(company.id())).isZero();
    assertThat(
            jdbc.sql("SELECT count(*) FROM credit_ledger WHERE tenant_id = :t AND kind = 'reserve'")
                .param("t", company.id().value())
                .query(Long.class)
                .single())
        .as("one reservation for the whole action")
        .isEqualTo(1);
  }

  @Test
  void a_bad_form_shows_all_its_problems_and_keeps_the_text() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    WebSession owner = new WebSession();
    owner.logIn(base(), company.ownerEmail(), TestCompanies.PASSWORD);
    HttpResponse<String> refused =
        owner.submitAll(
            base() + "/messages/bulk",
            base() + "/messages/bulk/preview",
            List.of(Map.entry("text", "   ")));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("Choose at least one contact on the Contacts page.")
        .contains("field-error");

    HttpResponse<String> foreign =
        owner.submitAll(
            base() + "/messages/bulk",
            base() + "/messages/bulk/send",
            List.of(
                Map.entry("contact", UUID.randomUUID().toString()),
                Map.entry("text", "Hej"),
                Map.entry("batch", UUID.randomUUID().toString())));
    assertThat(foreign.statusCode()).as("not a contact of this company").isEqualTo(422);
    assertThat(foreign.body()).contains("Choose at least one contact", "Hej");
  }

  private long count(TestCompany company, String condition) {
    return jdbc.sql(
            "SELECT count(*) FROM outbound_message WHERE tenant_id = :t AND (" + condition + ")")
        .param("t", company.id().value())
        .query(Long.class)
        .single();
  }

  private static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("hidden field " + name).isTrue();
    return m.group(1);
  }
}
