package dev.herald.billing;

import dev.herald.payment.PaymentMethod;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The payment methods offered per buyer country (H3), set by the operator; a country without its
 * own list offers the default: Apple Pay, Google Pay, Visa/MasterCard, bank transfer, PayPal.
 */
@Service
public class PaymentMethodChoices {

  public static final List<PaymentMethod> DEFAULT =
      List.of(
          PaymentMethod.APPLE_PAY,
          PaymentMethod.GOOGLE_PAY,
          PaymentMethod.CARD,
          PaymentMethod.BANK_TRANSFER,
          PaymentMethod.PAYPAL);

  private final JdbcClient jdbc;
  private final Clock clock;

  PaymentMethodChoices(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The methods a buyer of this country may choose, in the order shown. */
  public List<PaymentMethod> forCountry(String country) {
    return jdbc.sql("SELECT methods FROM payment_method_country WHERE country = :c")
        .param("c", country == null ? "" : country)
        .query((rs, n) ->
            Arrays.stream((String[]) rs.getArray(1).getArray())
                .map(PaymentMethod::valueOf)
                .sorted((a, b) -> Integer.compare(DEFAULT.indexOf(a), DEFAULT.indexOf(b)))
                .toList())
        .optional()
        .orElse(DEFAULT);
  }

  /** Every country with its own list. */
  public Map<String, List<PaymentMethod>> countries() {
    Map<String, List<PaymentMethod>> all = new LinkedHashMap<>();
    jdbc.sql("SELECT country FROM payment_method_country ORDER BY country")
        .query(String.class)
        .list()
        .forEach(c -> all.put(c, forCountry(c)));
    return all;
  }

  /** The operator sets a country's list: at least one known method. */
  @Transactional
  public void set(String countryTyped, List<String> methods) {
    List<FieldProblem> problems = new ArrayList<>();
    String country = countryTyped == null ? "" : countryTyped.strip().toUpperCase(Locale.ROOT);
    if (!country.matches("[A-Z]{2}")
        || !Arrays.asList(Locale.getISOCountries()).contains(country)) {
      problems.add(FieldProblem.of("country", "orders.methods.country"));
    }
    List<String> chosen = new ArrayList<>();
    for (String m : methods == null ? List.<String>of() : methods) {
      if (Arrays.stream(PaymentMethod.values()).anyMatch(p -> p.name().equals(m))
          && !chosen.contains(m)) {
        chosen.add(m);
      }
    }
    if (chosen.isEmpty()) {
      problems.add(FieldProblem.of("methods", "orders.methods.none"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    jdbc.sql(
            """
            INSERT INTO payment_method_country (country, methods, updated_at) VALUES (:c, :m, :now)
            ON CONFLICT (country) DO UPDATE SET methods = EXCLUDED.methods, updated_at = EXCLUDED.updated_at
            """)
        .param("c", country)
        .param("m", chosen.toArray(String[]::new))
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  /** Back to the default list. */
  @Transactional
  public void reset(String country) {
    jdbc.sql("DELETE FROM payment_method_country WHERE country = :c").param("c", country).update();
  }
}
