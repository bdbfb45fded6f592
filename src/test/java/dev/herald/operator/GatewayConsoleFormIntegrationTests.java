package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.GatewayConsole;
import dev.herald.support.TestCompanies;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's gateway form (issue 12, configuration): every mistake at once with what was typed
 * kept, secrets sealed in the database and never shown again, a blank secret keeping the stored
 * one, stale edits refused, names unique across the environment's and the console's gateways, and
 * removal asked first with what it touches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayConsoleFormIntegrationTests {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired GatewayConsole console;
  @Autowired TestCompanies companies;

  String base() {
    return "http://localhost:" + port;
  }

  static Map<String, String> httpForm(
      String name, String url, String rate, String apiKey, String webhookSecret) {
    Map<String, String> form = new HashMap<>();
    form.put("kind", "http");
    form.put("name", name);
    form.put("url", url);
    form.put("timeout", "");
    form.put("max-per-second", rate);
    form.put("secret.api-key", apiKey);
    form.put("secret.webhook-secret", webhookSecret);
    return form;
  }

  byte[] sealed(String name) {
    return jdbc.sql("SELECT secrets FROM gateway_config WHERE name = :name")
        .param("name", name)
        .query((rs, n) -> rs.getBytes(1))
        .single();
  }

  @Test
  void the_operator_adds_an_http_gateway_whose_secrets_are_sealed_and_never_shown_again()
      throws Exception {
    WebSession operator = new WebSession();
    operator.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    String page = base() + "/operator/gateways";
    String add = page + "/new";
    String name = "form-" + UUID.randomUUID().toString().substring(0, 8);
    String apiKey = "ak_live_" + UUID.randomUUID().toString().replace("-", "");
    String webhookSecret = "whsec_" + UUID.randomUUID().toString().replace("-", "");

    assertThat(operator.get(add + "?kind=http").body())
        .as("the rules are shown before they are broken")
        .contains("the webhook secret has at least 16 characters")
        .contains("never shown again");

    Map<String, String> wrong = httpForm("Bad Name!", "ftp://x", "0", "", "tooShortXyz");
    wrong.put("timeout", "999s");
    HttpResponse<String> refused = operator.submit(add + "?kind=http", add, wrong);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("Use 1 to 40 lowercase letters")
        .contains("Enter an http or https address.")
        .contains("more than 0 and at most 100000")
        .contains("Required.")
        .contains("At least 16 characters.")
        .contains("Enter a whole number from 1 to 120.")
        .as("what was typed is kept")
        .contains("value=\"Bad Name!\"", "value=\"ftp://x\"", "value=\"0\"")
        .as("a typed secret is never echoed")
        .doesNotContain("tooShortXyz");

    HttpResponse<String> taken =
        operator.submit(
            add + "?kind=http",
            add,
            httpForm("simulator", "http://127.0.0.1:9/v1", "20", apiKey, webhookSecret));
    assertThat(taken.statusCode()).isEqualTo(422);
    assertThat(taken.body())
        .as("unique across the environment's gateways too")
        .contains("A gateway with this name exists already.")
        .doesNotContain(apiKey)
        .doesNotContain(webhookSecret);

    HttpResponse<String> added =
        operator.submit(
            add + "?kind=http",
            add,
            httpForm(name, "http://127.0.0.1:9/v1", "20", apiKey, webhookSecret));
    assertThat(added.statusCode()).isEqualTo(302);

    byte[] stored = sealed(name);
    String raw = new String(stored, StandardCharsets.ISO_8859_1);
    assertThat(raw).doesNotContain(apiKey).doesNotContain(webhookSecret).doesNotContain("ak_live_");
    String settings =
        jdbc.sql("SELECT settings::text FROM gateway_config WHERE name = :name")
            .param("name", name)
            .query(String.class)
            .single();
    assertThat(settings).contains("127.0.0.1:9").doesNotContain(apiKey);

    String list = operator.get(page).body();
    assertThat(list)
        .contains("data-configured=\"" + name + "\"")
        .contains("HTTP provider")
        .contains("20 per second")
        .contains("Set by the environment")
        .doesNotContain(apiKey)
        .doesNotContain(webhookSecret);

    String edit = page + "/config/" + name;
    String form = operator.get(edit).body();
    assertThat(form)
        .contains("Set. Leave empty to keep it.")
        .contains("value=\"http://127.0.0.1:9/v1\"")
        .doesNotContain(apiKey)
        .doesNotContain(webhookSecret);
    int version = console.configuredGateway(name).orElseThrow().version();

    Map<String, String> change = httpForm(name, "http://127.0.0.1:9/v2", "30", "", "");
    change.put("version", Integer.toString(version));
    assertThat(operator.submit(edit, edit, change).statusCode()).isEqualTo(302);
    assertThat(sealed(name)).as("a blank secret keeps the stored one").isEqualTo(stored);
    GatewayConsole.ConfiguredGateway changed = console.configuredGateway(name).orElseThrow();
    assertThat(changed.maxPerSecond()).isEqualTo(30.0);
    assertThat(changed.settings()).containsEntry("url", "http://127.0.0.1:9/v2");
    assertThat(changed.secretsSet()).containsExactlyInAnyOrder("api-key", "webhook-secret");

    HttpResponse<String> stale = operator.submit(edit, edit, change);
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("Someone changed this meanwhile").doesNotContain(apiKey);

    String newKey = "ak_live_" + UUID.randomUUID().toString().replace("-", "");
    Map<String, String> rotate = httpForm(name, "http://127.0.0.1:9/v2", "30", newKey, "");
    rotate.put("version", Integer.toString(version + 1));
    assertThat(operator.submit(edit, edit, rotate).statusCode()).isEqualTo(302);
    assertThat(sealed(name)).as("a typed secret replaces it").isNotEqualTo(stored);
    assertThat(new String(sealed(name), StandardCharsets.ISO_8859_1)).doesNotContain(newKey);
    assertThat(operator.get(edit).body()).doesNotContain(newKey);

    // removal asks first and says what it touches
    var company = companies.aDanishCompany(true, true);
    console.setCompanyRoute(company.id(), List.of(name, "simulator"));
    String confirm = operator.get(edit + "/remove").body();
    assertThat(confirm).contains("1 route names it").contains("No message waits for news from it.");
    assertThat(console.configuredGateway(name)).as("nothing before the confirmation").isPresent();
    assertThat(operator.submit(edit + "/remove", edit + "/remove", Map.of()).statusCode())
        .isEqualTo(302);
    // deleted at the first refresh (5 s) two refreshes after the removal: every node has seen it
    await().atMost(Duration.ofSeconds(25)).until(() -> console.configuredGateway(name).isEmpty());
    console.removeCompanyRoute(company.id());
  }

  @Test
  void an_smpp_gateway_shows_every_mistake_at_once_and_its_password_is_optional() throws Exception {
    WebSession operator = new WebSession();
    operator.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    String add = base() + "/operator/gateways/new";
    Map<String, String> form = new HashMap<>();
    form.put("kind", "smpp");
    form.put("name", "smpp-" + UUID.randomUUID().toString().substring(0, 8));
    form.put("host", "");
    form.put("port", "70000");
    form.put("system-id", "a-system-id-that-is-far-too-long");
    form.put("binds", "0");
    form.put("window", "x");
    form.put("data-coding", "utf8");
    form.put("max-per-second", "abc");
    form.put("secret.password", "longer-than-eight");
    HttpResponse<String> refused = operator.submit(add + "?kind=smpp", add, form);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("Enter the SMSC&#39;s host.")
        .contains("Enter a whole number from 1 to 65535.")
        .contains("At most 15 characters.")
        .contains("Enter a whole number from 1 to 64.")
        .contains("Enter a whole number from 1 to 1000.")
        .contains("Enter one of: gsm, latin1, ia5.")
        .contains("more than 0 and at most 100000")
        .contains("An SMPP password has at most 8 characters.")
        .contains("value=\"70000\"")
        .doesNotContain("longer-than-eight");
  }

  @Test
  void control_characters_in_a_gateway_setting_are_a_form_error_not_a_failure() throws Exception {
    WebSession operator = new WebSession();
    operator.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    String add = base() + "/operator/gateways/new";
    String name = "nul-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> form = new HashMap<>();
    form.put("kind", "smpp");
    form.put("name", name);
    form.put("host", "127.0.0.1");
    form.put("port", "2775");
    form.put("system-id", "her\u0000ald");
    form.put("max-per-second", "10");
    HttpResponse<String> refused = operator.submit(add + "?kind=smpp", add, form);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("control characters (such as NUL) that cannot be stored");
    assertThat(console.configuredGateway(name)).as("nothing stored").isEmpty();

    Map<String, String> kannel = new HashMap<>();
    kannel.put("kind", "kannel");
    kannel.put("name", name);
    kannel.put("sendsms-url", "http://127.0.0.1:13013/cgi-bin/sendsms");
    kannel.put("callback-url", "http://127.0.0.1:8080");
    kannel.put("username", "her\u0000ald");
    kannel.put("smsc-id", "a\u0007b");
    kannel.put("max-per-second", "10");
    kannel.put("secret.password", "kannel-password");
    kannel.put("secret.secret", "kannel-callback-secret-0001");
    HttpResponse<String> kannelRefused = operator.submit(add + "?kind=kannel", add, kannel);
    assertThat(kannelRefused.statusCode()).isEqualTo(422);
    assertThat(kannelRefused.body()).contains("control characters (such as NUL)");
    assertThat(console.configuredGateway(name)).as("nothing stored").isEmpty();
  }

  @Test
  void a_secret_of_only_spaces_is_not_typed_and_the_form_says_it_is_required() throws Exception {
    WebSession operator = new WebSession();
    operator.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    String add = base() + "/operator/gateways/new";
    String name = "blank-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> refused =
        operator.submit(
            add + "?kind=http",
            add,
            httpForm(name, "http://127.0.0.1:9/v1", "20", "   ", "whsec_0123456789abcdef"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .as("the field's own rule, not the adapter's property names")
        .contains("Required.")
        .doesNotContain("herald.delivery.gateways")
        .doesNotContain("whsec_0123456789abcdef");
    assertThat(console.configuredGateway(name)).isEmpty();
  }
}
