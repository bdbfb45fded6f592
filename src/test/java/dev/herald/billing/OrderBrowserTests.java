package dev.herald.billing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The buy flow (H3) in Chromium at 390 px: up to the checkout's redirect, then the payment through
 * the fake payments (to be switched to the sandbox's hosted page, card 4242 4242 4242 4242, when
 * the payment module lands), and the result pages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Pricing pricing;
  @Autowired PaymentDriver payments;
  @Autowired TransactionTemplate tx;

  String base() {
    return "http://localhost:" + port;
  }

  void logIn(String email, String lang) {
    page.navigate(base() + "/login?lang=" + lang);
    page.locator("#username").fill(email);
    page.locator("#password")
        .fill(email.startsWith("operator") ? "demo-password-for-tests" : TestCompanies.PASSWORD);
    page.locator("form button[type=submit]").first().click();
    assertThat(page.locator(".mainnav")).isVisible();
  }

  void shot(String name) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/" + name + ".png"))
            .setFullPage(true));
    Object width = page.evaluate("document.documentElement.scrollWidth");
    assertThat(((Number) width).intValue())
        .as(name + ": no sideways scrolling")
        .isLessThanOrEqualTo(390);
  }

  void choice(String text) {
    page.locator("fieldset.choices label")
        .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(text))
        .locator("input")
        .check();
  }

  void click(String name) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name)).click();
  }

  @Test
  void buying_a_pack_by_card_at_390_pixels_shows_the_new_balance_and_the_invoice_pdf()
      throws Exception {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    openPage(390, "en-GB");
    logIn(c.ownerEmail(), "en");
    page.navigate(base() + "/settings/billing");
    page.getByRole(
            AriaRole.LINK, new Page.GetByRoleOptions().setName("Buy SMS plan").setExact(true))
        .first()
        .click();

    assertThat(page.locator("h1")).hasText("Buy SMS plan");
    choice("1,237 SMS for");
    shot("order-1-packs-390");
    click("Continue");

    assertThat(page.locator("h1")).hasText("Billing details");
    page.getByLabel("Company name").fill("");
    page.getByLabel("VAT number (optional)").fill("DK12");
    click("Continue");
    // All errors at once, what was typed kept.
    assertThat(page.locator(".field-error")).hasCount(4);
    assertThat(page.getByLabel("VAT number (optional)")).hasValue("DK12");
    shot("order-2-details-errors-390");
    page.getByLabel("Company name").fill("Salon Nord ApS");
    page.getByLabel("Address").fill("Nørregade 1\n8000 Aarhus C");
    page.getByLabel("Country").selectOption("DK");
    page.getByLabel("VAT number (optional)").fill("DK 1234 5678");
    page.getByLabel("Billing e-mail").fill("bill@nord.test");
    click("Continue");

    assertThat(page.locator("h1")).hasText("Payment method");
    assertThat(page.locator("fieldset.choices label"))
        .hasText(
            new String[] {"Apple Pay", "Google Pay", "Visa/MasterCard", "Bank transfer", "PayPal"});
    choice("Visa/MasterCard");
    shot("order-3-method-390");
    click("Continue");

    assertThat(page.locator("h1")).hasText("Confirm your order");
    assertThat(page.locator("#summary-total")).hasText("DKK500.00");
    assertThat(page.locator("#summary-buyer")).containsText("DK12345678");
    shot("order-4-confirm-390");
    click("Pay DKK500.00");

    // The sandbox's hosted checkout page: the amount, the wallets, the card form.
    assertThat(page).hasURL(Pattern.compile(".*/pay/sandbox/[A-Za-z0-9_-]+$"));
    assertThat(page.locator("#amount")).containsText("500.00");
    assertThat(page.locator("#pay-apple_pay")).isVisible();
    shot("order-5-sandbox-390");
    page.locator("#card").fill("4242 4242 4242 4242");
    page.locator("#expiry").fill("12/34");
    page.locator("#cvc").fill("123");
    page.locator("#name").fill("Salon Nord");
    page.locator("#pay").click();

    // Back on the order's result page, paid by the sandbox's signed event through the webhook.
    assertThat(page).hasURL(Pattern.compile(".*/settings/billing/orders/[0-9a-f-]{36}$"));
    String orderId = page.url().substring(page.url().lastIndexOf('/') + 1);
    var started = payments.forReference(orderId);
    assertThat(started.amount().minorUnits()).isEqualTo(50000);
    assertThat(started.returnUrl().toString()).isEqualTo(page.url());
    assertThat(page.locator("#order-result")).hasText("Payment received");
    assertThat(page.locator("#order-balance")).hasText("1,237 SMS left");
    shot("order-6-paid-390");
    Download pdf = page.waitForDownload(() -> page.locator("#order-invoice-pdf").click());
    byte[] bytes = Files.readAllBytes(pdf.path());
    assertThat(new String(bytes, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("%PDF-");
    assertThat(pack.sms()).isEqualTo(OrderFixtures.SMS);
  }

  @Test
  void in_danish_the_used_up_popup_leads_to_a_bank_transfer_that_the_operator_records() {
    OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 20);
    tx.execute(s ->
        credits.reserve(
            c.id(),
            UUID.randomUUID().toString(),
            List.of(new CreditRequest(UUID.randomUUID(), 20))));
    openPage(390, "da-DK");
    logIn(c.ownerEmail(), "da");

    assertThat(page.locator("#credit-popup")).isVisible();
    page.locator("#credit-popup-buy").click();
    assertThat(page.locator("h1")).hasText("Køb SMS-plan");
    choice("1.237 SMS til");
    click("Fortsæt");
    assertThat(page.locator("h1")).hasText("Faktureringsoplysninger");
    page.getByLabel("Adresse").fill("Vestergade 2, 8000 Aarhus C");
    page.getByLabel("Faktura-e-mail").fill("regnskab@salon.test");
    click("Fortsæt");
    choice("Bankoverførsel");
    click("Fortsæt");
    assertThat(page.locator("h1")).hasText("Bekræft din ordre");
    assertThat(page.locator("#confirm-text")).containsText("betalingsreference");
    page.locator("#order-pay").click();

    assertThat(page.locator("#order-result")).hasText("Venter på din betaling");
    assertThat(page.locator("#order-pending")).containsText("normalt 3-5 arbejdsdage");
    assertThat(page.locator("#bank-reference")).hasText(Pattern.compile("^RF\\d\\d .*"));
    String reference = page.locator("#bank-reference").textContent();
    String orderUrl = page.url();
    shot("order-pending-transfer-da-390");
    assertThat(credits.balance(c.id())).isZero();

    // The operator records the transfer on the console, after a confirmation.
    page.locator("form.logout button").click();
    logIn("operator@herald.test", "da");
    page.navigate(base() + "/operator/billing/transfers?lang=en");
    assertThat(page.locator("#expected-transfers")).containsText(reference.replace(" ", ""));
    page.getByLabel("Payment reference").fill(reference.toLowerCase());
    page.getByLabel("Amount").fill("500,00");
    page.getByLabel("Currency").selectOption("DKK");
    click("Continue");
    assertThat(page.locator("#confirm-text")).containsText("Record DKK500.00");
    page.locator("#confirm-button").click();
    assertThat(page.locator(".notice[role=status]")).containsText("the order is paid");
    page.locator("form.logout button").click();

    logIn(c.ownerEmail(), "da");
    page.navigate(orderUrl);
    assertThat(page.locator("#order-result")).hasText("Betaling modtaget");
    assertThat(page.locator("#order-balance")).hasText("1.237 SMS tilbage");
    shot("order-paid-da-390");
  }
}
