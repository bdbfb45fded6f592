package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeps the French and Danish bundles in step with the English one, and really translated. */
class MessageBundlesTests {

  /** Names and words that are the same in every language. */
  private static final Set<String> SAME_IN_EVERY_LANGUAGE =
      Set.of(
          // orders (issue 10): brands, and a count of SMS
          "orders.method.CARD",
          "orders.method.GOOGLE_PAY",
          "orders.method.APPLE_PAY",
          "orders.method.PAYPAL",
          "orders.confirm.packValue",
          // Documents, templates and portal (issue 11)
          "documents.settings.nav",
          "documents.total",
          "documents.total.short",
          "documents.subtotal",
          "documents.status",
          "documents.pdf",
          "documents.send",
          "documents.sendWindow.send",
          "documents.sendWindow.title",
          "documents.sendWindow.emailBody",
          "templates.emailBody",
          "templates.sms",
          "templates.kind",
          "portal.preferences.email",
          // gateway console: protocol names and a port
          "gateways.kind.smpp",
          "gateways.kind.kannel",
          "gateways.field.port",
          // Herald
          "app.name",
          "lang.en",
          "lang.fr",
          "lang.da",
          "plan.STARTER",
          "plan.STANDARD",
          "plan.PRO",
          "contact.pref.email",
          "contact.pref.sms",
          "pager.label",
          "phone.type.MOBILE",
          "channel.SMS",
          "channel.EMAIL",
          "messages.segments",
          "messages.status",
          "messages.detail",
          "compose.send",
          "simulator.node",
          "timeZone.group.Europe",
          "messages.contact",
          "messages.smsCount",
          "messages.noContact",
          "counts.contacts",
          "operator.actions",
          "operator.thisMonth.counts",
          // Billing (issue 9)
          "billing.invoices.pdf",
          "billing.invoice.tax",
          "billing.invoice.status",
          "operator.billing.invoices.status",
          "operator.billing.run.node",
          "operator.billing.grant.units",
          "operator.billing.pricing.sellerEmail");

  @ParameterizedTest
  @ValueSource(strings = {"fr", "da"})
  void bundle_has_exactly_the_english_keys(String language) throws Exception {
    Properties english = load("messages.properties");
    Properties other = load("messages_" + language + ".properties");
    assertThat(new TreeSet<>(other.stringPropertyNames()))
        .as("keys of messages_%s.properties", language)
        .isEqualTo(new TreeSet<>(english.stringPropertyNames()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fr", "da"})
  void bundle_translates_every_text(String language) throws Exception {
    Properties english = load("messages.properties");
    Properties other = load("messages_" + language + ".properties");
    List<String> untranslated = new ArrayList<>();
    for (String key : english.stringPropertyNames()) {
      String text = other.getProperty(key);
      if (text != null
          && !SAME_IN_EVERY_LANGUAGE.contains(key)
          && text.equals(english.getProperty(key))) {
        untranslated.add(key);
      }
    }
    assertThat(untranslated)
        .as("texts of messages_%s that are just the English", language)
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"messages.properties", "messages_fr.properties", "messages_da.properties"})
  void no_text_is_blank(String bundle) throws Exception {
    Properties messages = load(bundle);
    assertThat(messages.stringPropertyNames()).isNotEmpty();
    messages.forEach(
        (key, value) -> assertThat(value.toString()).as("%s in %s", key, bundle).isNotBlank());
  }

  private static Properties load(String name) throws Exception {
    Properties properties = new Properties();
    try (InputStream in = MessageBundlesTests.class.getResourceAsStream("/" + name)) {
      assertThat(in).as(name).isNotNull();
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return properties;
  }
}
