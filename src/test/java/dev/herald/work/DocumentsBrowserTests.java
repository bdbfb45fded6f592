package dev.herald.work;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.herald.work.DocumentFixtures.aContact;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
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
 * A company writes an invoice and sends it by SMS and e-mail from the send window; the customer
 * opens the link from the simulator's record and the company sees it viewed. A French customer
 * approves a quote on a phone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DocumentsBrowserTests extends BrowserTestSupport {

  static final Pattern LINK = Pattern.compile("http://localhost:\\d+/p/[A-Za-z0-9_-]{22}");

  @LocalServerPort int port;
  @Autowired TestCompanies companies;

  String base() {
    return "http://localhost:" + port;
  }

  void logIn(Page page, TestCompany company) {
    page.navigate(base() + "/login");
    page.locator("#username").fill(company.ownerEmail());
    page.locator("#password").fill(TestCompanies.PASSWORD);
    page.locator("form button[type=submit]").first().click();
  }

  void shot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/" + name + ".png"))
            .setFullPage(true));
  }

  @Test
  void an_invoice_goes_out_by_sms_and_email_and_the_customer_opens_it_from_the_sms() {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    aContact(api, "Mette Modtager", "da", "mette@example.dk", "+4520123521", true);
    openPage(390, "en-GB");
    logIn(page, company);

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Quotes and invoices"))
        .first()
        .click();
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New invoice")).click();
    page.locator("#contactId")
        .selectOption(
            new com.microsoft.playwright.options.SelectOption().setLabel("Mette Modtager"));
    page.getByLabel("Line 1").fill("Hækklipning, forår");
    page.locator("#lines0\\.quantity").fill("3");
    page.locator("#lines0\\.unitPrice").fill("450,00");
    assertThat(page.locator("#lines0\\.taxRate")).hasValue("25");
    shot(page, "document-form-390");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save draft")).click();

    assertThat(page.locator("h1")).containsText("INV-00001");
    assertThat(page.locator(".sheet-total-amount")).containsText("1,687.50");
    page.locator("#send-document").click();

    assertThat(page.locator("#send-email")).isChecked();
    assertThat(page.locator("#send-sms")).isChecked();
    assertThat(page.locator("#sms-text"))
        .containsText("Hej Mette Modtager, " + company.name() + " har sendt dig faktura INV-00001");
    assertThat(page.locator(".sms-segments")).containsText("SMS of 10 allowed");
    assertThat(page.locator(".sms-preview-text")).containsText("/p/xxxxxxxxxxxxxxxxxxxxxx");
    shot(page, "send-window-390");
    page.locator("#send-button").click();

    assertThat(page.locator("#sent-notice")).containsText("Sent by e-mail and by SMS");
    assertThat(page.locator(".sheet-status")).containsText("Sent");

    page.navigate(base() + "/messages/simulator");
    assertThat(page.locator("table.list")).containsText("/p/");
    String text = page.locator("table.list .message-body").first().textContent();
    Matcher link = LINK.matcher(text);
    org.assertj.core.api.Assertions.assertThat(link.find()).as(text).isTrue();
    page.navigate(base() + "/messages/mail-sink");
    assertThat(page.locator(".mail-attachments").first()).containsText("INV-00001.pdf");

    // The customer, on their phone, with no session of the company.
    Page customer =
        page.context()
            .browser()
            .newContext(
                new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(390, 844))
            .newPage();
    customer.navigate(link.group());
    assertThat(customer.locator("h2.sheet-title")).containsText("Faktura INV-00001");
    assertThat(customer.locator(".portal-pay")).containsText("Beløb: 1.687,50 kr.");
    // The embedded default takes customers' payments in the sandbox: the invoice can be paid.
    assertThat(customer.locator("#pay")).isVisible();
    shot(customer, "portal-invoice-390");
    page.navigate(base() + "/documents");
    assertThat(page.locator("table.documents")).containsText("Viewed");

    // The customer pays it by card on the sandbox's checkout page ...
    customer.locator("#pay").click();
    assertThat(customer.locator("#amount")).containsText("1.687,50");
    customer.locator("#card").fill("4242 4242 4242 4242");
    customer.locator("#expiry").fill("12/34");
    customer.locator("#cvc").fill("123");
    customer.locator("#name").fill("Mette Modtager");
    customer.locator("#pay").click();
    assertThat(customer.locator(".portal-paid")).isVisible();
    customer.context().close();

    // ... and the company sees it paid.
    page.navigate(base() + "/documents");
    assertThat(page.locator("table.documents")).containsText("Paid");
  }

  @Test
  void a_french_customer_approves_a_quote() {
    TestCompany company = companies.aDanishCompany(true, true);
    Api api = new Api(port, company.apiKey());
    String contact = aContact(api, "Émilie Laurent", "fr", "emilie@example.fr", null, false);
    String quote =
        DocumentFixtures.aDocument(api, "quote", contact, "Taille de haies", "2026-12-30");
    var sent = DocumentFixtures.send(api, quote);
    openPage(390, "fr-FR");
    logIn(page, company);
    page.navigate(base() + "/messages/mail-sink");
    Matcher link = LINK.matcher(page.locator("article.mail .message-body").first().textContent());
    org.assertj.core.api.Assertions.assertThat(link.find()).isTrue();
    org.assertj.core.api.Assertions.assertThat(sent.body().get("emailMessageId").isNull())
        .isFalse();

    page.navigate(link.group());
    assertThat(page.locator(".portal-action h2")).containsText("Acceptez-vous le devis Q-00001");
    page.getByLabel("Commentaire (facultatif)").fill("D'accord, la semaine prochaine");
    shot(page, "portal-quote-fr-390");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Accepter")).click();
    assertThat(page.locator("#portal-answered"))
        .containsText("Merci : " + company.name() + " a votre accord.");
    assertThat(page.locator(".sheet-status")).containsText("Accepté");

    page.navigate(base() + "/documents/" + quote + "?lang=fr");
    assertThat(page.locator("#answer-notice")).containsText("Le client a accepté ce devis.");
    assertThat(page.locator("#answer-notice")).containsText("D'accord, la semaine prochaine");
    shot(page, "document-approved-fr-390");
  }
}
