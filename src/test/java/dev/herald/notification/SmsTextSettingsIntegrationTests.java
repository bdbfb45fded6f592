package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.notification.SmsTextTestCompanies.TestCompany;
import dev.herald.support.WebSession;
import dev.herald.tenant.ApiKeys;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.Role;
import dev.herald.tenant.Users;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmsTextSettingsIntegrationTests {

  @LocalServerPort int port;
  @Autowired Companies companies;
  @Autowired ApiKeys apiKeys;
  @Autowired Users users;

  String base() {
    return "http://localhost:" + port;
  }

  @Test
  void owner_switches_smart_encoding_on_and_sets_the_cap() throws Exception {
    TestCompany test = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    WebSession owner = loggedIn(test.ownerEmail());

    HttpResponse<String> page = owner.get(base() + "/settings/sms-text");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("class=\"current\">SMS text</a>", "value=\"10\"");

    HttpResponse<String> saved = save(owner, Map.of("smartEncoding", "true", "segmentCap", " 4 "));
    assertThat(saved.statusCode()).isEqualTo(302);
    assertThat(saved.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/settings/sms-text"));

    Company stored = companies.find(test.company().id()).orElseThrow();
    assertThat(stored.smsSmartEncoding()).isTrue();
    assertThat(stored.smsSegmentCap()).isEqualTo(4);
    String after = owner.get(base() + "/settings/sms-text").body();
    assertThat(after).contains("The SMS text settings are saved.", "value=\"4\"");
    assertThat(after).containsPattern("id=\"smartEncoding\"[^>]*checked");

    // An unticked box is sent as the hidden marker only: smart encoding goes off again.
    save(owner, Map.of("_smartEncoding", "on", "segmentCap", "4"));
    assertThat(companies.find(test.company().id()).orElseThrow().smsSmartEncoding()).isFalse();
  }

  @Test
  void a_cap_out_of_range_shows_an_error_keeps_what_was_typed_and_stores_nothing()
      throws Exception {
    TestCompany test = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    WebSession owner = loggedIn(test.ownerEmail());
    owner.get(base() + "/settings/sms-text?lang=en");

    for (String cap : new String[] {"21", "0", "-3", "ten", ""}) {
      HttpResponse<String> refused =
          save(owner, Map.of("smartEncoding", "true", "segmentCap", cap));
      assertThat(refused.statusCode()).as(cap).isEqualTo(422);
      assertThat(refused.body())
          .as(cap)
          .contains("Please correct the fields marked below.", "Enter a whole number from 1 to 20.")
          .contains("value=\"" + cap + "\"")
          .containsPattern("id=\"smartEncoding\"[^>]*checked");
    }
    Company stored = companies.find(test.company().id()).orElseThrow();
    assertThat(stored.smsSegmentCap()).isEqualTo(10);
    assertThat(stored.smsSmartEncoding()).isFalse();
    assertThat(stored.version()).isEqualTo(test.company().version());
  }

  @Test
  void staff_can_neither_see_nor_change_the_sms_text_settings() throws Exception {
    TestCompany test = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    String staffEmail = "staff-" + UUID.randomUUID() + "@sms.herald.test";
    users.create(
        test.company().id(), staffEmail, SmsTextTestCompanies.PASSWORD, "Staff", Role.STAFF);
    WebSession staff = loggedIn(staffEmail);

    HttpResponse<String> page = staff.get(base() + "/settings/sms-text");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(staff.get(base() + "/").body()).doesNotContain("/settings/sms-text");

    HttpResponse<String> post =
        staff.submit(
            base() + "/",
            base() + "/settings/sms-text",
            Map.of("smartEncoding", "true", "segmentCap", "2"));
    assertThat(post.statusCode()).isEqualTo(403);
    Company stored = companies.find(test.company().id()).orElseThrow();
    assertThat(stored.smsSegmentCap()).isEqualTo(10);
    assertThat(stored.smsSmartEncoding()).isFalse();
  }

  @Test
  void the_counter_shows_counts_highlights_and_offers_smart_encoding() throws Exception {
    TestCompany test = SmsTextTestCompanies.aCompany(companies, apiKeys, users);
    WebSession owner = loggedIn(test.ownerEmail());
    owner.get(base() + "/?lang=en");
    String page = owner.get(base() + "/settings/sms-text").body();
    assertThat(page)
        .contains("data-sms-counter-for=\"sms-try\"", "data-sms-smart-switch=\"smartEncoding\"")
        .contains(
            "hx-trigger=\"input changed delay:150ms from:#sms-try, change from:#smartEncoding, load\"")
        .contains("/js/sms-counter.js");

    String accented = counter(owner, "<b>prêt</b> 😀").body();
    assertThat(accented)
        .contains("UCS-2 (Unicode characters)", "1 SMS of 10 allowed", "13 characters")
        .contains("&lt;b&gt;pr<mark>ê</mark>t&lt;/b&gt; <mark>😀</mark>")
        .doesNotContain("<b>prêt", "data-sms-smart-text");

    String curly = counter(owner, "“Hej”").body();
    assertThat(curly)
        .contains("UCS-2", "data-sms-smart-text=\"&quot;Hej&quot;\"", "Use smart encoding");

    String smartOn = counter(owner, "“Hej”", "true").body();
    assertThat(smartOn)
        .contains("GSM-7", "Smart encoding is on")
        .doesNotContain("data-sms-smart-text");

    String tooLong = counter(owner, "a".repeat(1531)).body();
    assertThat(tooLong).contains("11 SMS of 10 allowed", "This text needs 11 SMS,");

    assertThat(counter(owner, "").body())
        .contains("0 SMS of 10 allowed")
        .doesNotContain("The text is empty");
  }

  private HttpResponse<String> counter(WebSession session, String text, String... smart)
      throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("text", text);
    if (smart.length > 0) {
      fields.put("smartEncoding", smart[0]);
    }
    HttpResponse<String> response =
        session.submit(base() + "/settings/sms-text", base() + "/sms/counter", fields);
    assertThat(response.statusCode()).isEqualTo(200);
    return response;
  }

  private HttpResponse<String> save(WebSession session, Map<String, String> fields)
      throws Exception {
    return session.submit(base() + "/settings/sms-text", base() + "/settings/sms-text", fields);
  }

  private WebSession loggedIn(String email) throws Exception {
    WebSession session = new WebSession();
    HttpResponse<String> login = session.logIn(base(), email, SmsTextTestCompanies.PASSWORD);
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    return session;
  }
}
