package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.MessagePattern;
import com.ibm.icu.text.PluralRules;
import com.ibm.icu.util.ULocale;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every text that counts something says it with ICU plural forms, in every language, with the forms
 * that language needs: no "segment(s)", no "1 contacts".
 */
class PluralMessagesTests {

  private static final Map<String, String> BUNDLES =
      Map.of(
          "en",
          "messages.properties",
          "fr",
          "messages_fr.properties",
          "da",
          "messages_da.properties");

  /** A number placed before a word in English: "{0} contacts", which needs a plural form. */
  private static final Pattern COUNTED = Pattern.compile("\\{(\\d+)}\\s+(\\p{L}[\\p{L}-]*)");

  /** Words after a number that are not counted nouns ("{0} was saved", "{0} is listed"). */
  private static final Set<String> NOT_NOUNS =
      Set.of(
          "is", "was", "has", "does", "as", "makes", "already", "of", "to", "in", "and", "or", "at",
          "a", "the");

  @ParameterizedTest
  @ValueSource(strings = {"en", "fr", "da"})
  void every_text_parses_as_an_icu_message(String language) throws Exception {
    Properties texts = load(language);
    for (String key : texts.stringPropertyNames()) {
      String text = texts.getProperty(key);
      try {
        new MessageFormat(text, ULocale.forLanguageTag(language));
      } catch (IllegalArgumentException e) {
        throw new AssertionError(key + " in " + language + ": " + e.getMessage(), e);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "fr", "da"})
  void no_text_hedges_its_plural_or_uses_choice(String language) throws Exception {
    Properties texts = load(language);
    List<String> hedged = new ArrayList<>();
    for (String key : texts.stringPropertyNames()) {
      String text = texts.getProperty(key);
      if (text.matches("(?s).*\\p{L}\\((s|e|er|r|es|x)\\).*") || text.contains(",choice,")) {
        hedged.add(key);
      }
    }
    assertThat(hedged).as("texts with (s) or a choice format in %s", language).isEmpty();
  }

  @Test
  void an_english_number_before_a_noun_is_a_plural() throws Exception {
    Properties english = load("en");
    List<String> missing = new ArrayList<>();
    for (String key : english.stringPropertyNames()) {
      String text = english.getProperty(key);
      Matcher m = COUNTED.matcher(text);
      while (m.find()) {
        String word = m.group(2).toLowerCase(Locale.ROOT);
        if (word.endsWith("s") && !NOT_NOUNS.contains(word)) {
          missing.add(key + " (" + m.group() + ")");
        }
      }
    }
    assertThat(missing).as("English texts that count without a plural form").isEmpty();
  }

  @Test
  void a_plural_in_one_language_is_a_plural_in_all_with_the_forms_each_needs() throws Exception {
    Map<String, Properties> bundles = new TreeMap<>();
    for (String language : BUNDLES.keySet()) {
      bundles.put(language, load(language));
    }
    Set<String> pluralKeys = new TreeSet<>();
    bundles
        .values()
        .forEach(b ->
            b.stringPropertyNames().stream()
                .filter(k -> !pluralArguments(b.getProperty(k)).isEmpty())
                .forEach(pluralKeys::add));
    assertThat(pluralKeys).as("texts with plural forms").isNotEmpty();

    List<String> problems = new ArrayList<>();
    for (String key : pluralKeys) {
      Set<Integer> englishArgs =
          new TreeSet<>(pluralArguments(bundles.get("en").getProperty(key)).keySet());
      for (var entry : bundles.entrySet()) {
        String language = entry.getKey();
        String text = entry.getValue().getProperty(key);
        Map<Integer, Set<String>> plurals = pluralArguments(text);
        if (!plurals.keySet().equals(englishArgs)) {
          problems.add(
              key
                  + " in "
                  + language
                  + ": plural arguments "
                  + plurals.keySet()
                  + " where English has "
                  + englishArgs);
          continue;
        }
        PluralRules rules = PluralRules.forLocale(ULocale.forLanguageTag(language));
        for (var plural : plurals.entrySet()) {
          Set<String> forms = plural.getValue();
          for (String needed : List.of("one", "other")) {
            if (!forms.contains(needed)) {
              problems.add(key + " in " + language + ": no '" + needed + "' form");
            }
          }
          for (String form : forms) {
            if (!form.startsWith("=") && !rules.getKeywords().contains(form)) {
              problems.add(key + " in " + language + ": '" + form + "' is not a plural form there");
            }
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void french_counts_zero_as_singular_and_danish_and_english_as_plural() {
    var messages = new dev.herald.web.IcuMessageSource("messages");
    assertThat(messages.getMessage("settings.sms.existing.button", new Object[] {1}, Locale.FRENCH))
        .isEqualTo("Cocher SMS pour 1 contact");
    assertThat(messages.getMessage("contact.phones.tooMany", new Object[] {0}, Locale.FRENCH))
        .isEqualTo("0 numéro de téléphone au plus.");
    assertThat(messages.getMessage("contact.phones.tooMany", new Object[] {0}, Locale.ENGLISH))
        .isEqualTo("At most 0 phone numbers.");
    assertThat(
            messages.getMessage(
                "settings.sms.existing.button", new Object[] {2}, Locale.forLanguageTag("da")))
        .isEqualTo("Slå SMS til for 2 kunder");
    assertThat(
            messages.getMessage(
                "settings.sms.existing.button", new Object[] {1}, Locale.forLanguageTag("da")))
        .isEqualTo("Slå SMS til for 1 kunde");
  }

  /** The plural arguments of a text and the forms (one, other, =0, …) each one gives. */
  static Map<Integer, Set<String>> pluralArguments(String text) {
    Map<Integer, Set<String>> plurals = new TreeMap<>();
    MessagePattern pattern = new MessagePattern(MessagePattern.ApostropheMode.DOUBLE_OPTIONAL);
    pattern.parse(text);
    for (int i = 0; i < pattern.countParts(); i++) {
      MessagePattern.Part part = pattern.getPart(i);
      if (part.getType() == MessagePattern.Part.Type.ARG_START
          && part.getArgType() == MessagePattern.ArgType.PLURAL) {
        int argument = pattern.getPart(i + 1).getValue();
        Set<String> forms = plurals.computeIfAbsent(argument, a -> new TreeSet<>());
        int limit = pattern.getLimitPartIndex(i);
        for (int j = i + 2; j < limit; j++) {
          MessagePattern.Part p = pattern.getPart(j);
          if (p.getType() == MessagePattern.Part.Type.ARG_SELECTOR) {
            forms.add(pattern.getSubstring(p));
          } else if (p.getType() == MessagePattern.Part.Type.MSG_START) {
            j = pattern.getLimitPartIndex(j);
          }
        }
      }
    }
    return plurals;
  }

  private static Properties load(String language) throws Exception {
    Properties properties = new Properties();
    try (InputStream in =
        PluralMessagesTests.class.getResourceAsStream("/" + BUNDLES.get(language))) {
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return properties;
  }
}
