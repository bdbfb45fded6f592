package dev.herald.notification;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.support.Api;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SendingMessageBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies testCompanies;

  @Test
  void writes_a_message_with_an_emoji_sends_it_and_sees_it_sent_and_in_the_mail_sink() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String contactId =
        new Api(port, company.apiKey())
            .post(
                "/api/v1/contacts",
                """
                {"name": "Mette Modtager", "emails": ["mette@example.dk"],
                 "phones": [{"type": "MOBILE", "number": "+4520123480"}], "preferences": {"email": true, "sms": true}}
                """)
            .body()
            .get("id")
            .asString();
    String base = "http://localhost:" + port;
    page.navigate(base + "/login");
    page.getByLabel("E-mail").fill(company.ownerEmail());
    page.getByLabel("Password").fill(TestCompanies.PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();

    page.navigate(base + "/contacts/" + contactId);
    assertThat(page.locator("#compose .channels")).containsText("By SMS to +45");
    assertThat(page.locator("#compose .channels")).containsText("By e-mail to mette@example.dk");
    page.locator("#message-text").fill("Hej Mette, vi kommer i morgen kl. 9 😀");
    assertThat(page.locator(".sms-unicode-character")).hasText("😀");
    assertThat(page.locator(".sms-segments")).containsText("1 SMS of 10 allowed");
    assertThat(page.locator(".sms-encoding")).containsText("UCS-2");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/compose.png"))
            .setFullPage(true));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();

    assertThat(page.locator("#compose-result")).containsText("Sent to");
    assertThat(page.locator("#compose-result")).containsText("by SMS to +45 20 12 34 80 (1 SMS)");
    assertThat(page.locator("#message-text")).hasValue("");

    page.getByRole(
            AriaRole.LINK, new Page.GetByRoleOptions().setName("Sent messages").setExact(true))
        .first()
        .click();
    long deadline = System.currentTimeMillis() + 20_000;
    while (page.locator("table.messages .status-sent").count() < 2
        && System.currentTimeMillis() < deadline) {
      page.waitForTimeout(300);
      page.reload();
    }
    assertThat(page.locator("table.messages .status-sent")).hasCount(2);
    assertThat(page.locator("table.messages")).containsText("Hej Mette, vi kommer i morgen");
    assertThat(page.locator("table.messages")).not().containsText("20123480");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/sent-messages.png"))
            .setFullPage(true));

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Mail sink")).click();
    assertThat(page.locator("article.mail").first())
        .containsText("Hej Mette, vi kommer i morgen kl. 9 😀");
    // The contact speaks Danish, so the e-mail does too.
    assertThat(page.locator(".mail-subject").first())
        .containsText("En besked fra " + company.name());

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SMS simulator")).click();
    assertThat(page.locator("table.list")).containsText("Hej Mette, vi kommer i morgen kl. 9 😀");
  }
}
