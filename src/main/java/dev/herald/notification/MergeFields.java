package dev.herald.notification;

import dev.herald.shared.Language;
import dev.herald.shared.Money;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merge fields of templates ({@code {customer}}, {@code {amount}}, ...) and how their values
 * are written per language: amounts and dates stay in GSM-7 (no narrow no-break spaces, numeric
 * dates), so a default text in any language stays in GSM-7.
 */
public final class MergeFields {

  /** Every merge field a template may use, in the order the editor lists them. */
  public static final List<String> NAMES =
      List.of("customer", "company", "number", "amount", "dueDate", "link");

  private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)\\}");

  private MergeFields() {}

  /** The fields the text names that do not exist, each once, in order. */
  public static List<String> unknown(String text) {
    Set<String> unknown = new LinkedHashSet<>();
    if (text != null) {
      Matcher m = FIELD.matcher(text);
      while (m.find()) {
        if (!NAMES.contains(m.group(1))) {
          unknown.add(m.group(1));
        }
      }
    }
    return new ArrayList<>(unknown);
  }

  /** The text with every known field replaced by its value for the language (empty when null). */
  public static String render(String text, MergeValues values, Language language) {
    Matcher m = FIELD.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 64);
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "customer" -> values.customer();
            case "company" -> values.company();
            case "number" -> values.number();
            case "amount" -> values.amount() == null ? null : amount(values.amount(), language);
            case "dueDate" -> values.dueDate() == null ? null : date(values.dueDate(), language);
            case "link" -> values.link();
            default -> m.group(); // unknown fields are refused on save; left as written here
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** An amount as people of the language write it, with plain spaces: {@code 1.250,00 kr.}. */
  public static String amount(Money money, Language language) {
    Locale locale = locale(language);
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(money.currency());
    int digits = Math.max(0, money.currency().getDefaultFractionDigits());
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits);
    return format.format(money.toDecimal()).replace('\u00a0', ' ').replace('\u202f', ' ');
  }

  /** A date in the language's numeric form: {@code 30/11/2026}, {@code 30.11.2026}. */
  public static String date(LocalDate date, Language language) {
    return DateTimeFormatter.ofPattern(
            switch (language) {
              case EN, FR -> "dd/MM/yyyy";
              case DA -> "dd.MM.yyyy";
            })
        .format(date);
  }

  /**
   * Where the language is spoken by default, for amounts and dates people read: Danish follows
   * Denmark, French France, English the United Kingdom ({@code DKK 1,250.00}, {@code 14 Dec 2026}).
   */
  public static Locale locale(Language language) {
    return switch (language) {
      case EN -> Locale.UK;
      case FR -> Locale.FRANCE;
      case DA -> Locale.of("da", "DK");
    };
  }
}
