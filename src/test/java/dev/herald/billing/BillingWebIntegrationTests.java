package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnBlocks;
import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
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
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BillingWebIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Invoices invoices;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession logIn(String email) throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), email, TestCompanies.PASSWORD);
    browser.get(base() + "/?lang=en");
    return browser;
  }

  WebSession operator() throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    browser.get(base() + "/operator?lang=en");
    return browser;
  }

  void use(TestCompany c, int units) {
    tx.execute(s ->
        credits.reserve(
            c.id(),
            UUID.randomUUID().toString(),
            List.of(new CreditRequest(UUID.randomUUID(), units))));
  }

  @Test
  void the_billing_page_on_packs_shows_the_balance_and_keeps_the_threshold_rule() throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 120);
    WebSession owner = logIn(c.ownerEmail());

    String page = owner.get(base() + "/settings/billing").body();
    assertThat(page).contains("Prepaid SMS packs").contains("120 SMS left");
    assertThat(page).contains("Enter a whole number from 0 to 1,000,000.");

    HttpResponse<String> wrong =
        owner.submit(
            base() + "/settings/billing",
            base() + "/settings/billing/threshold",
            Map.of("threshold", "-3"));
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body()).contains("field-error").contains("value=\"-3\"");

    HttpResponse<String> right =
        owner.submit(
            base() + "/settings/billing",
            base() + "/settings/billing/threshold",
            Map.of("threshold", "130"));
    assertThat(right.statusCode()).isEqualTo(302);
    assertThat(accounts.find(c.id()).orElseThrow().lowCreditThreshold()).isEqualTo(130);
    assertThat(owner.get(base() + "/").body())
        .contains("credit-banner")
        .contains("Your SMS credit is low: 120 SMS left.");
  }

  @Test
  void billing_details_show_every_error_at_once() throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    WebSession owner = logIn(c.ownerEmail());

    HttpResponse<String> wrong =
        owner.submit(
            base() + "/settings/billing",
            base() + "/settings/billing/buyer",
            Map.of(
                "buyerName", "Nordlys",
                "buyerAddress", "x".repeat(501),
                "buyerSubdivision", "CA-QC",
                "buyerVatNumber", "D"));

    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body())
        .contains("At most 500 characters.")
        .contains("Enter a region code of your country, such as DK-QC.")
        .contains("Between 2 and 40 characters.");
  }

  @Test
  void a_company_asks_for_sms_the_operator_unlocks_and_the_invoice_is_a_page_and_a_pdf()
      throws Exception {
    TestCompany c = aCompanyOnBlocks(companies, accounts);
    WebSession owner = logIn(c.ownerEmail());

    assertThat(owner.get(base() + "/settings/billing/request").body())
        .contains("The first block (CA$25.00) is invoiced when SMS is unlocked.");
    HttpResponse<String> asked =
        owner.submit(
            base() + "/settings/billing/request", base() + "/settings/billing/request", Map.of());
    assertThat(asked.statusCode()).isEqualTo(302);
    assertThat(owner.get(base() + "/settings/billing").body()).contains("request-sent");

    WebSession operator = operator();
    String overview = operator.get(base() + "/operator/billing").body();
    assertThat(overview).contains("data-company=\"" + c.name() + "\"").contains("Not issued");
    HttpResponse<String> unlocked =
        operator.submit(
            base() + "/operator/billing",
            base() + "/operator/billing/companies/" + c.id() + "/unlock",
            Map.of());
    assertThat(unlocked.statusCode()).isEqualTo(302);

    tx.execute(
        s -> credits.reserve(c.id(), "k1", List.of(new CreditRequest(UUID.randomUUID(), 3))));
    String page = owner.get(base() + "/settings/billing").body();
    assertThat(page).contains("Monthly blocks").contains("usage-used");
    Invoice invoice = invoices.of(c.id()).getFirst();
    assertThat(page).contains(invoice.number());

    String invoicePage = owner.get(base() + "/settings/billing/invoices/" + invoice.id()).body();
    assertThat(invoicePage).contains(invoice.number()).contains("SMS block of 500 SMS");
    HttpResponse<String> pdf =
        owner.get(base() + "/settings/billing/invoices/" + invoice.id() + "/pdf", "*/*");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");

    TestCompany other = aCompanyOnPacks(companies, accounts, credits, 0);
    WebSession stranger = logIn(other.ownerEmail());
    assertThat(stranger.get(base() + "/settings/billing/invoices/" + invoice.id()).statusCode())
        .isEqualTo(404);
    assertThat(
            stranger
                .get(base() + "/settings/billing/invoices/" + invoice.id() + "/pdf", "*/*")
                .statusCode())
        .isEqualTo(404);

    // The operator records the payment, after a confirmation page.
    String confirm =
        operator
            .get(base() + "/operator/billing/invoices/" + c.id() + "/" + invoice.id() + "/paid")
            .body();
    assertThat(confirm).contains("Record the payment of invoice " + invoice.number() + "?");
    operator.submit(
        base() + "/operator/billing/invoices/" + c.id() + "/" + invoice.id() + "/paid",
        base() + "/operator/billing/invoices/" + c.id() + "/" + invoice.id() + "/paid",
        Map.of());
    assertThat(invoices.require(c.id(), invoice.id()).status()).isEqualTo("paid");
    assertThat(operator.get(base() + "/operator/billing/invoices?status=paid").body())
        .contains("data-invoice=\"" + invoice.number() + "\"");
  }

  @Test
  void the_operator_runs_billing_and_sees_the_run_with_what_it_produced() throws Exception {
    WebSession operator = operator();
    String before = operator.get(base() + "/operator/billing").body();
    int runsBefore = before.split("class=\"run-row\"", -1).length - 1;
    HttpResponse<String> ran =
        operator.submit(base() + "/operator/billing", base() + "/operator/billing/run", Map.of());
    assertThat(ran.statusCode()).isEqualTo(302);
    String after = operator.get(base() + "/operator/billing").body();
    assertThat(after.split("class=\"run-row\"", -1).length - 1)
        .as("the run is listed")
        .isEqualTo(Math.min(runsBefore + 1, 30)); // the page lists the last 30
    assertThat(after).containsPattern("(No invoice|\\d+ invoices?) for (no company|\\d+ compan)");
  }

  @Test
  void the_operator_gives_credit_after_a_confirmation_and_sees_it_on_the_companies_page()
      throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    WebSession operator = operator();

    String confirm =
        operator
            .get(base() + "/operator/billing/companies/" + c.id() + "/grant?units=250&reason=gift")
            .body();
    assertThat(confirm).contains("Give 250 SMS of credit to this company?");
    Matcher key = Pattern.compile("name=\"key\" value=\"([^\"]+)\"").matcher(confirm);
    assertThat(key.find()).isTrue();
    Map<String, String> fields =
        Map.of(
            "units",
            "250",
            "reason",
            "gift",
            "key",
            key.group(1),
            "_csrf",
            WebSession.csrfToken(confirm));
    operator.postForm(base() + "/operator/billing/companies/" + c.id() + "/grant", fields);
    operator.postForm(base() + "/operator/billing/companies/" + c.id() + "/grant", fields);

    assertThat(credits.balance(c.id())).as("a double submit gives once").isEqualTo(250);
    assertThat(operator.get(base() + "/operator").body()).contains("250 SMS left");
  }

  @Test
  void the_operator_sees_every_pricing_error_at_once() throws Exception {
    WebSession operator = operator();

    HttpResponse<String> wrong =
        operator.submit(
            base() + "/operator/billing/pricing",
            base() + "/operator/billing/pricing/taxes",
            Map.of("taxRegion", "Québec", "taxName", "", "taxRate", "120"));

    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body())
        .contains("Enter a country (DK) or a region (CA-QC).")
        .contains("Enter a name of at most 40 characters.")
        .contains("Enter a percentage from 0 to 100, such as 9.975.");
    assertThat(operator.get(base() + "/operator/billing/pricing").body())
        .contains("data-region=\"CA-QC\"")
        .contains("9.975 %");
  }

  @Test
  void the_rest_api_tells_where_the_company_stands_and_hides_other_companies_invoices() {
    TestCompany packs = aCompanyOnPacks(companies, accounts, credits, 80);
    use(packs, 35);
    Api api = new Api(port, packs.apiKey());

    Api.Response sms = api.get("/api/v1/billing/sms");
    assertThat(sms.status()).isEqualTo(200);
    assertThat(sms.body().get("model").asText()).isEqualTo("packs");
    assertThat(sms.body().get("balance").asLong()).isEqualTo(45);
    assertThat(sms.body().get("lowCreditThreshold").asInt()).isEqualTo(50);
    assertThat(sms.body().get("lowCredit").asBoolean()).isTrue();

    TestCompany blocks = aCompanyOnBlocks(companies, accounts);
    Invoice invoice =
        invoices.issue(
            blocks.id(),
            "monthly",
            java.util.Currency.getInstance("CAD"),
            List.of(
                new Invoices.LineDraft(
                    "block",
                    1,
                    500,
                    dev.herald.shared.Money.of(2500, "CAD"),
                    java.time.LocalDate.of(2026, 1, 15),
                    java.time.LocalDate.of(2026, 2, 15))));
    Api blocksApi = new Api(port, blocks.apiKey());
    assertThat(blocksApi.get("/api/v1/billing/invoices").body().get(0).get("number").asText())
        .isEqualTo(invoice.number());
    Api.Response one = blocksApi.get("/api/v1/billing/invoices/" + invoice.id());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body().get("total").get("amount").asText()).isEqualTo("26.25");
    assertThat(one.body().get("lines").get(0).get("kind").asText()).isEqualTo("block");
    assertThat(blocksApi.get("/api/v1/billing/invoices/" + invoice.id() + "/pdf").status())
        .isEqualTo(200);

    assertThat(api.get("/api/v1/billing/invoices/" + invoice.id()).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/billing/invoices/" + invoice.id() + "/pdf").status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/billing/invoices").body()).isEmpty();
  }
}
