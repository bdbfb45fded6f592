package dev.herald.portal.web;

import static dev.herald.work.DocumentFixtures.aContact;
import static dev.herald.work.DocumentFixtures.aDocument;
import static dev.herald.work.DocumentFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * Paying an invoice in the portal (issue 11's payment step) through the sandbox, as a customer does
 * it over HTTP: the invoice becomes paid, the company is told, and no SMS credit moves.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "herald.payment.sandbox.async-delay=300ms")
class PortalPaymentIntegrationTests {

  static final Pattern LINK = Pattern.compile("http://localhost:\\d+(/p/[A-Za-z0-9_-]{22})");
  static final Pattern CHECKOUT = Pattern.compile("(/pay/sandbox/sbx_[0-9a-f]{32})");

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired JdbcClient jdbc;
  @Autowired PortalThrottle throttle;

  @BeforeEach
  void freshThrottle() {
    throttle.forgetAll();
  }

  String base() {
    return "http://localhost:" + port;
  }

  record Sent(TestCompany company, Api api, String invoice, String portal) {}

  /** A company on prepaid packs with credit, and an invoice e-mailed to its customer. */
  Sent anInvoiceSent(String language) {
    TestCompany company = companies.aDanishCompany(true, true);
    accounts.choose(company.id(), "packs", "DKK");
    credits.grant(company.id(), 250, "test-" + UUID.randomUUID(), "test credit");
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, "Dorte", language, "dorte@example.dk", null, false);
    String invoice = aDocument(api, "invoice", contact, "Havearbejde", "2026-12-30");
    String emailId = send(api, invoice).body().get("emailMessageId").asString();
    String body =
        jdbc.sql("SELECT body FROM outbound_message WHERE tenant_id = ? AND id = ?::uuid")
            .params(company.id().value(), emailId)
            .query(String.class)
            .single();
    Matcher m = LINK.matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return new Sent(company, api, invoice, m.group(1));
  }

  /** Opens the invoice in the portal and presses Pay: the sandbox's checkout path. */
  String pressPay(WebSession web, Sent sent) throws Exception {
    String page = base() + sent.portal() + "/d/" + sent.invoice();
    String html = web.get(page).body();
    assertThat(html).contains("id=\"pay\"");
    Matcher attempt = Pattern.compile("name=\"attempt\" value=\"([^\"]+)\"").matcher(html);
    assertThat(attempt.find()).isTrue();
    HttpResponse<String> pressed =
        web.submit(page, page + "/pay", Map.of("attempt", attempt.group(1)));
    assertThat(pressed.statusCode()).isEqualTo(302);
    String location = pressed.headers().firstValue("Location").orElseThrow();
    Matcher checkout = CHECKOUT.matcher(location);
    assertThat(checkout.find()).as(location).isTrue();
    return checkout.group(1);
  }

  long ledgerRows(TestCompany company) {
    return jdbc.sql("SELECT count(*) FROM credit_ledger WHERE tenant_id = ?")
        .param(company.id().value())
        .query(Long.class)
        .single();
  }

  String status(Sent sent) {
    return sent.api().get("/api/v1/documents/" + sent.invoice()).body().get("status").asString();
  }

  @Test
  void a_customer_pays_an_invoice_by_card_and_it_is_paid_with_no_sms_credit_moved()
      throws Exception {
    Sent sent = anInvoiceSent("en");
    long balance = credits.balance(sent.company().id());
    long ledger = ledgerRows(sent.company());
    WebSession web = new WebSession();
    String checkout = pressPay(web, sent);

    String page = web.get(base() + checkout).body();
    assertThat(page)
        .contains("Invoice INV-00001 from " + sent.company().name())
        .contains("562.50")
        .contains("4242 4242 4242 4242")
        .contains("Pay with Apple Pay")
        .contains("Pay with Google Pay");
    HttpResponse<String> paid =
        web.submit(
            base() + checkout,
            base() + checkout,
            Map.of(
                "card", "4242 4242 4242 4242", "expiry", "12/34", "cvc", "123", "name", "Dorte"));
    assertThat(paid.statusCode()).isEqualTo(302);
    String back = paid.headers().firstValue("Location").orElseThrow();
    assertThat(back).contains(sent.portal() + "/d/" + sent.invoice());

    assertThat(status(sent)).isEqualTo("paid");
    assertThat(web.get(back).body()).contains("Paid. Thank you!").doesNotContain("id=\"pay\"");
    assertThat(credits.balance(sent.company().id())).isEqualTo(balance);
    assertThat(ledgerRows(sent.company())).isEqualTo(ledger);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM outbound_message WHERE tenant_id = ? AND recipient = ? AND subject LIKE '%INV-00001 betalt online af Dorte'")
                .params(sent.company().id().value(), sent.company().ownerEmail())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    // ... and in the app: one notice linking to the invoice.
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM notice WHERE tenant_id = ? AND key = 'portal.notice.paid' AND link = ? AND args[2] = 'Dorte' AND read_at IS NULL")
                .params(sent.company().id().value(), "/documents/" + sent.invoice())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    // The checkout is closed now: paying again is not offered.
    assertThat(web.get(base() + checkout).body()).contains("This checkout is paid");
  }

  @Test
  void an_invoice_paid_twice_in_two_checkouts_tells_the_company_to_refund_one() throws Exception {
    Sent sent = anInvoiceSent("en");
    WebSession web = new WebSession();
    String first = pressPay(web, sent);
    String second = pressPay(web, sent);
    assertThat(second).isNotEqualTo(first);
    Map<String, String> card =
        Map.of("card", "4242 4242 4242 4242", "expiry", "12/34", "cvc", "123", "name", "Dorte");

    web.submit(base() + first, base() + first, card);
    web.submit(base() + second, base() + second, card);

    assertThat(status(sent)).isEqualTo("paid");
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM outbound_message WHERE tenant_id = ? AND recipient = ? AND subject LIKE '%INV-00001 betalt to gange%'")
                .params(sent.company().id().value(), sent.company().ownerEmail())
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void a_declined_card_leaves_the_invoice_unpaid_and_the_customer_may_try_again() throws Exception {
    Sent sent = anInvoiceSent("da");
    WebSession web = new WebSession();
    String checkout = pressPay(web, sent);
    assertThat(web.get(base() + checkout).body()).contains("Betal med Apple Pay");

    HttpResponse<String> declined =
        web.submit(
            base() + checkout,
            base() + checkout,
            Map.of("card", "4000000000000002", "expiry", "12/34", "cvc", "123", "name", "Dorte"));
    String back = declined.headers().firstValue("Location").orElseThrow();

    assertThat(status(sent)).isEqualTo("viewed");
    assertThat(web.get(back).body())
        .contains("Fakturaen er ikke betalt endnu")
        .contains("id=\"pay\"");
    String again = pressPay(web, sent);
    assertThat(again).isNotEqualTo(checkout);

    // The second try with Apple Pay (the wallet's own sheet confirms it in a browser).
    HttpResponse<String> wallet =
        web.submit(base() + again, base() + again, Map.of("wallet", "apple_pay"));
    assertThat(wallet.statusCode()).isEqualTo(302);
    assertThat(status(sent)).isEqualTo("paid");
    assertThat(
            jdbc.sql(
                    "SELECT string_agg(status, ',' ORDER BY created_at) FROM payment WHERE tenant_id = ? AND reference = ?")
                .params(sent.company().id().value(), sent.invoice())
                .query(String.class)
                .single())
        .isEqualTo("failed,settled");
  }

  @Test
  void a_card_that_needs_a_moment_pays_the_invoice_a_little_later() throws Exception {
    Sent sent = anInvoiceSent("fr");
    WebSession web = new WebSession();
    String checkout = pressPay(web, sent);

    web.submit(
        base() + checkout,
        base() + checkout,
        Map.of("card", "4000 0000 0000 3220", "expiry", "12/34", "cvc", "123", "name", "Dorte"));
    assertThat(web.get(base() + checkout).body())
        .contains("Votre paiement est en cours de traitement");
    await().atMost(Duration.ofSeconds(20)).until(() -> status(sent).equals("paid"));
  }

  @Test
  void the_checkout_form_shows_every_problem_at_once_and_an_unknown_card_says_which_work()
      throws Exception {
    Sent sent = anInvoiceSent("en");
    WebSession web = new WebSession();
    String checkout = pressPay(web, sent);

    HttpResponse<String> empty =
        web.submit(base() + checkout, base() + checkout, Map.of("card", "", "expiry", "13/20"));
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(empty.body())
        .contains("Type the card number: 12 to 19 digits.")
        .contains("Type the expiry as MM/YY, this month or later.")
        .contains("Type the 3 or 4 digits on the back of the card.")
        .contains("Type the name on the card, at most 100 characters.");
    HttpResponse<String> unknown =
        web.submit(
            base() + checkout,
            base() + checkout,
            Map.of("card", "5555 5555 5555 4444", "expiry", "12/34", "cvc", "123", "name", "D"));
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(unknown.body()).contains("This sandbox accepts only the test cards listed below.");
    assertThat(status(sent)).isEqualTo("viewed");
    assertThat(web.get(base() + "/pay/sandbox/sbx_" + "0".repeat(32)).statusCode()).isEqualTo(404);
  }
}
