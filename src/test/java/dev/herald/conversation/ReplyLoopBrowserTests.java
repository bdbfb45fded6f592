package dev.herald.conversation;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.contact.OptOuts;
import dev.herald.delivery.SenderNumbers;
import dev.herald.support.Api;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The embedded default's whole loop on a phone-sized screen: send from the contact's page, reply as
 * the customer on the simulator's page, see the notice and the thread, answer, then STOP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReplyLoopBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies testCompanies;
  @Autowired SenderNumbers numbers;
  @Autowired OptOuts optOuts;

  @Test
  void send_reply_as_the_customer_see_the_notice_and_the_thread_answer_then_stop() {
    TestCompany company =
        testCompanies.aCompany("DK", "Europe/Copenhagen", "en", "STANDARD", true, false);
    var own =
        numbers.add(
            "+4532%06d".formatted(ThreadLocalRandom.current().nextInt(100_000, 1_000_000)), "", "");
    numbers.assign(own.id(), company.id());
    String mobile = "+4521%06d".formatted(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
    String contactId =
        new Api(port, company.apiKey())
            .post(
                "/api/v1/contacts",
                """
                {"name": "Freja Svar", "language": "en",
                 "phones": [{"type": "MOBILE", "number": "%s"}], "preferences": {"email": false, "sms": true}}
                """
                    .formatted(mobile))
            .body()
            .get("id")
            .asString();
    Page phone = openPage(390, "en-GB");
    String base = "http://localhost:" + port;
    phone.navigate(base + "/login");
    phone.getByLabel("E-mail").fill(company.ownerEmail());
    phone.getByLabel("Password").fill(TestCompanies.PASSWORD);
    phone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();

    phone.navigate(base + "/contacts/" + contactId);
    assertThat(phone.locator("#compose .channels")).containsText("By SMS to +45");
    phone.locator("#message-text").fill("Can you come at 10 tomorrow?");
    phone
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send").setExact(true))
        .click();
    assertThat(phone.locator("#compose-result")).containsText("Sent to");

    phone.navigate(base + "/messages/simulator");
    Locator reply = phone.getByLabel("Reply as this customer").first();
    reloadUntil(phone, () -> reply.count() > 0);
    reply.fill("Yes, see you then");
    phone
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reply as this customer"))
        .first()
        .click();
    assertThat(phone.locator("p.notice").first()).containsText("Reply received");
    phone.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/simulator-reply-390.png"))
            .setFullPage(true));

    reloadUntil(phone, () -> phone.locator("#notices-bell .count").count() > 0);
    assertThat(phone.locator("#notices-bell .count")).hasText("1");
    phone.locator("#notices-bell").click();
    assertThat(phone.locator("ul.notices")).containsText("Freja Svar replied: Yes, see you then");
    phone
        .getByRole(
            AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Freja Svar replied: Yes, see you then"))
        .click();

    Locator thread = phone.locator("#conversation ol.thread");
    assertThat(thread).containsText("Can you come at 10 tomorrow?");
    assertThat(thread.locator("li.inbound")).containsText("Yes, see you then");
    assertThat(phone.locator("#notices-bell .count")).hasCount(0);
    phone.locator("#reply-text").fill("Perfect, thank you");
    phone
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reply").setExact(true))
        .click();
    assertThat(phone.locator("#conversation")).containsText("Your reply is on its way");
    assertThat(phone.locator("#conversation ol.thread li.outbound").last())
        .containsText("Perfect, thank you");
    phone.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/conversation-390.png"))
            .setFullPage(true));

    phone.navigate(base + "/messages/simulator");
    reply.fill("STOP");
    phone
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Reply as this customer"))
        .first()
        .click();
    long deadline = System.currentTimeMillis() + 15_000;
    while (!optOuts.isOptedOut(company.id(), mobile) && System.currentTimeMillis() < deadline) {
      phone.waitForTimeout(200);
    }
    phone.navigate(base + "/contacts/" + contactId);
    assertThat(phone.locator("#conversation")).containsText("replied STOP");
    assertThat(phone.locator("#reply-text")).hasCount(0);
  }

  private static void reloadUntil(Page page, java.util.function.BooleanSupplier done) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
      page.waitForTimeout(300);
      page.reload();
    }
  }
}
