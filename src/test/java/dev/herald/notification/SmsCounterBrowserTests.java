package dev.herald.notification;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.support.BrowserTestSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmsCounterBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;

  @Test
  void owner_sees_the_counter_follow_the_text_and_applies_smart_encoding() {
    page.navigate("http://localhost:" + port + "/login");
    page.getByLabel("E-mail").fill("owner@demo.herald.test");
    page.getByLabel("Password").fill("demo-password-for-tests");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    assertThat(page.locator("h1")).hasText("Welcome, Mette Nordlys");

    page.navigate("http://localhost:" + port + "/settings/sms-text");
    assertThat(page.locator(".subnav a.current")).hasText("SMS text");
    Locator text = page.locator("#sms-try");
    Locator counter = page.locator("#sms-try-sms-counter");
    assertThat(counter.locator(".sms-segments")).hasText("0 SMS of 10 allowed");

    text.fill("a".repeat(160));
    assertThat(counter.locator(".sms-segments")).hasText("1 SMS of 10 allowed");
    assertThat(counter.locator(".sms-characters")).hasText("160 characters");
    text.press("End");
    text.press("b");
    assertThat(counter.locator(".sms-segments")).hasText("2 SMS of 10 allowed");
    assertThat(counter.locator(".sms-characters")).hasText("161 characters");
    assertThat(counter.locator(".sms-encoding")).hasText("GSM-7 (standard characters)");
    assertThat(counter.locator("mark")).hasCount(0);

    text.fill("Vi er klar i morgen 😀 prêt");
    assertThat(counter.locator(".sms-encoding")).hasText("UCS-2 (Unicode characters)");
    assertThat(counter.locator(".sms-highlight mark")).hasText(new String[] {"😀", "ê"});
    assertThat(counter.locator(".sms-highlight")).hasText("Vi er klar i morgen 😀 prêt");
    assertThat(counter.getByRole(AriaRole.BUTTON)).hasCount(0);

    text.fill("“Hej” – vi ses kl. 8…");
    assertThat(counter.locator(".sms-encoding")).hasText("UCS-2 (Unicode characters)");
    counter
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Use smart encoding"))
        .click();
    assertThat(text).hasValue("\"Hej\" - vi ses kl. 8...");
    assertThat(counter.locator(".sms-encoding")).hasText("GSM-7 (standard characters)");
    assertThat(counter.locator("mark")).hasCount(0);
    assertThat(counter.getByRole(AriaRole.BUTTON)).hasCount(0);

    // The smart-encoding switch of the form counts before it is saved.
    text.fill("“Hej”");
    assertThat(counter.locator(".sms-encoding")).hasText("UCS-2 (Unicode characters)");
    page.getByLabel("Smart encoding").check();
    assertThat(counter.locator(".sms-encoding")).hasText("GSM-7 (standard characters)");
    assertThat(counter.locator(".sms-smart-applied")).containsText("Smart encoding is on");
    assertThat(page).hasURL(Pattern.compile(".*/settings/sms-text$"));
  }
}
