package dev.herald.notification;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.support.Api;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A mass message on a phone: choose contacts, write, see what it uses, send (H2). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BulkMessageBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies testCompanies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;

  @Test
  void chooses_contacts_writes_sees_the_credit_it_uses_and_sends_at_390_pixels() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    accounts.choose(company.id(), "packs", "DKK");
    credits.grant(company.id(), 2, "browser-" + UUID.randomUUID(), "test");
    Api api = new Api(port, company.apiKey());
    for (int i = 1; i <= 3; i++) {
      api.post(
          "/api/v1/contacts",
          """
          {"name": "Kunde %d", "emails": ["kunde%d@example.dk"],
           "phones": [{"type": "MOBILE", "number": "+45201235%02d"}], "preferences": {"email": false, "sms": true}}
          """
              .formatted(i, i, i));
    }
    page.setViewportSize(390, 844);
    String base = "http://localhost:" + port;
    page.navigate(base + "/login");
    page.getByLabel("E-mail").fill(company.ownerEmail());
    page.getByLabel("Password").fill(TestCompanies.PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();

    page.navigate(base + "/contacts");
    for (int i = 1; i <= 3; i++) {
      page.getByLabel("Choose Kunde " + i).check();
    }
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/bulk-contacts-390.png"))
            .setFullPage(true));
    page.getByRole(
            AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Send a message to the chosen contacts"))
        .click();
    assertThat(page.locator("#bulk-recipients")).hasText("To 3 contacts.");
    page.locator("#bulk-text").fill("Vi kommer i morgen kl. 9");
    assertThat(page.locator(".sms-segments")).containsText("1 SMS");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("See what it will use"))
        .click();

    assertThat(page.locator("#bulk-sms")).hasText("3 SMS, using 3 SMS credits");
    assertThat(page.locator("#bulk-balance"))
        .hasText("You have 2 SMS credits; 0 are left after this message.");
    assertThat(page.locator("#bulk-fallbacks")).hasText("1 contact gets it by e-mail instead.");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/bulk-preview-390.png"))
            .setFullPage(true));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send to 3 contacts"))
        .click();
    assertThat(page.getByRole(AriaRole.STATUS)).containsText("4 messages queued.");
  }
}
