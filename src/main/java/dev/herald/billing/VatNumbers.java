package dev.herald.billing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * VAT numbers checked against their country's format (the EU's, with Greece's "EL", and GB, NO,
 * CH): read as a person types them (spaces, dots, dashes, with or without the country prefix) and
 * kept in one written form, prefix first. A country without a known format accepts 2 to 40
 * characters.
 */
public final class VatNumbers {

  private VatNumbers() {}

  /** Prefix and the format after it, per country. */
  private static final Map<String, Rule> RULES =
      Map.ofEntries(
          rule("AT", "AT", "U\\d{8}", "ATU12345678"),
          rule("BE", "BE", "[01]\\d{9}", "BE0123456789"),
          rule("BG", "BG", "\\d{9,10}", "BG123456789"),
          rule("CY", "CY", "\\d{8}[A-Z]", "CY12345678X"),
          rule("CZ", "CZ", "\\d{8,10}", "CZ12345678"),
          rule("DE", "DE", "\\d{9}", "DE123456789"),
          rule("DK", "DK", "\\d{8}", "DK12345678"),
          rule("EE", "EE", "\\d{9}", "EE123456789"),
          rule("GR", "EL", "\\d{9}", "EL123456789"),
          rule("ES", "ES", "[A-Z0-9]\\d{7}[A-Z0-9]", "ESX1234567X"),
          rule("FI", "FI", "\\d{8}", "FI12345678"),
          rule("FR", "FR", "[A-HJ-NP-Z0-9]{2}\\d{9}", "FR12345678901"),
          rule("HR", "HR", "\\d{11}", "HR12345678901"),
          rule("HU", "HU", "\\d{8}", "HU12345678"),
          rule("IE", "IE", "\\d[A-Z0-9+*]\\d{5}[A-Z]{1,2}", "IE1234567X"),
          rule("IT", "IT", "\\d{11}", "IT12345678901"),
          rule("LT", "LT", "\\d{9}|\\d{12}", "LT123456789"),
          rule("LU", "LU", "\\d{8}", "LU12345678"),
          rule("LV", "LV", "\\d{11}", "LV12345678901"),
          rule("MT", "MT", "\\d{8}", "MT12345678"),
          rule("NL", "NL", "\\d{9}B\\d{2}", "NL123456789B01"),
          rule("PL", "PL", "\\d{10}", "PL1234567890"),
          rule("PT", "PT", "\\d{9}", "PT123456789"),
          rule("RO", "RO", "\\d{2,10}", "RO1234567890"),
          rule("SE", "SE", "\\d{10}01", "SE123456789001"),
          rule("SI", "SI", "\\d{8}", "SI12345678"),
          rule("SK", "SK", "\\d{10}", "SK1234567890"),
          rule("GB", "GB", "\\d{9}|\\d{12}|GD\\d{3}|HA\\d{3}", "GB123456789"),
          rule("NO", "NO", "\\d{9}(MVA)?", "NO123456789MVA"),
          rule("CH", "CHE", "\\d{9}(MWST|TVA|IVA)?", "CHE123456789MWST"));

  private record Rule(String prefix, Pattern format, String example) {}

  private static Map.Entry<String, Rule> rule(
      String country, String prefix, String format, String example) {
    return Map.entry(country, new Rule(prefix, Pattern.compile(format), example));
  }

  /** Whether the country's format is known (then it is checked). */
  public static boolean knows(String country) {
    return country != null && RULES.containsKey(country);
  }

  /** An example of the country's format, shown before the rule is broken. */
  public static Optional<String> example(String country) {
    return Optional.ofNullable(country).map(RULES::get).map(Rule::example);
  }

  /**
   * The number in its written form (prefix first), or empty when it breaks the country's format.
   */
  public static Optional<String> normalize(String country, String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String compact = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s.\\-]", "");
    Rule rule = country == null ? null : RULES.get(country);
    if (rule == null) {
      return compact.length() >= 2 && compact.length() <= 40 && compact.matches("[A-Z0-9+*]+")
          ? Optional.of(compact)
          : Optional.empty();
    }
    String body =
        compact.startsWith(rule.prefix()) ? compact.substring(rule.prefix().length()) : compact;
    return rule.format().matcher(body).matches()
        ? Optional.of(rule.prefix() + body)
        : Optional.empty();
  }
}
