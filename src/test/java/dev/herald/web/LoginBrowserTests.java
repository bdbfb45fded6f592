package dev.herald.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import dev.herald.support.BrowserTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LoginBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;

  @Test
  void owner_logs_in_switches_to_danish_and_logs_out() {
    page.navigate("http://localhost:" + port + "/");
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login$"));
    page.getByLabel("E-mail").fill("owner@demo.herald.test");
    page.getByLabel("Password").fill("demo-password-for-tests");
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new com.microsoft.playwright.Page.GetByRoleOptions().setName("Log in"))
        .click();

    assertThat(page.locator("h1")).hasText("Welcome, Mette Nordlys");
    assertThat(page.locator(".mainnav")).containsText("Dashboard");

    page.getByText("Dansk").click();
    assertThat(page.locator(".mainnav")).containsText("Overblik");
    assertThat(page.locator("h1")).hasText("Velkommen, Mette Nordlys");
    assertThat(page.locator("html")).hasAttribute("lang", "da");

    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new com.microsoft.playwright.Page.GetByRoleOptions().setName("Log ud"))
        .click();
    assertThat(page.locator(".notice")).hasText("Du er logget ud.");
  }
}
