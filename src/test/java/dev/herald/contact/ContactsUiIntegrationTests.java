package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContactsUiIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;

  String base() {
    return "http://localhost:" + port;
  }

  String aContact(TestCompany company, String name) {
    return new Api(port, company.apiKey())
        .post("/api/v1/contacts", "{\"name\": \"" + name + "\", \"emails\": [\"c@example.dk\"]}")
        .body()
        .get("id")
        .asString();
  }

  WebSession ownerOf(TestCompany company) throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), company.ownerEmail(), TestCompanies.PASSWORD);
    return browser;
  }

  @Test
  void another_companys_contact_is_not_found_and_cannot_be_changed_or_deleted() throws Exception {
    TestCompany a = companies.aDanishCompany(true, false);
    TestCompany b = companies.aDanishCompany(true, false);
    String id = aContact(a, "Only For A");
    WebSession ownerOfB = ownerOf(b);

    HttpResponse<String> view = ownerOfB.get(base() + "/contacts/" + id);
    assertThat(view.statusCode()).isEqualTo(404);
    assertThat(view.body()).doesNotContain("Only For A");
    assertThat(
            ownerOfB
                .submit(
                    base() + "/contacts",
                    base() + "/contacts/" + id,
                    Map.of("name", "Taken Over", "version", "0", "language", "da"))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            ownerOfB
                .submit(base() + "/contacts", base() + "/contacts/" + id + "/delete", Map.of())
                .statusCode())
        .isEqualTo(404);
    assertThat(ownerOfB.get(base() + "/contacts?q=Only").body()).doesNotContain("Only For A");

    assertThat(
            new Api(port, a.apiKey()).get("/api/v1/contacts/" + id).body().get("name").asString())
        .isEqualTo("Only For A");
    assertThat(ownerOfB.get(base() + "/contacts/not-a-uuid").statusCode()).isEqualTo(404);
  }

  @Test
  void a_stale_edit_in_the_form_keeps_what_was_typed_and_saves_nothing() throws Exception {
    TestCompany company = companies.aDanishCompany(true, false);
    String id = aContact(company, "Versioned");
    WebSession first = ownerOf(company);
    WebSession second = ownerOf(company);
    Map<String, String> form =
        new HashMap<>(
            Map.of(
                "name",
                "Edited First",
                "language",
                "da",
                "timeZone",
                "",
                "version",
                "0",
                "emails[0]",
                "c@example.dk",
                "phones[0].type",
                "MOBILE",
                "phones[0].number",
                "",
                "email",
                "true",
                "reminders",
                "true"));

    assertThat(
            first.submit(base() + "/contacts/" + id, base() + "/contacts/" + id, form).statusCode())
        .isEqualTo(302);
    form.put("name", "Edited Second");
    HttpResponse<String> stale =
        second.submit(base() + "/contacts/" + id, base() + "/contacts/" + id, form);

    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("Someone changed this meanwhile", "value=\"Edited Second\"");
    assertThat(
            new Api(port, company.apiKey())
                .get("/api/v1/contacts/" + id)
                .body()
                .get("name")
                .asString())
        .isEqualTo("Edited First");
  }

  @Test
  void deleting_from_the_page_removes_the_contact_from_the_list() throws Exception {
    TestCompany company = companies.aDanishCompany(true, false);
    String id = aContact(company, "Delete Me");
    WebSession owner = ownerOf(company);
    owner.submit(base() + "/contacts/" + id, base() + "/contacts/" + id + "/delete", Map.of());
    HttpResponse<String> list = owner.get(base() + "/contacts");
    assertThat(list.body()).contains("Delete Me was deleted.");
    assertThat(owner.get(base() + "/contacts").body()).doesNotContain("Delete Me");
  }

  @Test
  void each_row_shows_its_own_error_and_nothing_is_stored() throws Exception {
    TestCompany company = companies.aDanishCompany(true, false);
    WebSession owner = ownerOf(company);
    HttpResponse<String> refused =
        owner.submit(
            base() + "/contacts/new",
            base() + "/contacts",
            Map.of(
                "name",
                "Row Errors",
                "language",
                "da",
                "emails[0]",
                "",
                "emails[1]",
                "not-an-address",
                "phones[0].type",
                "MOBILE",
                "phones[0].number",
                "+4520123488",
                "phones[1].type",
                "MOBILE",
                "phones[1].number",
                "123"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("&quot;not-an-address&quot; is not a valid e-mail address.")
        .contains("&quot;123&quot; is not a valid phone number")
        .contains("value=\"not-an-address\"", "value=\"+4520123488\"", "value=\"Row Errors\"");
    assertThat(new Api(port, company.apiKey()).get("/api/v1/contacts").body().get("total").asInt())
        .isZero();
  }

  @Test
  void forged_form_fields_are_ignored_not_a_500() throws Exception {
    TestCompany company = companies.aDanishCompany(true, false);
    WebSession owner = ownerOf(company);
    HttpResponse<String> forged =
        owner.submit(
            base() + "/contacts/new",
            base() + "/contacts",
            Map.of(
                "name",
                "Forged Fields",
                "language",
                "da",
                "phones[300].number",
                "+4520123495",
                "emails[x]",
                "a@b.dk",
                "version",
                "7",
                "id",
                "00000000-0000-0000-0000-000000000000"));
    assertThat(forged.statusCode()).isEqualTo(302);
    assertThat(
            new Api(port, company.apiKey())
                .get("/api/v1/contacts?query=Forged")
                .body()
                .at("/items/0/phones")
                .size())
        .isZero();
  }

  @Test
  void with_the_sms_default_on_an_email_only_contact_is_saved_without_sms() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    WebSession owner = ownerOf(company);
    String form = owner.get(base() + "/contacts/new").body();
    assertThat(form).containsPattern("name=\"sms\"[^>]*checked");
    HttpResponse<String> saved =
        owner.submit(
            base() + "/contacts/new",
            base() + "/contacts",
            Map.of(
                "name",
                "Email Only",
                "language",
                "da",
                "emails[0]",
                "only@example.dk",
                "phones[0].type",
                "MOBILE",
                "phones[0].number",
                "",
                "email",
                "true",
                "sms",
                "true",
                "smsDefault",
                "true",
                "reminders",
                "true"));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
    var contact =
        new Api(port, company.apiKey())
            .get("/api/v1/contacts?query=Email%20Only")
            .body()
            .at("/items/0");
    assertThat(contact.at("/preferences/sms").asBoolean()).isFalse();

    HttpResponse<String> explicit =
        owner.submit(
            base() + "/contacts/new",
            base() + "/contacts",
            Map.of(
                "name",
                "Explicit Sms",
                "language",
                "da",
                "emails[0]",
                "x@example.dk",
                "sms",
                "true",
                "smsDefault",
                "false"));
    assertThat(explicit.statusCode()).as("ticked by the person, no mobile: told so").isEqualTo(422);
  }
}
