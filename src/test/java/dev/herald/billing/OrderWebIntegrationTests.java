package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The buy flow (H3) over HTTP as a browser posts it: each step, its errors, the result pages. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderWebIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Pricing pricing;
  @Autowired Orders orders;
  @Autowired PaymentDriver payments;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession logIn(String email, String lang) throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), email, TestCompanies.PASSWORD);
    browser.get(base() + "/?lang=" + lang);
    return browser;
  }

  static String orderPath(HttpResponse<String> redirect) {
    String location = redirect.headers().firstValue("Location").orElseThrow();
    Matcher m = Pattern.compile("/settings/billing/orders/([0-9a-f-]{36})").matcher(location);
    assertThat(m.find()).as(location).isTrue();
    return "/settings/billing/orders/" + m.group(1);
  }

  /** Pack and details done: answers the order's path. */
  String upToTheMethod(WebSession owner, String method) throws Exception {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    HttpResponse<String> started =
        owner.submit(
            base() + "/settings/billing/buy",
            base() + "/settings/billing/buy",
            Map.of("pack", pack.id().toString()));
    assertThat(started.statusCode()).isEqualTo(302);
    String order = orderPath(started);
    owner.submit(
        base() + order + "/details",
        base() + order + "/details",
        Map.of(
            "name", "Salon Nord ApS",
            "address", "Nørregade 1, 8000 Aarhus",
            "country", "DK",
            "vatNumber", "DK 1234 5678",
            "email", "bill@nord.test"));
    HttpResponse<String> chosen =
        owner.submit(
            base() + order + "/method", base() + order + "/method", Map.of("method", method));
    assertThat(chosen.headers().firstValue("Location").orElseThrow()).endsWith(order + "/confirm");
    return order;
  }

  @Test
  void buying_a_pack_by_card_goes_from_the_billing_page_to_the_checkout_and_shows_the_new_balance()
      throws Exception {
    OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    WebSession owner = logIn(c.ownerEmail(), "en");
    assertThat(owner.get(base() + "/settings/billing").body())
        .contains("href=\"/settings/billing/buy\"")
        .doesNotContain("comes soon");

    String packs = owner.get(base() + "/settings/billing/buy").body();
    assertThat(packs).contains("Buy SMS plan").contains("1,237 SMS for");

    HttpResponse<String> noPack =
        owner.submit(base() + "/settings/billing/buy", base() + "/settings/billing/buy", Map.of());
    assertThat(noPack.statusCode()).isEqualTo(422);
    assertThat(noPack.body()).contains("Choose one of the packs listed.");

    HttpResponse<String> started =
        owner.submit(
            base() + "/settings/billing/buy",
            base() + "/settings/billing/buy",
            Map.of("pack", OrderFixtures.dkkPack(pricing).id().toString(), "price", "1"));
    String order = orderPath(started);

    // Every error at once, what was typed kept.
    HttpResponse<String> wrong =
        owner.submit(
            base() + order + "/details",
            base() + order + "/details",
            Map.of("name", "", "address", "", "country", "DE", "vatNumber", "DE12", "email", "x"));
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body())
        .contains("Enter the company name.")
        .contains("Enter the address.")
        .contains("This is not a VAT number in the country’s format (for example DE123456789).")
        .contains("Enter an e-mail address such as name@example.com.")
        .contains("value=\"DE12\"")
        .contains("value=\"DE\" selected");

    owner.submit(
        base() + order + "/details",
        base() + order + "/details",
        Map.of(
            "name", "Salon Nord ApS",
            "address", "Nørregade 1, 8000 Aarhus",
            "country", "DK",
            "vatNumber", "",
            "email", "bill@nord.test"));
    String methods = owner.get(base() + order + "/method").body();
    assertThat(methods)
        .contains("Apple Pay", "Google Pay", "Visa/MasterCard", "Bank transfer", "PayPal");
    owner.submit(base() + order + "/method", base() + order + "/method", Map.of("method", "CARD"));

    String confirm = owner.get(base() + order + "/confirm").body();
    assertThat(confirm).contains("Moms 25 %").containsPattern("Pay [^<]*500\\.00");

    HttpResponse<String> pay =
        owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());
    assertThat(pay.statusCode()).isEqualTo(302);
    // The fake's checkout page is the return URL; the real one is the provider's hosted page.
    String id = order.substring(order.lastIndexOf('/') + 1);
    assertThat(pay.headers().firstValue("Location").orElseThrow())
        .isEqualTo(
            payments.forReference(id).checkout() instanceof dev.herald.payment.Checkout.Redirect r
                ? r.url().toString()
                : "");
    assertThat(owner.get(base() + order).body()).contains("Waiting for your payment");

    payments.settle(payments.forReference(id).paymentId());

    String paid = owner.get(base() + order).body();
    assertThat(paid)
        .contains("Payment received")
        .contains("1,237 SMS were added to your credit.")
        .contains("1,237 SMS left")
        .contains("Download invoice");
    // Back to the steps after payment only shows the result.
    assertThat(
            owner.get(base() + order + "/confirm").headers().firstValue("Location").orElseThrow())
        .endsWith(order);
  }

  @Test
  void a_bank_transfer_shows_the_pending_page_with_bank_details_reference_and_date_in_danish()
      throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    WebSession owner = logIn(c.ownerEmail(), "da");
    String order = upToTheMethod(owner, "BANK_TRANSFER");
    assertThat(owner.get(base() + order + "/confirm").body())
        .contains("Bekræft din ordre")
        .containsPattern("Betal [^<]*500,00");
    HttpResponse<String> pay =
        owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());
    assertThat(pay.headers().firstValue("Location").orElseThrow()).endsWith(order);

    String pending = owner.get(base() + order).body();
    String id = order.substring(order.lastIndexOf('/') + 1);
    var bank = (dev.herald.payment.Checkout.BankTransfer) payments.forReference(id).checkout();
    assertThat(pending)
        .contains("Venter på din betaling")
        .contains("normalt 3-5 arbejdsdage")
        .contains(bank.creditorReference().replaceAll("(.{4})(?=.)", "$1 "))
        .contains("DK50 0040 0440 1162 43")
        .contains("Se faktura");
    assertThat(credits.balance(c.id())).isZero();
    // The open invoice shows where to pay and the reference.
    java.util.regex.Matcher invoice =
        Pattern.compile("href=\"(/settings/billing/invoices/[0-9a-f-]{36})\"").matcher(pending);
    assertThat(invoice.find()).isTrue();
    assertThat(owner.get(base() + invoice.group(1)).body())
        .contains("Betalingsreference (skriv den præcist): " + bank.creditorReference())
        .contains("IBAN: DK50 0040 0440 1162 43");
  }

  @Test
  void
      the_buyer_cancels_a_bank_transfer_order_after_a_confirmation_and_a_late_transfer_still_pays_it()
          throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    WebSession owner = logIn(c.ownerEmail(), "en");
    String order = upToTheMethod(owner, "BANK_TRANSFER");
    owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());
    String id = order.substring(order.lastIndexOf('/') + 1);
    var bank = (dev.herald.payment.Checkout.BankTransfer) payments.forReference(id).checkout();
    assertThat(owner.get(base() + order).body())
        .contains("id=\"order-cancel-transfer\"")
        .contains(order + "/cancel");

    String confirm = owner.get(base() + order + "/cancel").body();
    assertThat(confirm)
        .contains("Cancel this order of DKK500.00?")
        .contains("a transfer that still arrives pays the order");
    assertThat(orders.require(c.id(), UUID.fromString(id)).status())
        .as("the confirmation changes nothing")
        .isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);

    HttpResponse<String> cancelled =
        owner.submit(base() + order + "/cancel", base() + order + "/cancel", Map.of());
    assertThat(cancelled.statusCode()).isEqualTo(302);
    assertThat(owner.get(base() + "/settings/billing").body()).contains("The order was cancelled");
    SmsOrder closed = orders.require(c.id(), UUID.fromString(id));
    assertThat(closed.status()).isEqualTo(SmsOrder.Status.CANCELLED);
    assertThat(payments.cancelled()).contains(closed.paymentId());
    assertThat(owner.get(base() + order + "/cancel").headers().firstValue("Location").orElse(""))
        .as("nothing to cancel any more")
        .endsWith(order);

    // The buyer had sent the money after all: it still pays the order, once.
    payments.settle(closed.paymentId());
    assertThat(orders.require(c.id(), UUID.fromString(id)).status())
        .isEqualTo(SmsOrder.Status.PAID);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(bank.creditorReference()).isNotBlank();
  }

  @Test
  void a_failed_payment_says_why_and_trying_again_starts_a_new_order_with_the_details_kept()
      throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    WebSession owner = logIn(c.ownerEmail(), "en");
    String order = upToTheMethod(owner, "CARD");
    owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());
    String id = order.substring(order.lastIndexOf('/') + 1);
    payments.fail(payments.forReference(id).paymentId(), "declined");

    String failed = owner.get(base() + order).body();
    assertThat(failed)
        .contains("The payment did not go through")
        .contains("Your card or account declined the payment.");
    HttpResponse<String> retry = owner.submit(base() + order, base() + order + "/retry", Map.of());
    String again = orderPath(retry);
    assertThat(again).isNotEqualTo(order);
    assertThat(retry.headers().firstValue("Location").orElseThrow()).endsWith("/method");
    assertThat(owner.get(base() + again + "/details").body()).contains("value=\"DK12345678\"");
  }

  @Test
  void a_free_company_is_told_it_needs_a_premium_plan() throws Exception {
    TestCompany free = companies.aCompany("FR", "Europe/Paris", "fr", "FREE", false, false);
    WebSession owner = logIn(free.ownerEmail(), "fr");
    String page = owner.get(base() + "/settings/billing/buy").body();
    assertThat(page).contains("abonnement premium").doesNotContain("name=\"pack\"");
  }

  @Test
  void another_companys_order_is_not_found() throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    TestCompany other = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
    WebSession stranger = logIn(other.ownerEmail(), "en");
    assertThat(stranger.get(base() + "/settings/billing/orders/" + o.id()).statusCode())
        .isEqualTo(404);
  }
}
