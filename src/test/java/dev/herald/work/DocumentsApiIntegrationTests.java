package dev.herald.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.shared.Hashes;
import dev.herald.support.Api;
import dev.herald.support.Api.Response;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Quotes and invoices through the REST API: numbering, totals, all problems at once, idempotent
 * creation, and sending (SMS with a portal link, e-mail with the PDF, the document marked sent).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DocumentsApiIntegrationTests {

  static final Pattern LINK = Pattern.compile("http://localhost:\\d+/p/([A-Za-z0-9_-]{22})");

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  static String contact(String name, String language, String email, String mobile, boolean sms) {
    return """
    {"name": "%s", "language": "%s", "emails": %s, "phones": %s,
     "preferences": {"email": %s, "sms": %s}}
    """
        .formatted(
            name,
            language,
            email == null ? "[]" : "[\"" + email + "\"]",
            mobile == null ? "[]" : "[{\"type\": \"MOBILE\", \"number\": \"" + mobile + "\"}]",
            email != null,
            sms);
  }

  static String aContact(Api api, String json) {
    Response r = api.post("/api/v1/contacts", json);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asString();
  }

  static Response create(Api api, String json) {
    return api.postWithKey("/api/v1/documents", UUID.randomUUID().toString(), json);
  }

  static String invoiceJson(String contactId, String lines) {
    return """
    {"kind": "invoice", "contactId": "%s", "issueDate": "2026-11-30", "dueDate": "2026-12-14",
     "lines": %s}
    """
        .formatted(contactId, lines);
  }

  @Test
  void documents_are_numbered_per_company_and_kind_with_tax_rounded_half_even_per_line() {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, contact("Bo Berg", "da", "bo@example.dk", null, false));
    // 3 x 0.125 = 0.375 DKK -> 0.38 (half-even on 37.5 øre gives 38); tax 25 % of 38 = 9.5 -> 10;
    // 1 x 100.10 at 25 % -> tax 25.025 -> 25.02 (2502.5 øre -> 2502, even).
    Response first =
        create(
            api,
            invoiceJson(
                contact,
                """
                [{"description": "Small screws", "quantity": "3", "unitPrice": "0,125", "taxRate": "25"},
                 {"description": "Hedge trimming", "quantity": "1", "unitPrice": "100.10", "taxRate": "25"}]
                """));
    // A price with more decimals than the currency is refused: ask for a representable one.
    assertThat(first.status()).as(first.raw()).isEqualTo(422);
    assertThat(first.raw()).contains("lines[0].unitPrice");

    Response invoice =
        create(
            api,
            invoiceJson(
                contact,
                """
                [{"description": "Hedge trimming", "quantity": "1", "unitPrice": "100.10", "taxRate": "25"},
                 {"description": "Leaves, bags", "quantity": "2.5", "unitPrice": "10.01", "taxRate": "25"}]
                """));
    assertThat(invoice.status()).as(invoice.raw()).isEqualTo(201);
    assertThat(invoice.body().get("number").asString()).isEqualTo("INV-00001");
    assertThat(invoice.body().get("status").asString()).isEqualTo("draft");
    // 100.10 + 25.025 (2.5 x 10.01 = 25.025 -> 25.02); tax 25.025 -> 25.02 and 6.255 -> 6.26
    assertThat(invoice.body().get("subtotal").get("minorUnits").asLong()).isEqualTo(10010 + 2502);
    assertThat(invoice.body().get("taxTotal").get("minorUnits").asLong()).isEqualTo(2502 + 626);
    assertThat(invoice.body().get("total").get("minorUnits").asLong())
        .isEqualTo(10010 + 2502 + 2502 + 626);
    assertThat(invoice.body().get("total").get("currency").asString()).isEqualTo("DKK");

    Response second = create(api, invoiceJson(contact, oneLine()));
    Response quote =
        create(api, invoiceJson(contact, oneLine()).replace("\"invoice\"", "\"quote\""));
    assertThat(second.body().get("number").asString()).isEqualTo("INV-00002");
    assertThat(quote.body().get("number").asString()).isEqualTo("Q-00001");

    // Another company starts at 1 again.
    TestCompany other = companies.aDanishCompany(true, true);
    Api otherApi = new Api(port, other.apiKey());
    String otherContact = aContact(otherApi, contact("Ida", "da", "ida@example.dk", null, false));
    assertThat(
            create(otherApi, invoiceJson(otherContact, oneLine())).body().get("number").asString())
        .isEqualTo("INV-00001");
    // ... and cannot see the first company's documents.
    assertThat(otherApi.get("/api/v1/documents/" + invoice.body().get("id").asString()).status())
        .isEqualTo(404);
  }

  static String oneLine() {
    return """
    [{"description": "Lawn mowing", "quantity": "1", "unitPrice": "450", "taxRate": "25"}]
    """;
  }

  @Test
  void bad_input_is_refused_with_every_problem_at_once_and_nothing_is_stored() {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    Response r =
        create(
            api,
            """
            {"kind": "receipt", "issueDate": "2026-13-01", "dueDate": "yesterday",
             "lines": [{"description": "", "quantity": "0", "unitPrice": "-1", "taxRate": "101"}]}
            """);
    assertThat(r.status()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    r.body().get("errors").forEach(e -> fields.add(e.get("field").asString()));
    assertThat(fields)
        .contains(
            "kind",
            "contactId",
            "issueDate",
            "dueDate",
            "lines[0].description",
            "lines[0].quantity",
            "lines[0].unitPrice",
            "lines[0].taxRate");
    assertThat(
            jdbc.sql("SELECT count(*) FROM document WHERE tenant_id = ?")
                .param(company.id().value())
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void a_create_repeated_with_its_idempotency_key_makes_one_document() {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, contact("Rie", "da", "rie@example.dk", null, false));
    String key = UUID.randomUUID().toString();
    Response first = api.postWithKey("/api/v1/documents", key, invoiceJson(contact, oneLine()));
    Response again = api.postWithKey("/api/v1/documents", key, invoiceJson(contact, oneLine()));
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(again.body().get("id").asString()).isEqualTo(first.body().get("id").asString());
    assertThat(api.postWithKey("/api/v1/documents", UUID.randomUUID().toString(), "{}").status())
        .isEqualTo(422);
    assertThat(
            jdbc.sql("SELECT count(*) FROM document WHERE tenant_id = ?")
                .param(company.id().value())
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void sending_queues_an_sms_with_a_portal_link_and_an_email_with_the_pdf_then_marks_it_sent()
      throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact =
        aContact(api, contact("Émilie Laurent", "fr", "emilie@example.fr", "+4520123491", true));
    String id = create(api, invoiceJson(contact, oneLine())).body().get("id").asString();

    Response sent =
        api.postWithKey("/api/v1/documents/" + id + "/send", UUID.randomUUID().toString(), "{}");
    assertThat(sent.status()).as(sent.raw()).isEqualTo(201);
    UUID sms = UUID.fromString(sent.body().get("smsMessageId").asString());
    UUID email = UUID.fromString(sent.body().get("emailMessageId").asString());

    // The contact speaks French: the French template, amounts and dates written the French way.
    String smsBody = body(company, sms);
    assertThat(smsBody)
        .startsWith(
            "Bonjour Émilie Laurent, " + company.name() + " vous a envoyé la facture INV-00001")
        .contains("562,50 DKK")
        .contains("14/12/2026");
    assertThat(
            jdbc.sql("SELECT kind, encoding FROM outbound_message WHERE tenant_id = ? AND id = ?")
                .params(company.id().value(), sms)
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2))
                .single())
        .isEqualTo("document GSM_7");
    Matcher link = LINK.matcher(smsBody);
    assertThat(link.find()).as(smsBody).isTrue();
    String token = link.group(1);
    // Stored hashed only, bound to this contact and document.
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM portal_token WHERE tenant_id = ? AND token_hash = ? AND contact_id = ? AND document_id = ?")
                .params(
                    company.id().value(),
                    Hashes.sha256(token),
                    UUID.fromString(contact),
                    UUID.fromString(id))
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(body(company, email)).contains("INV-00001").contains(token);
    // At least 128 random bits (22 base64url characters carry 132), valid for the default 60 days.
    assertThat(token).matches("[A-Za-z0-9_-]{22,}");
    assertThat(
            jdbc.sql(
                    "SELECT abs(extract(epoch FROM expires_at - created_at) - 60 * 86400) < 60 FROM portal_token WHERE tenant_id = ? AND token_hash = ?")
                .params(company.id().value(), Hashes.sha256(token))
                .query(Boolean.class)
                .single())
        .isTrue();

    byte[] pdf =
        jdbc.sql(
                "SELECT content FROM outbound_attachment WHERE tenant_id = ? AND message_id = ? AND filename = 'INV-00001.pdf'")
            .params(company.id().value(), email)
            .query(byte[].class)
            .single();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("Facture", "INV-00001", "Émilie Laurent", "Lawn mowing", "562,50");
    }

    Response after = api.get("/api/v1/documents/" + id);
    assertThat(after.body().get("status").asString()).isEqualTo("sent");
    assertThat(after.body().get("sentAt").isNull()).isFalse();

    // Each sending makes a new link.
    Response again =
        api.postWithKey(
            "/api/v1/documents/" + id + "/send",
            UUID.randomUUID().toString(),
            "{\"email\": false}");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body().get("emailMessageId").isNull()).isTrue();
    Matcher second =
        LINK.matcher(body(company, UUID.fromString(again.body().get("smsMessageId").asString())));
    assertThat(second.find()).isTrue();
    assertThat(second.group(1)).isNotEqualTo(token);
  }

  @Test
  void a_channel_that_cannot_apply_is_refused_with_its_reason_and_nothing_changes() {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, contact("No Mobile", "en", "nm@example.dk", null, false));
    String id = create(api, invoiceJson(contact, oneLine())).body().get("id").asString();

    Response refused =
        api.postWithKey(
            "/api/v1/documents/" + id + "/send", UUID.randomUUID().toString(), "{\"sms\": true}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.raw()).contains("\"sms\"").contains("no mobile number");
    assertThat(api.get("/api/v1/documents/" + id).body().get("status").asString())
        .isEqualTo("draft");
    assertThat(
            jdbc.sql("SELECT count(*) FROM portal_token WHERE tenant_id = ?")
                .param(company.id().value())
                .query(Long.class)
                .single())
        .as("the link of a refused sending is rolled back with it")
        .isZero();
    assertThat(
            jdbc.sql("SELECT count(*) FROM outbound_message WHERE tenant_id = ?")
                .param(company.id().value())
                .query(Long.class)
                .single())
        .isZero();
  }

  String body(TestCompany company, UUID message) {
    return jdbc.sql("SELECT body FROM outbound_message WHERE tenant_id = ? AND id = ?")
        .params(company.id().value(), message)
        .query(String.class)
        .single();
  }
}
