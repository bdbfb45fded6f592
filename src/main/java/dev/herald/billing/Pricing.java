package dev.herald.billing;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The operator's prices (H5): blocks and packs per currency, taxes per region, the seller. */
@Service
public class Pricing {

  public static final int DEFAULT_BLOCK_SIZE = 500;
  public static final long DEFAULT_BLOCK_PRICE_MAJOR = 25;

  private final JdbcClient jdbc;
  private final Clock clock;

  Pricing(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public record BlockPrice(int size, Money price) {}

  public record Pack(UUID id, int sms, Money price) {}

  public record TaxRate(UUID id, String region, String name, BigDecimal rate) {}

  public record Seller(
      String name,
      String address,
      String country,
      String taxNumbers,
      String email,
      String invoicePrefix,
      boolean unlockOnPayment) {

    /** The same seller, with SMS unlocked on a first block's payment or not. */
    public Seller withUnlockOnPayment(boolean on) {
      return new Seller(name, address, country, taxNumbers, email, invoicePrefix, on);
    }
  }

  /** The block of the monthly model in this currency; 500 SMS for 25.00 when none is set. */
  public BlockPrice block(Currency currency) {
    return jdbc.sql("SELECT block_size, block_price FROM sms_price WHERE currency = :c")
        .param("c", currency.getCurrencyCode())
        .query((rs, n) -> new BlockPrice(rs.getInt(1), new Money(rs.getLong(2), currency)))
        .optional()
        .orElseGet(() ->
            new BlockPrice(
                DEFAULT_BLOCK_SIZE,
                new Money(
                    DEFAULT_BLOCK_PRICE_MAJOR
                        * (long) Math.pow(10, Math.max(0, currency.getDefaultFractionDigits())),
                    currency)));
  }

  public List<String> currencies() {
    return jdbc.sql("SELECT currency FROM sms_price UNION SELECT currency FROM sms_pack ORDER BY 1")
        .query(String.class)
        .list();
  }

  /** Sets the block of a currency from what the operator typed. */
  @Transactional
  public void setBlock(String currencyCode, String size, String price) {
    List<FieldProblem> problems = new ArrayList<>();
    Currency currency = currency(currencyCode, problems);
    int blockSize = positiveInt(size, "blockSize", problems);
    Long minor = currency == null ? null : money(price, currency, "blockPrice", problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    jdbc.sql(
            """
            INSERT INTO sms_price (currency, block_size, block_price, updated_at)
            VALUES (:c, :s, :p, :now)
            ON CONFLICT (currency) DO UPDATE SET block_size = EXCLUDED.block_size,
                block_price = EXCLUDED.block_price, updated_at = EXCLUDED.updated_at
            """)
        .param("c", currency.getCurrencyCode())
        .param("s", blockSize)
        .param("p", minor)
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  public List<Pack> packs(Currency currency) {
    return jdbc.sql("SELECT id, sms, price FROM sms_pack WHERE currency = :c ORDER BY sms")
        .param("c", currency.getCurrencyCode())
        .query((rs, n) ->
            new Pack(rs.getObject(1, UUID.class), rs.getInt(2), new Money(rs.getLong(3), currency)))
        .list();
  }

  public List<Pack> allPacks() {
    return jdbc.sql("SELECT id, currency, sms, price FROM sms_pack ORDER BY currency, sms")
        .query((rs, n) ->
            new Pack(
                rs.getObject(1, UUID.class),
                rs.getInt(3),
                new Money(rs.getLong(4), Currency.getInstance(rs.getString(2)))))
        .list();
  }

  @Transactional
  public void addPack(String currencyCode, String sms, String price) {
    List<FieldProblem> problems = new ArrayList<>();
    Currency currency = currency(currencyCode, problems);
    int count = positiveInt(sms, "packSms", problems);
    Long minor = currency == null ? null : money(price, currency, "packPrice", problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    int added =
        jdbc.sql(
                """
                INSERT INTO sms_pack (id, currency, sms, price, created_at) VALUES (:id, :c, :s, :p, :now)
                ON CONFLICT (currency, sms) DO NOTHING
                """)
            .param("id", Ids.next())
            .param("c", currency.getCurrencyCode())
            .param("s", count)
            .param("p", minor)
            .param("now", Timestamp.from(clock.instant()))
            .update();
    if (added == 0) {
      throw new InvalidInputException(FieldProblem.of("packSms", "billing.pack.exists", count));
    }
  }

  @Transactional
  public void removePack(UUID id) {
    jdbc.sql("DELETE FROM sms_pack WHERE id = :id").param("id", id).update();
  }

  public List<TaxRate> taxRates() {
    return jdbc.sql("SELECT id, region, name, rate FROM tax_rate ORDER BY region, position, name")
        .query((rs, n) ->
            new TaxRate(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getBigDecimal(4).stripTrailingZeros()))
        .list();
  }

  /**
   * The taxes for a buyer: its subdivision's own list when it has one (CA-QC: GST and QST), else
   * its country's.
   */
  public List<TaxRate> taxesFor(String country, String subdivision) {
    List<TaxRate> all = taxRates();
    if (subdivision != null) {
      List<TaxRate> own = all.stream().filter(t -> t.region().equals(subdivision)).toList();
      if (!own.isEmpty()) {
        return own;
      }
    }
    return all.stream().filter(t -> t.region().equals(country)).toList();
  }

  @Transactional
  public void addTaxRate(String region, String name, String rate) {
    List<FieldProblem> problems = new ArrayList<>();
    String r = region == null ? "" : region.strip().toUpperCase(Locale.ROOT);
    if (!r.matches("[A-Z]{2}(-[A-Z0-9]{1,3})?")) {
      problems.add(FieldProblem.of("taxRegion", "billing.tax.region"));
    }
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > 40) {
      problems.add(FieldProblem.of("taxName", "billing.tax.name", 40));
    }
    BigDecimal percent = null;
    try {
      percent = new BigDecimal(rate == null ? "" : rate.strip().replace(',', '.'));
      if (percent.signum() < 0
          || percent.compareTo(BigDecimal.valueOf(100)) > 0
          || percent.scale() > 4) {
        percent = null;
      }
    } catch (NumberFormatException e) {
      percent = null;
    }
    if (percent == null) {
      problems.add(FieldProblem.of("taxRate", "billing.tax.rate"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    int added =
        jdbc.sql(
                """
                INSERT INTO tax_rate (id, region, name, rate, position, created_at)
                SELECT :id, :r, :n, :rate, coalesce(max(position), 0) + 1, :now FROM tax_rate WHERE region = :r
                ON CONFLICT (region, name) DO NOTHING
                """)
            .param("id", Ids.next())
            .param("r", r)
            .param("n", n)
            .param("rate", percent)
            .param("now", Timestamp.from(clock.instant()))
            .update();
    if (added == 0) {
      throw new InvalidInputException(FieldProblem.of("taxName", "billing.tax.exists", n, r));
    }
  }

  @Transactional
  public void removeTaxRate(UUID id) {
    jdbc.sql("DELETE FROM tax_rate WHERE id = :id").param("id", id).update();
  }

  public Seller seller() {
    return jdbc.sql(
            """
            SELECT name, address, country, tax_numbers, email, invoice_prefix, unlock_on_payment
            FROM billing_seller WHERE id = 1
            """)
        .query((rs, n) ->
            new Seller(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getBoolean(7)))
        .single();
  }

  @Transactional
  public void updateSeller(Seller s) {
    List<FieldProblem> problems = new ArrayList<>();
    if (s.name() == null || s.name().isBlank() || s.name().length() > 200) {
      problems.add(FieldProblem.of("sellerName", "billing.seller.name", 200));
    }
    String country = s.country() == null ? "" : s.country().strip().toUpperCase(Locale.ROOT);
    if (!country.matches("[A-Z]{2}")) {
      problems.add(FieldProblem.of("sellerCountry", "billing.seller.country"));
    }
    String prefix = s.invoicePrefix() == null ? "" : s.invoicePrefix().strip();
    if (prefix.length() > 10) {
      problems.add(FieldProblem.of("invoicePrefix", "billing.seller.prefix", 10));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    jdbc.sql(
            """
            UPDATE billing_seller SET name = :n, address = :a, country = :c, tax_numbers = :t,
                   email = :e, invoice_prefix = :p, unlock_on_payment = :u, updated_at = :now
            WHERE id = 1
            """)
        .param("n", s.name().strip())
        .param("a", s.address() == null ? "" : s.address().strip())
        .param("c", country)
        .param("t", s.taxNumbers() == null ? "" : s.taxNumbers().strip())
        .param("e", s.email() == null ? "" : s.email().strip())
        .param("p", prefix)
        .param("u", s.unlockOnPayment())
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  private static Currency currency(String code, List<FieldProblem> problems) {
    try {
      return Currency.getInstance(code == null ? "" : code.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(FieldProblem.of("currency", "billing.currency.unknown"));
      return null;
    }
  }

  private static int positiveInt(String value, String field, List<FieldProblem> problems) {
    try {
      int n = Integer.parseInt(value == null ? "" : value.strip());
      if (n >= 1 && n <= 10_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(FieldProblem.of(field, "billing.count.range", 1, 10_000_000));
    return 0;
  }

  /**
   * Parses "25", "25.00" or "25,00" into minor units of the currency; more decimals are refused.
   */
  static Long money(String value, Currency currency, String field, List<FieldProblem> problems) {
    try {
      BigDecimal amount = new BigDecimal(value == null ? "" : value.strip().replace(',', '.'));
      int digits = Math.max(0, currency.getDefaultFractionDigits());
      if (amount.signum() >= 0 && amount.scale() <= digits) {
        return amount.movePointRight(digits).longValueExact();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    problems.add(
        FieldProblem.of(field, "billing.price.format", currency.getDefaultFractionDigits()));
    return null;
  }
}
