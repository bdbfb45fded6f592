package dev.herald.operator;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.OrderFixtures;
import dev.herald.billing.Orders;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsOrder;
import dev.herald.payment.Payee;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.ReferenceKind;
import dev.herald.shared.Money;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * On a phone in Danish, the operator finds a payment to refund from the billing overview, marks it
 * refunded after the confirmation, and sees it among the refunded ones; the pages fit 390 px.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RefundsBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Pricing pricing;
  @Autowired Orders orders;
  @Autowired PaymentDriver payments;

  void shoot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/" + name + ".png"))
            .setFullPage(true));
  }

  @Test
  void the_operator_marks_a_payment_refunded_on_a_phone_in_danish() {
    TestCompany c = companies.aDanishCompany(true, true);
    accounts.choose(c.id(), "packs", "DKK");
    SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon Syd", "Gade 1", "DK", "", "a@syd.test"));
    orders.chooseMethod(c.id(), o.id(), "CARD");
    orders.place(c.id(), o.id(), Locale.ENGLISH, URI.create("http://localhost/"));
    payments.settle(orders.require(c.id(), o.id()).paymentId());
    UUID second = UUID.randomUUID();
    payments.publishInTransaction(
        new PaymentSettled(
            second,
            c.id(),
            Payee.operator(),
            ReferenceKind.SMS_ORDER,
            o.id().toString(),
            Money.of(50000, "DKK"),
            PaymentMethod.CARD,
            Instant.now()));

    String base = "http://localhost:" + port;
    Page phone = openPage(390, "da-DK");
    phone.navigate(base + "/login");
    phone.getByLabel("E-mailadresse").fill("operator@herald.test");
    phone.getByLabel("Adgangskode").fill("demo-password-for-tests");
    phone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log ind")).click();
    phone.waitForURL(url -> !url.contains("/login"));

    phone.navigate(base + "/operator/billing");
    phone.locator("#refunds-waiting a").click();
    assertThat(phone.locator("h1")).hasText("Betalinger der skal refunderes");
    GatewayConsoleBrowserTests.fitsTheScreen(phone);
    shoot(phone, "refunds-da-390");
    phone.locator("tr[data-payment='" + second + "'] a.mark-refunded").click();
    assertThat(phone.locator("#confirm-text")).containsText("Herald sender dem ikke");
    GatewayConsoleBrowserTests.fitsTheScreen(phone);
    phone.locator("#confirm-button").click();

    assertThat(phone.locator("p.notice").first()).containsText("er markeret som refunderet");
    assertThat(phone.locator("#refunds-done tr[data-payment='" + second + "']"))
        .containsText("operator@herald.test");
    assertThat(phone.locator("#refunds-open tr[data-payment='" + second + "']")).hasCount(0);
    GatewayConsoleBrowserTests.fitsTheScreen(phone);
    shoot(phone, "refunds-done-da-390");
  }
}
