package dev.herald.operator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.herald.delivery.Channel;
import dev.herald.delivery.GatewayConsole;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.support.BrowserTestSupport;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * On a phone-sized screen in French, the operator adds an HTTP provider (WireMock stands in for
 * it), sees it up on the gateways page, a message routed to it goes through it, a number is
 * assigned to it, and its secrets are never in any page's HTML; the gateways, form and numbers
 * pages fit 390 px without scrolling sideways.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayConsoleBrowserTests extends BrowserTestSupport {

  static final WireMockServer PROVIDER =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().globalTemplating(true));

  static {
    PROVIDER.start();
    PROVIDER.stubFor(
        post(urlEqualTo("/v1/messages"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"id\":\"p-{{jsonPath request.body '$.reference'}}\"}")));
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.stop();
  }

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired OutboundMessages messages;
  @Autowired GatewayConsole console;

  static void fitsTheScreen(Page page) {
    Object width = page.evaluate("() => document.documentElement.scrollWidth");
    Object viewport = page.evaluate("() => window.innerWidth");
    assertThat(((Number) width).intValue())
        .as("no horizontal scroll on " + page.url())
        .isLessThanOrEqualTo(((Number) viewport).intValue());
  }

  void shoot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target/screenshots/" + name + ".png"))
            .setFullPage(true));
  }

  @Test
  void the_operator_adds_an_http_provider_on_a_phone_in_french_and_its_secret_never_shows() {
    String name = "fournisseur-" + UUID.randomUUID().toString().substring(0, 6);
    String apiKey = "ak_live_" + UUID.randomUUID().toString().replace("-", "");
    String webhookSecret = "whsec_" + UUID.randomUUID().toString().replace("-", "");
    TestCompany company = companies.aDanishCompany(true, true);
    String base = "http://localhost:" + port;
    Page phone = openPage(390, "fr-FR");
    phone.navigate(base + "/login");
    phone.getByLabel("Adresse e-mail").fill("operator@herald.test");
    phone.getByLabel("Mot de passe").fill("demo-password-for-tests");
    phone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Se connecter")).click();
    phone.waitForURL(url -> !url.contains("/login"));

    phone.navigate(base + "/operator/gateways");
    assertThat(phone.locator("#configured-gateways")).containsText("Défini par l’environnement");
    fitsTheScreen(phone);
    phone.locator("#add-gateway").getByText("Fournisseur HTTP").click();
    assertThat(phone.locator("#gateway-rules")).containsText("au moins 16 caractères");
    fitsTheScreen(phone);
    phone.getByLabel("Nom", new Page.GetByLabelOptions().setExact(true)).fill(name);
    phone.getByLabel("Adresse de l’API").fill(PROVIDER.baseUrl() + "/v1");
    phone.getByLabel("Clé d’API").fill(apiKey);
    phone.getByLabel("Secret des webhooks").fill("trop-court");
    phone.getByLabel("Limite de débit (messages par seconde)").fill("5");
    phone
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ajouter la passerelle"))
        .click();
    assertThat(phone.locator("#gateway-form")).containsText("Au moins 16 caractères.");
    assertThat(phone.getByLabel("Nom", new Page.GetByLabelOptions().setExact(true))).hasValue(name);
    assertThat(phone.getByLabel("Clé d’API")).hasValue(""); // a secret is never sent back
    assertThat(phone.content()).doesNotContain(apiKey).doesNotContain("trop-court");
    shoot(phone, "gateway-form-errors-fr-390");
    phone.getByLabel("Clé d’API").fill(apiKey);
    phone.getByLabel("Secret des webhooks").fill(webhookSecret);
    phone
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ajouter la passerelle"))
        .click();
    assertThat(phone.locator("p.notice").first()).containsText("Passerelle ajoutée");
    assertThat(phone.locator("tr[data-configured='" + name + "']")).containsText("5 par seconde");

    // up once a node reported it (every routing refresh)
    long deadline = System.currentTimeMillis() + 20_000;
    while (phone.locator("tr[data-gateway='" + name + "'][data-state='up']").count() == 0
        && System.currentTimeMillis() < deadline) {
      phone.waitForTimeout(500);
      phone.reload();
    }
    assertThat(phone.locator("tr[data-gateway='" + name + "']")).containsText("En service");
    shoot(phone, "gateways-fr-390");
    fitsTheScreen(phone);

    // a route to it, stored on the same page
    phone.locator("#company").selectOption(company.id().value().toString());
    phone.locator("#company-gateways").fill(name);
    phone
        .getByRole(
            AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Enregistrer la route de l’entreprise"))
        .click();
    assertThat(phone.locator("tr[data-route='company:" + company.id().value() + "']"))
        .containsText(name);
    UUID id =
        messages
            .enqueue(
                company.id(),
                List.of(
                    new OutboundDraft(
                        Channel.SMS,
                        null,
                        "+4528%06d"
                            .formatted(ThreadLocalRandom.current().nextInt(100_000, 999_999)),
                        null,
                        "Routé vers le fournisseur",
                        false)))
            .getFirst()
            .id();
    deadline = System.currentTimeMillis() + 20_000;
    while (messages.find(company.id(), id).orElseThrow().status() != MessageStatus.SENT
        && System.currentTimeMillis() < deadline) {
      phone.waitForTimeout(200);
    }
    assertThat(messages.find(company.id(), id).orElseThrow().status())
        .isEqualTo(MessageStatus.SENT);
    assertThat(PROVIDER.getAllServeEvents())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + apiKey);
          assertThat(e.getRequest().getBodyAsString()).contains("Routé vers le fournisseur");
        });

    // the form for a change says the secrets are set, and shows none of them
    phone.navigate(base + "/operator/gateways/config/" + name);
    assertThat(phone.locator(".secret-set")).hasCount(2);
    fitsTheScreen(phone);
    shoot(phone, "gateway-edit-fr-390");
    assertThat(phone.content()).doesNotContain(apiKey).doesNotContain(webhookSecret);

    // a number that goes by it
    String number = "+4532%06d".formatted(ThreadLocalRandom.current().nextInt(100_000, 999_999));
    phone.navigate(base + "/operator/numbers");
    phone.locator("#number").fill(number);
    phone.locator("#gateway").fill(name);
    phone.locator("#add-number button[type=submit]").click();
    assertThat(phone.locator("tr[data-number='" + number + "']")).containsText(name);
    shoot(phone, "numbers-fr-390");
    fitsTheScreen(phone);

    phone.navigate(base + "/operator/gateways");
    assertThat(phone.content()).doesNotContain(apiKey).doesNotContain(webhookSecret);
    console.removeCompanyRoute(company.id());
    console.removeGateway(name);
  }
}
