package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every page renders in every language, with no message key missing ("??key??"). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PagesInEveryLanguageIntegrationTests {

  static final String PASSWORD = "demo-password-for-tests";

  @LocalServerPort int port;

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.jdbc.core.simple.JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  void assertRendered(WebSession browser, String language, String path) throws Exception {
    HttpResponse<String> page = browser.get(base() + path);
    assertThat(page.statusCode()).as(path + " in " + language).isEqualTo(200);
    assertThat(page.body())
        .as(path + " in " + language)
        .contains("lang=\"" + language + "\"")
        .doesNotContain("??");
  }

  @org.springframework.beans.factory.annotation.Autowired dev.herald.tenant.Users users;

  java.util.UUID ownerId() {
    return users.findByEmail("owner@demo.herald.test").orElseThrow().id();
  }

  java.util.UUID demoCompanyId() {
    return users.findByEmail("owner@demo.herald.test").orElseThrow().tenantId().value();
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "fr", "da"})
  void company_pages(String language) throws Exception {
    String contactId =
        new Api(port, "hk_test_demo_key_0123456789abcdefghijklmnop")
            .get("/api/v1/contacts?query=Anders")
            .body()
            .at("/items/0/id")
            .asString();
    String messageId =
        new Api(port, "hk_test_demo_key_0123456789abcdefghijklmnop")
            .postWithKey(
                "/api/v1/messages",
                "pages-" + language,
                "{\"contactId\": \"" + contactId + "\", \"text\": \"Hej\"}")
            .body()
            .at("/messages/0/id")
            .asString();
    WebSession owner = new WebSession();
    owner.logIn(base(), "owner@demo.herald.test", PASSWORD);
    owner.get(base() + "/?lang=" + language);
    for (String path :
        List.of(
            "/",
            "/contacts",
            "/contacts/new",
            "/contacts/" + contactId,
            "/contacts/" + contactId + "/compose",
            "/messages",
            "/messages/" + messageId,
            "/messages/simulator",
            "/messages/mail-sink",
            "/settings/company",
            "/settings/users",
            "/settings/api",
            "/settings/sms-text",
            "/settings/company/sms-for-existing",
            "/settings/users/" + ownerId(),
            "/account",
            "/settings/billing",
            "/settings/billing/request")) {
      if (path.endsWith("/compose")) {
        HttpResponse<String> fragment = owner.get(base() + path);
        assertThat(fragment.statusCode()).isEqualTo(200);
        assertThat(fragment.body()).doesNotContain("??");
      } else {
        assertRendered(owner, language, path);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "fr", "da"})
  void operator_and_public_pages(String language) throws Exception {
    WebSession anonymous = new WebSession();
    assertRendered(anonymous, language, "/login?lang=" + language);
    assertRendered(anonymous, language, "/password/forgot");
    assertRendered(anonymous, language, "/password/reset?token=unknown");
    WebSession operator = new WebSession();
    operator.logIn(base(), "operator@herald.test", PASSWORD);
    operator.get(base() + "/operator?lang=" + language);
    assertRendered(operator, language, "/operator");
    assertRendered(operator, language, "/operator/companies/new");
    assertRendered(operator, language, "/operator/companies/" + demoCompanyId());
    // Billing (issue 9): the demo's Québec company on monthly blocks has its first invoice.
    var invoice =
        jdbc.sql("SELECT tenant_id, id FROM billing_invoice ORDER BY number LIMIT 1")
            .query((rs, n) -> List.of(rs.getString(1), rs.getString(2)))
            .single();
    for (String path :
        List.of(
            "/operator/billing",
            "/operator/billing/pricing",
            "/operator/billing/invoices",
            "/operator/billing/companies/" + invoice.get(0),
            "/operator/billing/invoices/" + invoice.get(0) + "/" + invoice.get(1),
            "/operator/billing/invoices/" + invoice.get(0) + "/" + invoice.get(1) + "/paid")) {
      assertRendered(operator, language, path);
    }
    WebSession quebec = new WebSession();
    quebec.logIn(base(), "owner@quebec.demo.herald.test", PASSWORD);
    quebec.get(base() + "/?lang=" + language);
    assertRendered(quebec, language, "/settings/billing");
    assertRendered(quebec, language, "/settings/billing/stop");
    assertRendered(quebec, language, "/settings/billing/invoices/" + invoice.get(1));
  }
}
