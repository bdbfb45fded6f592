package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.Api.Response;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContactsApiIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  TestCompany company;
  Api api;

  @BeforeEach
  void aCompanyWithSmsDefaultOn() {
    company = companies.aDanishCompany(true, true);
    api = new Api(port, company.apiKey());
  }

  static String contact(String name, String phoneType, String number) {
    return """
    {"name": "%s", "language": "da", "emails": ["%s@example.dk"],
     "phones": [{"type": "%s", "number": "%s"}]}
    """
        .formatted(name, name.toLowerCase().replace(' ', '.'), phoneType, number);
  }

  long contactRows() {
    return jdbc.sql("SELECT count(*) FROM contact WHERE tenant_id = ?")
        .param(company.id().value())
        .query(Long.class)
        .single();
  }

  @Test
  void creates_a_contact_with_its_number_in_e164_and_sms_from_the_company_default() {
    Response created =
        api.post("/api/v1/contacts", contact("Anders Jensen", "MOBILE", "20 12 34 56"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location"))
        .hasValue("/api/v1/contacts/" + created.body().get("id").asString());
    assertThat(created.body().at("/phones/0/number").asString()).isEqualTo("+4520123456");
    assertThat(created.body().at("/preferences/sms").asBoolean()).isTrue();
    assertThat(created.body().at("/preferences/email").asBoolean()).isTrue();
    assertThat(created.body().at("/preferences/reminders").asBoolean()).isTrue();

    Response read = api.get("/api/v1/contacts/" + created.body().get("id").asString());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().get("name").asString()).isEqualTo("Anders Jensen");
    assertThat(read.headers().firstValue("ETag")).hasValue("\"0\"");
  }

  @Test
  void refuses_an_invalid_number_naming_the_field_and_stores_nothing() {
    Response refused = api.post("/api/v1/contacts", contact("Bad Number", "MOBILE", "12"));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body().at("/errors/0/field").asString()).isEqualTo("phones[0].number");
    assertThat(refused.body().at("/errors/0/message").asString())
        .contains("\"12\" is not a valid phone number");
    assertThat(contactRows()).isZero();
  }

  @Test
  void refuses_a_french_landline_typed_as_mobile_and_stores_nothing() {
    Response refused =
        api.post("/api/v1/contacts", contact("Claire Fixe", "MOBILE", "+33 1 42 68 53 00"));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().at("/errors/0/message").asString())
        .isEqualTo(
            "+33 1 42 68 53 00 is a landline, not a mobile number: choose Home, Work or Other.");
    assertThat(contactRows()).isZero();

    Response asWork =
        api.post("/api/v1/contacts", contact("Claire Fixe", "WORK", "+33 1 42 68 53 00"));
    assertThat(asWork.status()).isEqualTo(201);
    assertThat(asWork.body().at("/preferences/sms").asBoolean())
        .as("no mobile, no SMS default")
        .isFalse();
  }

  @Test
  void accepts_a_french_mobile_and_reads_numbers_without_country_code_as_the_companys() {
    Response french =
        api.post("/api/v1/contacts", contact("Claire Mobile", "MOBILE", "+33 6 12 34 56 78"));
    assertThat(french.status()).isEqualTo(201);
    assertThat(french.body().at("/phones/0/number").asString()).isEqualTo("+33612345678");
  }

  @Test
  void errors_come_in_the_requests_language() {
    Response danish =
        api.inLanguage("da")
            .post("/api/v1/contacts", contact("Dansk Fejl", "MOBILE", "+33 1 42 68 53 00"));
    assertThat(danish.status()).isEqualTo(422);
    assertThat(danish.body().at("/errors/0/message").asString()).contains("er et fastnetnummer");
    Response french = api.inLanguage("fr").post("/api/v1/contacts", "{\"name\": \"\"}");
    assertThat(french.body().at("/errors/0/message").asString()).isEqualTo("Saisissez un nom.");
  }

  @Test
  void refuses_sms_without_a_mobile_number() {
    Response refused =
        api.post(
            "/api/v1/contacts",
            """
            {"name": "No Mobile", "emails": ["nm@example.dk"], "preferences": {"sms": true}}
            """);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().at("/errors/0/field").asString()).isEqualTo("preferences.sms");
    assertThat(contactRows()).isZero();
  }

  @Test
  void reports_every_problem_at_once() {
    Response refused =
        api.post(
            "/api/v1/contacts",
            """
            {"name": " ", "language": "de", "timeZone": "Mars/Olympus", "emails": ["nope"],
             "phones": [{"type": "FAX", "number": "+4520123456"}]}
            """);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(
            refused.body().get("errors").valueStream().map(e -> e.get("field").asString()).toList())
        .containsExactlyInAnyOrder("name", "language", "timeZone", "emails[0]", "phones[0].type");
    Response halfEmoji =
        api.post("/api/v1/contacts", "{\"name\": \"a\\ud800b\", \"emails\": [\"a\\udc00@b.dk\"]}");
    assertThat(halfEmoji.status()).as("a lone surrogate would be stored as '?'").isEqualTo(422);
    assertThat(
            halfEmoji
                .body()
                .get("errors")
                .valueStream()
                .map(e -> e.get("field").asString())
                .toList())
        .containsExactlyInAnyOrder("name", "emails[0]");
    Response offset =
        api.post("/api/v1/contacts", "{\"name\": \"Offset\", \"timeZone\": \"+05:00\"}");
    assertThat(offset.status()).as("an offset is not an IANA zone").isEqualTo(422);
    assertThat(offset.body().at("/errors/0/field").asString()).isEqualTo("timeZone");
  }

  @Test
  void answers_400_for_malformed_json_and_wrong_types() {
    Response malformed = api.post("/api/v1/contacts", "{\"name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().get("detail").asString()).isNotBlank();

    Response wrongType =
        api.post("/api/v1/contacts", "{\"name\": \"X\", \"phones\": \"+4520123456\"}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body().at("/errors/0/field").asString()).isEqualTo("phones");
    assertThat(contactRows()).isZero();
  }

  @Test
  void searches_by_name_email_and_number_a_page_at_a_time() {
    for (int i = 0; i < 7; i++) {
      assertThat(
              api.post(
                      "/api/v1/contacts",
                      contact("Search Person " + i, "MOBILE", "+45 20 30 40 5" + i))
                  .status())
          .isEqualTo(201);
    }
    assertThat(
            api.post("/api/v1/contacts", contact("Other Name", "MOBILE", "+45 50 11 22 33"))
                .status())
        .isEqualTo(201);

    Response page0 = api.get("/api/v1/contacts?query=search&size=5");
    assertThat(page0.body().get("total").asInt()).isEqualTo(7);
    assertThat(page0.body().get("items").size()).isEqualTo(5);
    Response page1 = api.get("/api/v1/contacts?query=search&size=5&page=1");
    assertThat(page1.body().get("items").size()).isEqualTo(2);

    assertThat(api.get("/api/v1/contacts?query=50%2011%2022").body().at("/items/0/name").asString())
        .isEqualTo("Other Name");
    assertThat(api.get("/api/v1/contacts?query=other.name%40").body().get("total").asInt())
        .isEqualTo(1);
    assertThat(api.get("/api/v1/contacts?query=%25").body().get("total").asInt())
        .as("LIKE wildcards are literal")
        .isZero();
    assertThat(api.get("/api/v1/contacts?size=500").status()).isEqualTo(422);
  }

  @Test
  void a_stale_put_gets_409_and_changes_nothing() {
    Response created =
        api.post("/api/v1/contacts", contact("Stale Test", "MOBILE", "+45 20 55 66 77"));
    String id = created.body().get("id").asString();

    Response first =
        api.put(
            "/api/v1/contacts/" + id,
            """
            {"name": "First Edit", "version": 0, "phones": [{"type": "MOBILE", "number": "+45 20 55 66 77"}]}
            """);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("version").asInt()).isEqualTo(1);
    assertThat(first.body().at("/preferences/sms").asBoolean()).as("kept when not said").isTrue();

    Response stale =
        api.put(
            "/api/v1/contacts/" + id,
            """
            {"name": "Second Edit", "version": 0}
            """);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.body().get("detail").asString()).contains("changed this meanwhile");
    assertThat(api.get("/api/v1/contacts/" + id).body().get("name").asString())
        .isEqualTo("First Edit");

    Response ifMatch =
        api.put("/api/v1/contacts/" + id, "{\"name\": \"Third Edit\"}", "If-Match", "\"1\"");
    assertThat(ifMatch.status()).isEqualTo(200);
    Response noVersion = api.put("/api/v1/contacts/" + id, "{\"name\": \"Fourth Edit\"}");
    assertThat(noVersion.status()).isEqualTo(428);
  }

  @Test
  void delete_anonymises_and_keeps_the_row() {
    Response created =
        api.post("/api/v1/contacts", contact("Gone Soon", "MOBILE", "+45 20 99 88 77"));
    String id = created.body().get("id").asString();

    assertThat(api.delete("/api/v1/contacts/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/contacts/" + id).status()).isEqualTo(404);
    assertThat(api.delete("/api/v1/contacts/" + id).status()).isEqualTo(404);

    var row =
        jdbc.sql(
                "SELECT name, anonymised_at IS NOT NULL AS gone FROM contact WHERE tenant_id = ? AND id = ?::uuid")
            .params(company.id().value(), id)
            .query()
            .singleRow();
    assertThat(row.get("name")).isEqualTo("(deleted)");
    assertThat(row.get("gone")).isEqualTo(true);
    long numbers =
        jdbc.sql("SELECT count(*) FROM contact_phone WHERE contact_id = ?::uuid")
            .param(id)
            .query(Long.class)
            .single();
    long emails =
        jdbc.sql("SELECT count(*) FROM contact_email WHERE contact_id = ?::uuid")
            .param(id)
            .query(Long.class)
            .single();
    assertThat(numbers + emails).isZero();
  }

  @Test
  void another_companys_key_gets_404_on_every_endpoint_and_changes_nothing() {
    Response created =
        api.post("/api/v1/contacts", contact("Private Person", "MOBILE", "+45 20 11 11 11"));
    String id = created.body().get("id").asString();
    Api other = new Api(port, companies.aDanishCompany(true, false).apiKey());

    assertThat(other.get("/api/v1/contacts/" + id).status()).isEqualTo(404);
    assertThat(
            other
                .put("/api/v1/contacts/" + id, "{\"name\": \"Hijacked\", \"version\": 0}")
                .status())
        .isEqualTo(404);
    assertThat(other.put("/api/v1/contacts/" + id, "{\"name\": \"Hijacked\"}").status())
        .isEqualTo(404);
    assertThat(other.delete("/api/v1/contacts/" + id).status()).isEqualTo(404);
    assertThat(other.get("/api/v1/contacts?query=Private").body().get("total").asInt()).isZero();

    Response mine = api.get("/api/v1/contacts/" + id);
    assertThat(mine.body().get("name").asString()).isEqualTo("Private Person");
    assertThat(mine.body().get("version").asInt()).isZero();
  }

  @Test
  void a_missing_or_wrong_key_gets_401() {
    assertThat(new Api(port, null).get("/api/v1/contacts").status()).isEqualTo(401);
    assertThat(
            new Api(port, "hk_not_a_real_key_000000000000000000000000")
                .post("/api/v1/contacts", contact("X", "MOBILE", "+4520123456"))
                .status())
        .isEqualTo(401);
    assertThat(contactRows()).isZero();
  }

  @Test
  void a_malformed_id_names_no_contact() {
    Response bad = api.get("/api/v1/contacts/not-a-uuid");
    assertThat(bad.status()).isEqualTo(404);
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(bad.body().path("detail").asString()).isEqualTo("Not found.");
  }

  @Test
  void the_api_is_described_by_openapi() {
    Response docs = new Api(port, null).get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body().at("/paths").propertyNames())
        .contains("/api/v1/contacts", "/api/v1/contacts/{id}");
  }
}
