package dev.herald.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.contact.ContactInput;
import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.contact.Contacts;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.ApiKeys;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A newcomer's first hour (issue 14), in Chromium, in English on a desktop (1280 px) and in Danish
 * on a phone (390 px). Texts are read from the bundles, so each run checks the translated page.
 * Screenshots of every step: target/screenshots/first-hour/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirstHourBrowserTests extends BrowserTestSupport {

  @LocalServerPort int port;
  @Autowired TestCompanies testCompanies;
  @Autowired Contacts contacts;
  @Autowired Companies companies;
  @Autowired ApiKeys apiKeys;
  @Autowired dev.herald.delivery.MailSink mailSink;
  @Autowired dev.herald.tenant.Users userRepository;

  private final IcuMessageSource messages = new IcuMessageSource("messages");
  private Locale locale;
  private String shotPrefix;
  private int shots;

  /** "en@1280" or "da@390": the language and the width of the window. */
  private void open(String setup, String scenario) {
    String[] parts = setup.split("@");
    locale = Locale.forLanguageTag(parts[0]);
    int width = Integer.parseInt(parts[1]);
    openPage(width, parts[0].equals("da") ? "da-DK" : "en-GB");
    shotPrefix = scenario + "-" + parts[0] + "-" + width;
    shots = 0;
  }

  private String t(String key, Object... args) {
    return messages.getMessage(key, args, locale);
  }

  private String base() {
    return "http://localhost:" + port;
  }

  private void shot(String step) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(
                Path.of(
                    "target/screenshots/first-hour/"
                        + shotPrefix
                        + "-"
                        + (++shots)
                        + "-"
                        + step
                        + ".png"))
            .setFullPage(true));
  }

  private Locator button(String name) {
    return page.getByRole(
        AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  private Locator field(String label) {
    return page.getByLabel(label, new Page.GetByLabelOptions().setExact(true));
  }

  private void logIn(String email, String password) {
    page.navigate(base() + "/login?lang=" + locale.getLanguage());
    field(t("login.email")).fill(email);
    field(t("login.password")).fill(password);
    button(t("login.submit")).click();
    assertThat(page).not().hasURL(Pattern.compile(".*/login.*"));
  }

  /** The page fits the window: nothing pushes it sideways (header, tables, forms). */
  private void fitsTheWindow() {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/first-hour/" + shotPrefix + "-last-checked.png"))
            .setFullPage(true));
    Object overflow =
        page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue())
        .as("horizontal overflow in px")
        .isLessThanOrEqualTo(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"en@1280", "da@390"})
  void a_french_number_typed_the_french_way_is_read_once_its_country_is_chosen(String setup) {
    open(setup, "french-contact");
    TestCompany company = testCompanies.aDanishCompany(true, false);
    logIn(company.ownerEmail(), TestCompanies.PASSWORD);
    page.navigate(base() + "/contacts/new");
    fitsTheWindow();

    field(t("contact.name")).fill("Émilie Laurent");
    field(t("contact.email.n", 1)).fill("emilie@example.fr");
    field(t("contact.phone.n", 1)).fill("06 12 34 56 78");
    button(t("form.save")).click();

    String france = Locale.of("", "FR").getDisplayCountry(locale);
    Locator error = page.locator(".phone-row .field-error").first();
    assertThat(error).containsText("+33");
    assertThat(error).containsText(france);
    assertThat(field(t("contact.name"))).hasValue("Émilie Laurent");
    assertThat(field(t("contact.phone.n", 1))).hasValue("06 12 34 56 78");
    shot("suggests-france");

    field(t("contact.phone.country.n", 1)).selectOption("FR");
    button(t("form.save")).click();
    assertThat(page.locator(".notice").first()).hasText(t("contacts.saved", "Émilie Laurent"));
    assertThat(field(t("contact.phone.n", 1))).hasValue("+33 6 12 34 56 78");
    assertThat(field(t("contact.phone.country.n", 1))).hasValue("FR");
    fitsTheWindow();
    shot("saved");

    page.navigate(base() + "/contacts");
    assertThat(page.locator("table.list")).containsText("+33 6 12 34 56 78");
    fitsTheWindow();
    shot("list");
  }

  @ParameterizedTest
  @ValueSource(strings = {"en@1280", "da@390"})
  void an_over_long_text_turns_send_off_keeps_the_text_and_a_sent_one_is_readable(String setup) {
    open(setup, "sending");
    TestCompany company = testCompanies.aDanishCompany(true, false);
    companies.updateSmsTextSettings(company.id(), false, 1);
    var contact =
        contacts.create(
            company.id(),
            new ContactInput(
                "Mette Mobil",
                "da",
                null,
                List.of("mette@example.dk"),
                List.of(new PhoneInput("MOBILE", "20 12 34 77")),
                true,
                true,
                true));
    logIn(company.ownerEmail(), TestCompanies.PASSWORD);
    page.navigate(base() + "/contacts/" + contact.id());
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(t("compose.action"))).click();

    Locator text = page.locator("#message-text");
    Locator send = button(t("compose.send"));
    String tooLong = "Vi kommer i morgen mellem 8 og 10 og slår græsset. ".repeat(5);
    text.fill(tooLong);
    assertThat(page.locator(".sms-segments.over")).isVisible();
    assertThat(send).isDisabled();
    assertThat(page.locator(".send-off-reason")).hasText(t("compose.sendDisabled.overCap"));
    assertThat(page.locator(".sms-problem")).hasText(t("sms.text.overCap", 2, 1));
    assertThat(text).hasValue(tooLong);
    fitsTheWindow();
    shot("over-the-cap");

    text.fill("Hej Mette, vi kommer i morgen kl. 9 😀");
    assertThat(send).isEnabled();
    assertThat(page.locator(".sms-plain")).containsText("😀");
    send.click();
    Locator result = page.locator("#compose-result");
    assertThat(result).containsText(t("compose.sentTo", "Mette Mobil"));
    assertThat(result).containsText("+45 20 12 34 77");
    assertThat(result).containsText("mette@example.dk");
    shot("sent");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(t("compose.follow"))).click();
    Locator rows = page.locator("table.messages tbody tr");
    assertThat(rows).hasCount(2);
    assertThat(rows.first()).containsText("Mette Mobil");
    assertThat(rows.first()).containsText("Hej Mette, vi kommer i morgen");
    assertThat(page.locator("table.messages")).containsText(t("channel.SMS"));
    assertThat(page.locator("table.messages")).not().containsText("UCS");
    fitsTheWindow();
    shot("sent-messages");

    page.locator("table.messages tbody tr", new Page.LocatorOptions().setHasText(t("channel.SMS")))
        .locator("a.excerpt")
        .click();
    assertThat(page.locator(".recipient")).hasText("+45 20 12 34 77");
    assertThat(page.locator("main")).not().containsText("UCS_2");
    assertThat(page.locator("main")).not().containsText("simulator");
    assertThat(page.locator("main")).containsText(t("messages.encoding.UCS_2"));
    fitsTheWindow();
    shot("message");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(t("nav.dashboard"))).click();
    assertThat(page.locator("#delivery-chart figcaption").first()).containsText("1");
    assertThat(page.locator("#delivery-chart rect")).not().hasCount(0);
    fitsTheWindow();
    shot("dashboard");
  }

  @ParameterizedTest
  @ValueSource(strings = {"en@1280", "da@390"})
  void a_new_api_key_is_shown_once_with_a_copy_button_and_a_reload_creates_no_second(String setup) {
    open(setup, "api-key");
    TestCompany company = testCompanies.aDanishCompany(true, false);
    logIn(company.ownerEmail(), TestCompanies.PASSWORD);
    page.navigate(base() + "/settings/api");
    field(t("apiKey.name")).fill("Webshop");
    button(t("apiKey.create")).click();
    assertThat(page.locator("#issued-secret")).containsText("hk_");
    assertThat(button(t("apiKey.copy"))).isVisible();
    fitsTheWindow();
    shot("shown-once");

    Response reload = page.reload();
    assertThat(reload.request().method()).isEqualTo("POST");
    assertThat(page.locator("#issued-secret")).hasCount(0);
    assertThat(page.locator("#already-created")).containsText("Webshop");
    shot("reloaded");
    assertThat(apiKeys.of(company.id()).stream().filter(k -> k.name().equals("Webshop")))
        .hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"en@1280", "da@390"})
  void an_operator_sees_all_three_errors_of_a_new_company_at_once(String setup) {
    open(setup, "new-company");
    logIn("operator@herald.test", "demo-password-for-tests");
    page.navigate(base() + "/operator/companies/new");
    field(t("company.name")).fill("Jardins d'Émilie");
    field(t("company.sender")).fill("Émilie!");
    field(t("user.name")).fill("Émilie Laurent");
    field(t("user.email")).fill("owner@demo.herald.test");
    field(t("user.password")).fill("short");
    button(t("operator.create")).click();

    Locator errors = page.locator(".field-error");
    assertThat(errors).hasCount(3);
    assertThat(errors)
        .containsText(
            new String[] {
              t("company.sender.invalid"),
              t("user.email.taken", "owner@demo.herald.test"),
              t("user.password.tooShort", 10)
            });
    assertThat(field(t("company.name"))).hasValue("Jardins d'Émilie");
    assertThat(field(t("user.email"))).hasValue("owner@demo.herald.test");
    assertThat(field(t("user.password"))).hasValue("");
    fitsTheWindow();
    shot("three-errors");
  }

  @ParameterizedTest
  @ValueSource(strings = {"en@1280", "da@390"})
  void a_staff_user_meets_a_403_inside_the_layout(String setup) {
    open(setup, "forbidden");
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String staff = testCompanies.aUser(company, Role.STAFF);
    logIn(staff, TestCompanies.PASSWORD);
    Response response = page.navigate(base() + "/settings/company");
    assertThat(response.status()).isEqualTo(403);
    assertThat(page.locator("h1")).hasText(t("error.heading.403"));
    assertThat(page.locator(".mainnav")).containsText(t("nav.contacts"));
    assertThat(button(t("nav.logout"))).isVisible();
    assertThat(page.locator(".langs a")).hasCount(3);
    fitsTheWindow();
    shot("forbidden");

    String other = locale.getLanguage().equals("da") ? "en" : "da";
    page.locator(".langs a[hreflang=" + other + "]").click();
    Locale before = locale;
    locale = Locale.forLanguageTag(other);
    assertThat(page.locator("h1")).hasText(t("error.heading.403"));
    locale = before;
    shot("forbidden-other-language");
  }

  @ParameterizedTest
  @ValueSource(strings = {"en@1280", "da@390"})
  void a_forgotten_password_is_reset_through_the_link_in_the_mail_sink(String setup) {
    open(setup, "password-reset");
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String staff = testCompanies.aUser(company, Role.STAFF);
    page.navigate(base() + "/login?lang=" + locale.getLanguage());
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(t("login.forgot"))).click();
    field(t("login.email")).fill(staff);
    button(t("passwordReset.send")).click();
    assertThat(page.locator(".notice")).hasText(t("passwordReset.sent", 60));
    fitsTheWindow();
    shot("link-sent");

    String link =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .until(
                () ->
                    mailSink.of(company.id(), 0, 10).items().stream()
                        .filter(m -> m.recipient().equalsIgnoreCase(staff))
                        .map(m -> m.body())
                        .findFirst(),
                java.util.Optional::isPresent)
            .map(body -> body.lines().filter(l -> l.contains("/password/reset?token=")).findFirst())
            .orElseThrow()
            .orElseThrow()
            .strip();
    assertThat(link).startsWith(base() + "/password/reset?token=");

    page.navigate(link);
    field(t("account.password.new")).fill("a new garden password");
    field(t("account.password.repeat")).fill("a new garden password");
    shot("new-password");
    button(t("passwordReset.new.save")).click();
    assertThat(page.locator(".notice")).hasText(t("passwordReset.done"));

    logIn(staff, "a new garden password");
    assertThat(page.locator("h1")).hasText(t("dashboard.welcome", "STAFF user"));

    page.navigate(link);
    assertThat(page.locator(".notice.error")).hasText(t("passwordReset.expired"));
    fitsTheWindow();
    shot("link-used");
  }

  @org.junit.jupiter.api.Test
  void every_page_fits_a_phone_and_marks_where_it_is_in_the_menu() {
    open("da@390", "phone-tour");
    logIn("owner@demo.herald.test", "demo-password-for-tests");
    String contact =
        contacts.search(companyOfDemo(), "Anders", 0, 1).items().get(0).id().toString();
    java.util.Map<String, String> pages = new java.util.LinkedHashMap<>();
    pages.put("/", "nav.dashboard");
    pages.put("/contacts", "nav.contacts");
    pages.put("/contacts/" + contact, "nav.contacts");
    pages.put("/messages", "nav.messages");
    pages.put("/messages/simulator", "nav.messages");
    pages.put("/messages/mail-sink", "nav.messages");
    pages.put("/settings/company", "nav.settings");
    pages.put("/settings/users", "nav.settings");
    pages.put("/settings/api", "nav.settings");
    pages.put("/settings/sms-text", "nav.settings");
    pages.put("/account", null);
    for (var entry : pages.entrySet()) {
      page.navigate(base() + entry.getKey());
      if (entry.getValue() != null) {
        assertThat(page.locator(".mainnav a[aria-current=page]")).hasText(t(entry.getValue()));
      }
      fitsTheWindow();
      shot(entry.getKey().replaceAll("[^a-z]+", "-"));
    }
    logIn("operator@herald.test", "demo-password-for-tests");
    page.navigate(base() + "/operator/companies/" + companyOfDemo());
    assertThat(page.locator(".mainnav a[aria-current=page]")).hasText(t("nav.operator"));
    assertThat(page.locator("#company-contacts")).not().hasText("0");
    fitsTheWindow();
    shot("operator-company");
  }

  @ParameterizedTest
  @ValueSource(strings = {"en@1280", "da@390"})
  void the_operator_confirms_before_locking_sms_or_changing_a_plan(String setup) {
    open(setup, "operator-actions");
    TestCompany company = testCompanies.aDanishCompany(true, false);
    logIn("operator@herald.test", "demo-password-for-tests");
    page.navigate(base() + "/operator");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(company.name())).click();
    fitsTheWindow();
    shot("company-page");

    java.util.List<String> asked = new java.util.ArrayList<>();
    page.onceDialog(dialog -> {
      asked.add(dialog.message());
      dialog.dismiss();
    });
    button(t("operator.sms.lock")).click();
    assertThat(asked).containsExactly(t("operator.sms.lock.confirm", company.name()));
    assertThat(companies.find(company.id()).orElseThrow().smsUnlocked())
        .as("dismissed: nothing changed")
        .isTrue();

    page.onceDialog(dialog -> dialog.accept());
    button(t("operator.sms.lock")).click();
    assertThat(page.locator(".notice")).hasText(t("operator.sms.nowLocked", company.name()));
    assertThat(companies.find(company.id()).orElseThrow().smsUnlocked()).isFalse();

    page.getByLabel(t("dashboard.plan"), new Page.GetByLabelOptions().setExact(true))
        .selectOption("PRO");
    page.onceDialog(dialog -> {
      asked.add(dialog.message());
      dialog.accept();
    });
    button(t("operator.plan.change")).click();
    assertThat(page.locator(".notice"))
        .hasText(t("operator.plan.now", company.name(), t("plan.PRO")));
    assertThat(asked).last().isEqualTo(t("operator.plan.confirm", company.name()));
    fitsTheWindow();
    shot("plan-changed");
  }

  dev.herald.shared.TenantId companyOfDemo() {
    return userRepository.findByEmail("owner@demo.herald.test").orElseThrow().tenantId();
  }
}
