package dev.herald.contact;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContactsBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies testCompanies;

  void logIn(String email) {
    page.navigate("http://localhost:" + port + "/login");
    page.getByLabel("E-mail").fill(email);
    page.getByLabel("Password").fill(TestCompanies.PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    assertThat(page.locator("h1")).containsText("Welcome");
  }

  Locator field(String label) {
    return page.getByLabel(label, new Page.GetByLabelOptions().setExact(true));
  }

  @Test
  void creates_a_contact_with_a_danish_mobile_and_sms_and_finds_it_saved_after_reload() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    logIn(company.ownerEmail());
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Contacts")).click();
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New contact")).click();

    field("Name").fill("Mads Mobil");
    field("E-mail address 1").fill("mads@example.dk");
    field("Phone number 1").fill("20 12 34 56");
    page.getByLabel("SMS notifications").check();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();

    assertThat(page.locator(".notice")).hasText("Mads Mobil was saved.");
    page.reload();
    assertThat(field("Name")).hasValue("Mads Mobil");
    assertThat(field("Phone number 1")).hasValue("+45 20 12 34 56");
    assertThat(page.getByLabel("SMS notifications")).isChecked();
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/contact-saved.png"))
            .setFullPage(true));

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to contacts")).click();
    assertThat(page.locator("table.list")).containsText("Mads Mobil");
    assertThat(page.locator("table.list")).containsText("+45 20 12 34 56 (Mobile)");
  }

  @Test
  void a_bad_number_shows_its_error_and_keeps_what_was_typed() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    logIn(company.ownerEmail());
    page.navigate("http://localhost:" + port + "/contacts/new");

    field("Name").fill("Fanny Fastnet");
    field("E-mail address 1").fill("fanny@example.fr");
    field("Phone number 1").fill("+33 1 42 68 53 00");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();

    assertThat(page.locator(".field-error"))
        .containsText("+33 1 42 68 53 00 is a landline, not a mobile number");
    assertThat(field("Name")).hasValue("Fanny Fastnet");
    assertThat(field("E-mail address 1")).hasValue("fanny@example.fr");
    assertThat(field("Phone number 1")).hasValue("+33 1 42 68 53 00");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/contact-error.png"))
            .setFullPage(true));

    page.getByLabel("Type of phone number 1").selectOption("WORK");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
    assertThat(page.locator(".notice")).hasText("Fanny Fastnet was saved.");
  }

  @Test
  void after_the_company_toggle_a_new_contact_comes_pre_ticked() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    logIn(company.ownerEmail());
    page.navigate("http://localhost:" + port + "/contacts/new");
    assertThat(page.getByLabel("SMS notifications")).not().isChecked();

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Settings")).click();
    page.getByLabel("SMS notifications for new contacts").check();
    assertThat(page.locator(".notice"))
        .hasText("New contacts with a mobile number now get SMS notifications.");
    assertThat(page.getByLabel("SMS notifications for new contacts")).isChecked();

    page.navigate("http://localhost:" + port + "/contacts/new");
    assertThat(page.getByLabel("SMS notifications")).isChecked();
    field("Name").fill("Ticked By Default");
    field("Phone number 1").fill("31 23 45 67");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
    assertThat(page.locator(".notice")).hasText("Ticked By Default was saved.");
    assertThat(page.getByLabel("SMS notifications")).isChecked();
  }

  @Test
  void searching_narrows_the_list() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    logIn(company.ownerEmail());
    for (String name : new String[] {"Alma Andersen", "Bent Berg"}) {
      page.navigate("http://localhost:" + port + "/contacts/new");
      field("Name").fill(name);
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
    }
    page.navigate("http://localhost:" + port + "/contacts");
    page.getByPlaceholder("Name, e-mail or phone number").fill("bent");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
    assertThat(page.locator("table.list tbody tr")).hasCount(1);
    assertThat(page.locator("table.list")).containsText("Bent Berg");
    assertThat(page.url()).contains("q=bent");
  }
}
