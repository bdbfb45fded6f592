package dev.herald.billing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Companies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * In French at 390 px: a company on monthly blocks subscribes by card on the sandbox's hosted page,
 * sees SMS switched on and downloads its paid first invoice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MonthlyCheckoutBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Pricing pricing;
  @Autowired SmsSubscriptions subscriptions;
  @Autowired Invoices invoices;
  @Autowired Companies allCompanies;

  String base() {
    return "http://localhost:" + port;
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

  @Test
  void a_monthly_company_subscribes_by_card_in_french_and_sees_sms_on_and_its_paid_invoice()
      throws Exception {
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(true));
    try {
      TestCompany c = companies.aCompany("CA", "America/Toronto", "fr", "STANDARD", false, true);
      accounts.choose(c.id(), "blocks", "CAD");
      Pricing.BlockPrice block = pricing.block(java.util.Currency.getInstance("CAD"));

      openPage(390, "fr-CA");
      page.navigate(base() + "/login?lang=fr");
      page.locator("#username").fill(c.ownerEmail());
      page.locator("#password").fill(TestCompanies.PASSWORD);
      page.locator("form button[type=submit]").first().click();
      assertThat(page.locator(".mainnav")).isVisible();

      page.navigate(base() + "/settings/billing");
      page.locator("#subscribe-sms").click();
      assertThat(page.locator("#subscription-price"))
          .hasText(Pattern.compile("^" + block.size() + " SMS par mois pour .+"));
      assertThat(page.locator("#subscription-overage")).containsText("le mois suivant");
      assertThat(page.locator("#subscription-stop")).containsText("Arrêter les SMS");
      assertThat(page.locator("#packs-not-offered")).isVisible();
      shot("monthly-1-offer-fr-390");
      page.locator("#order-subscribe").click();

      page.locator("#name").fill("Salon Ouest inc.");
      page.locator("#address").fill("1 rue Saint-Paul\nMontréal QC");
      page.locator("#country").selectOption("CA");
      page.locator("#email").fill("compta@ouest.test");
      page.locator("#order-continue").click();

      page.locator("fieldset.choices label")
          .filter(new Locator.FilterOptions().setHasText("Visa/MasterCard"))
          .locator("input")
          .check();
      page.locator("#order-continue").click();

      assertThat(page.locator("#summary-subscription"))
          .hasText(block.size() + " SMS par mois, renouvelé chaque mois");
      shot("monthly-2-confirm-fr-390");
      page.locator("#order-pay").click();

      // The sandbox's hosted checkout page, paid with its test card.
      assertThat(page).hasURL(Pattern.compile(".*/pay/sandbox/[A-Za-z0-9_-]+$"));
      page.locator("#card").fill("4242 4242 4242 4242");
      page.locator("#expiry").fill("12/34");
      page.locator("#cvc").fill("123");
      page.locator("#name").fill("Salon Ouest");
      page.locator("#pay").click();

      assertThat(page).hasURL(Pattern.compile(".*/settings/billing/orders/[0-9a-f-]{36}$"));
      assertThat(page.locator("#order-result")).hasText("Paiement reçu");
      assertThat(page.locator("#subscription-on"))
          .hasText("Les SMS sont activés : " + block.size() + " SMS ce mois-ci.");
      shot("monthly-3-paid-fr-390");
      Download pdf = page.waitForDownload(() -> page.locator("#order-invoice-pdf").click());
      byte[] bytes = Files.readAllBytes(pdf.path());
      assertThat(new String(bytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");

      SmsSubscription s = subscriptions.find(c.id()).orElseThrow();
      assertThat(s.active()).isTrue();
      assertThat(invoices.require(c.id(), s.firstInvoiceId()).status()).isEqualTo("paid");
      assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();

      // The Billing page now shows this month's usage instead of the offer.
      page.navigate(base() + "/settings/billing");
      assertThat(page.locator("#usage")).isVisible();
      assertThat(page.locator("#subscribe-sms")).hasCount(0);
    } finally {
      pricing.updateSeller(seller);
    }
  }
}
