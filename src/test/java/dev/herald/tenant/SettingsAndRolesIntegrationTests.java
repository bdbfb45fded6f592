package dev.herald.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SettingsAndRolesIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies testCompanies;
  @Autowired Companies companies;
  @Autowired JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession loggedIn(String email) throws Exception {
    WebSession browser = new WebSession();
    assertThat(
            browser.logIn(base(), email, TestCompanies.PASSWORD).headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    return browser;
  }

  @Test
  void staff_work_with_contacts_but_cannot_reach_settings_or_keys() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession staff = loggedIn(testCompanies.aUser(company, Role.STAFF));

    assertThat(staff.get(base() + "/contacts").statusCode()).isEqualTo(200);
    for (String page :
        new String[] {
          "/settings/company",
          "/settings/users",
          "/settings/api",
          "/settings/company/sms-for-existing"
        }) {
      assertThat(staff.get(base() + page).statusCode()).as(page).isEqualTo(403);
    }
    HttpResponse<String> post =
        staff.submit(
            base() + "/contacts", base() + "/settings/company/sms-default", Map.of("on", "true"));
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(companies.find(company.id()).orElseThrow().smsDefaultOn()).isFalse();
    assertThat(staff.get(base() + "/").body()).doesNotContain("href=\"/settings\"");
  }

  @Test
  void an_admin_changes_settings_and_a_stale_form_is_refused() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession admin = loggedIn(testCompanies.aUser(company, Role.ADMIN));
    Map<String, String> form =
        new HashMap<>(
            Map.of(
                "name",
                "Renamed Company",
                "country",
                "FR",
                "timeZone",
                "Europe/Paris",
                "language",
                "fr",
                "smsSenderName",
                "Renamed",
                "version",
                "2"));
    int version = companies.find(company.id()).orElseThrow().version();
    form.put("version", Integer.toString(version));

    HttpResponse<String> saved =
        admin.submit(base() + "/settings/company", base() + "/settings/company", form);
    assertThat(saved.statusCode()).isEqualTo(302);
    Company changed = companies.find(company.id()).orElseThrow();
    assertThat(changed.name()).isEqualTo("Renamed Company");
    assertThat(changed.country()).isEqualTo("FR");
    assertThat(changed.timeZone().getId()).isEqualTo("Europe/Paris");

    form.put("name", "Stale Rename");
    HttpResponse<String> stale =
        admin.submit(base() + "/settings/company", base() + "/settings/company", form);
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("changed this meanwhile").contains("value=\"Stale Rename\"");
    assertThat(companies.find(company.id()).orElseThrow().name()).isEqualTo("Renamed Company");
  }

  @Test
  void bad_settings_are_shown_at_their_fields_with_what_was_typed() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession owner = loggedIn(company.ownerEmail());
    int version = companies.find(company.id()).orElseThrow().version();
    HttpResponse<String> refused =
        owner.submit(
            base() + "/settings/company",
            base() + "/settings/company",
            Map.of(
                "name",
                "Kept Name",
                "country",
                "XX",
                "timeZone",
                "Europe/Copenhagen",
                "language",
                "da",
                "smsSenderName",
                "Far too long sender",
                "version",
                Integer.toString(version)));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains(
            "Choose a country.",
            "Use 1 to 11 characters: letters A to Z without accents",
            "value=\"Kept Name\"",
            "value=\"Far too long sender\"");
    assertThat(companies.find(company.id()).orElseThrow().name()).isEqualTo(company.name());
  }

  @Test
  void the_sms_toggle_and_bulk_action_work_from_the_settings_page() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    assertThat(
            api.post(
                    "/api/v1/contacts",
                    "{\"name\": \"Existing\", \"phones\": [{\"type\": \"MOBILE\", \"number\": \"+4520125151\"}]}")
                .status())
        .isEqualTo(201);
    WebSession owner = loggedIn(company.ownerEmail());

    owner.submit(
        base() + "/settings/company",
        base() + "/settings/company/sms-default",
        Map.of("on", "true"));
    assertThat(companies.find(company.id()).orElseThrow().smsDefaultOn()).isTrue();
    assertThat(owner.get(base() + "/settings/company").body())
        .as("where the redirect lands")
        .contains("New contacts with a mobile number now get SMS notifications.");

    HttpResponse<String> confirm = owner.get(base() + "/settings/company/sms-for-existing");
    assertThat(confirm.body()).contains("This ticks SMS notifications for 1 existing contact with");
    HttpResponse<String> stale =
        owner.submit(
            base() + "/settings/company/sms-for-existing",
            base() + "/settings/company/sms-for-existing",
            Map.of("expected", "5"));
    assertThat(stale.body())
        .as("not what was confirmed: asked again")
        .contains(
            "Contacts changed meanwhile",
            "This ticks SMS notifications for 1 existing contact with");
    assertThat(
            api.get("/api/v1/contacts?query=Existing")
                .body()
                .at("/items/0/preferences/sms")
                .asBoolean())
        .isFalse();
    owner.submit(
        base() + "/settings/company/sms-for-existing",
        base() + "/settings/company/sms-for-existing",
        Map.of("expected", "1"));
    assertThat(owner.get(base() + "/settings/company").body())
        .contains("SMS notifications were ticked for 1 contact.");
    assertThat(
            api.get("/api/v1/contacts?query=Existing")
                .body()
                .at("/items/0/preferences/sms")
                .asBoolean())
        .isTrue();
  }

  @Test
  void the_sms_toggle_is_refused_while_sms_is_locked() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(false, false);
    WebSession owner = loggedIn(company.ownerEmail());
    assertThat(owner.get(base() + "/settings/company").body())
        .contains("SMS is not unlocked for your company yet");
    owner.submit(
        base() + "/settings/company",
        base() + "/settings/company/sms-default",
        Map.of("on", "true"));
    assertThat(companies.find(company.id()).orElseThrow().smsDefaultOn()).isFalse();
  }

  @Test
  void an_admin_creates_a_key_shown_once_and_revokes_it() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession admin = loggedIn(testCompanies.aUser(company, Role.ADMIN));

    Matcher token =
        Pattern.compile("name=\"formToken\" value=\"([0-9a-f-]+)\"")
            .matcher(admin.get(base() + "/settings/api").body());
    assertThat(token.find()).as("one-time form token").isTrue();
    Map<String, String> form = Map.of("name", "Accounting system", "formToken", token.group(1));
    HttpResponse<String> created =
        admin.submit(base() + "/settings/api", base() + "/settings/api", form);
    assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
    String page = created.body();
    Matcher secret = Pattern.compile("id=\"issued-secret\">(hk_[A-Za-z0-9_-]+)<").matcher(page);
    assertThat(secret.find()).as("key shown after creation").isTrue();
    String key = secret.group(1);
    assertThat(admin.get(base() + "/settings/api").body()).as("shown once").doesNotContain(key);
    HttpResponse<String> again =
        admin.submit(base() + "/settings/api", base() + "/settings/api", form);
    assertThat(again.body())
        .as("the same form posted again: no second key, no secret")
        .contains("This form already created the key")
        .doesNotContain("issued-secret");
    assertThat(
            jdbc.sql("SELECT count(*) FROM api_key WHERE tenant_id = ? AND name = ?")
                .params(company.id().value(), "Accounting system")
                .query(Long.class)
                .single())
        .isEqualTo(1);

    Api api = new Api(port, key);
    assertThat(api.get("/api/v1/contacts").status()).isEqualTo(200);

    String keyId =
        jdbc.sql("SELECT id::text FROM api_key WHERE tenant_id = ? AND name = 'Accounting system'")
            .param(company.id().value())
            .query(String.class)
            .single();
    admin.submit(base() + "/settings/api", base() + "/settings/api/" + keyId + "/revoke", Map.of());
    assertThat(api.get("/api/v1/contacts").status()).isEqualTo(401);
  }

  @Test
  void an_owner_adds_staff_and_a_taken_email_gets_the_same_answer_here_and_elsewhere()
      throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession owner = loggedIn(company.ownerEmail());
    HttpResponse<String> added =
        owner.submit(
            base() + "/settings/users",
            base() + "/settings/users",
            Map.of(
                "displayName",
                "New Staff",
                "email",
                "new.staff." + System.nanoTime() + "@test.herald",
                "role",
                "STAFF",
                "password",
                "long-enough-pw"));
    assertThat(added.statusCode()).isEqualTo(302);

    HttpResponse<String> taken =
        owner.submit(
            base() + "/settings/users",
            base() + "/settings/users",
            Map.of(
                "displayName",
                "Copy",
                "email",
                company.ownerEmail(),
                "role",
                "STAFF",
                "password",
                "long-enough-pw"));
    assertThat(taken.statusCode()).isEqualTo(422);
    assertThat(taken.body()).contains("This address can&#39;t be used here.");

    // Taken in another company: word for word the same page, so nothing tells the two apart.
    TestCompany other = testCompanies.aDanishCompany(true, false);
    HttpResponse<String> takenElsewhere =
        owner.submit(
            base() + "/settings/users",
            base() + "/settings/users",
            Map.of(
                "displayName",
                "Copy",
                "email",
                other.ownerEmail(),
                "role",
                "STAFF",
                "password",
                "long-enough-pw"));
    assertThat(takenElsewhere.statusCode()).isEqualTo(422);
    assertThat(withoutVaryingParts(takenElsewhere.body(), other.ownerEmail()))
        .isEqualTo(withoutVaryingParts(taken.body(), company.ownerEmail()));
    assertThat(takenElsewhere.body()).doesNotContain("already has");
    assertThat(
            jdbc.sql("SELECT count(*) FROM app_user WHERE lower(email) = lower(?)")
                .param(other.ownerEmail())
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  /**
   * The page without the CSRF token and the typed e-mail, which differ from one answer to another.
   */
  static String withoutVaryingParts(String page, String typedEmail) {
    return page.replaceAll("(value|content)=\"[A-Za-z0-9_-]{40,}\"", "TOKEN")
        .replace("value=\"" + typedEmail + "\"", "value=\"TYPED\"");
  }

  @Test
  void an_over_long_password_is_refused_and_a_long_email_can_log_in() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession owner = loggedIn(company.ownerEmail());
    HttpResponse<String> tooLong =
        owner.submit(
            base() + "/settings/users",
            base() + "/settings/users",
            Map.of(
                "displayName",
                "Long Password",
                "email",
                "lp." + System.nanoTime() + "@test.herald",
                "role",
                "STAFF",
                "password",
                "æ".repeat(40)));
    assertThat(tooLong.statusCode()).isEqualTo(422);
    assertThat(tooLong.body()).contains("at most 72 bytes");

    String longEmail = "a".repeat(120) + "." + System.nanoTime() + "@test.herald";
    owner.submit(
        base() + "/settings/users",
        base() + "/settings/users",
        Map.of(
            "displayName",
            "Long Email",
            "email",
            longEmail,
            "role",
            "STAFF",
            "password",
            "long-enough-pw"));
    WebSession staff = new WebSession();
    staff.logIn(base(), longEmail, "long-enough-pw");
    assertThat(staff.get(base() + "/contacts").statusCode()).isEqualTo(200);
  }

  @Test
  void an_admin_cannot_add_an_owner_however_the_role_is_spelled() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession admin = loggedIn(testCompanies.aUser(company, Role.ADMIN));
    for (String role : new String[] {"OWNER", " owner ", "Owner\t"}) {
      String email = "would.be.owner." + System.nanoTime() + "@test.herald";
      HttpResponse<String> refused =
          admin.submit(
              base() + "/settings/users",
              base() + "/settings/users",
              Map.of(
                  "displayName",
                  "Would Be Owner",
                  "email",
                  email,
                  "role",
                  role,
                  "password",
                  "long-enough-pw"));
      assertThat(refused.statusCode()).as("role %s", role).isEqualTo(422);
      assertThat(refused.body()).contains("Only an owner can add another owner.");
      assertThat(
              jdbc.sql("SELECT count(*) FROM app_user WHERE email = ?")
                  .param(email)
                  .query(Long.class)
                  .single())
          .isZero();
    }
  }

  @Test
  void a_nul_in_the_login_name_is_just_a_failed_log_in() throws Exception {
    HttpResponse<String> login =
        new WebSession().logIn(base(), "a\u0000b@test.herald", "whatever-password");
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/login?error"));
  }

  @Test
  void a_malformed_parameter_is_a_bad_request_and_a_malformed_id_a_missing_page() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession owner = loggedIn(company.ownerEmail());
    assertThat(owner.get(base() + "/contacts?page=abc").statusCode()).isEqualTo(400);
    assertThat(owner.get(base() + "/messages?contactId=abc").statusCode()).isEqualTo(400);
    assertThat(
            owner
                .submit(
                    base() + "/settings/company",
                    base() + "/settings/company/sms-default",
                    Map.of("on", "maybe"))
                .statusCode())
        .isEqualTo(400);
    assertThat(owner.get(base() + "/contacts/not-an-id").statusCode()).isEqualTo(404);
  }
}
