package dev.herald.portal.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.herald.work.DocumentFixtures.aContact;
import static dev.herald.work.DocumentFixtures.aDocument;
import static dev.herald.work.DocumentFixtures.send;

import com.microsoft.playwright.Page;
import dev.herald.support.Api;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A Danish customer, on a phone, opens the invoice from the SMS the simulator recorded, pays it in
 * the sandbox by card and sees it paid; the company sees it paid in its list.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PortalPaymentBrowserTests extends BrowserTestSupport {

  static final Pattern LINK = Pattern.compile("http://localhost:\\d+/p/[A-Za-z0-9_-]{22}");

  @LocalServerPort int port;
  @Autowired TestCompanies companies;

  String base() {
    return "http://localhost:" + port;
  }

  void shot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/" + name + ".png"))
            .setFullPage(true));
  }

  @Test
  void a_customer_pays_an_invoice_in_the_sandbox_from_the_portal_and_sees_it_paid() {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, "Mette Betaler", "da", "mette@example.dk", "+4520123522", true);
    String invoice = aDocument(api, "invoice", contact, "Hækklipning", "2026-12-30");
    send(api, invoice);

    page.navigate(base() + "/login");
    page.locator("#username").fill(company.ownerEmail());
    page.locator("#password").fill(TestCompanies.PASSWORD);
    page.locator("form button[type=submit]").first().click();
    page.navigate(base() + "/messages/simulator");
    String text = page.locator("table.list .message-body").first().textContent();
    Matcher link = LINK.matcher(text);
    org.assertj.core.api.Assertions.assertThat(link.find()).as(text).isTrue();

    Page customer =
        page.context()
            .browser()
            .newContext(
                new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(390, 844))
            .newPage();
    customer.navigate(link.group());
    assertThat(customer.locator(".portal-pay")).containsText("Beløb: 562,50 kr.");
    customer.locator("#pay").click();

    assertThat(customer.locator("#amount")).containsText("562,50");
    assertThat(customer.locator("body")).containsText("Faktura INV-00001 fra " + company.name());
    assertThat(customer.locator("#pay-apple_pay")).isVisible();
    assertThat(customer.locator("#pay-google_pay")).isVisible();
    shot(customer, "sandbox-checkout-390");
    customer.locator("#card").fill("4242 4242 4242 4242");
    customer.locator("#expiry").fill("12/34");
    customer.locator("#cvc").fill("123");
    customer.locator("#name").fill("Mette Betaler");
    customer.locator("#pay").click();

    assertThat(customer.locator(".portal-paid")).containsText("Betalt. Tak!");
    assertThat(customer.locator("#pay")).hasCount(0);
    shot(customer, "portal-invoice-paid-390");
    customer.context().close();

    page.navigate(base() + "/documents");
    assertThat(page.locator("table.documents")).containsText("Paid");
  }
}
