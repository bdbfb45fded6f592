package dev.herald.billing;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Each company's SMS model and currency (set by the operator, H5) and billing details. */
@Service
public class BillingAccounts {

  public static final int MAX_THRESHOLD = 1_000_000;

  private final JdbcClient jdbc;
  private final Companies companies;
  private final Clock clock;
  private final Credits credits;

  BillingAccounts(JdbcClient jdbc, Companies companies, Clock clock, Credits credits) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.clock = clock;
    this.credits = credits;
  }

  public Optional<BillingAccount> find(TenantId tenant) {
    return jdbc.sql("SELECT * FROM billing_account WHERE tenant_id = :t")
        .param("t", tenant.value())
        .query(BillingAccounts::map)
        .optional();
  }

  /** The currency a company without an account would be offered: from its country. */
  public static Currency defaultCurrency(String country) {
    return switch (country) {
      case "DK" -> Currency.getInstance("DKK");
      case "CA" -> Currency.getInstance("CAD");
      case "US" -> Currency.getInstance("USD");
      default -> Currency.getInstance("EUR");
    };
  }

  /**
   * The operator puts a company on a model and currency. Refused with the reason while the company
   * holds credit (a balance or reservations not yet settled) or runs a monthly subscription.
   */
  @Transactional
  public BillingAccount choose(TenantId tenant, String modelCode, String currencyCode) {
    return choose(tenant, modelCode, currencyCode, null);
  }

  /**
   * As {@link #choose(TenantId, String, String)}, from the payment of a company's first order
   * ({@code paying}, itself still awaiting its payment, is not in the way).
   */
  @Transactional
  BillingAccount choose(TenantId tenant, String modelCode, String currencyCode, UUID paying) {
    Company company = companies.require(tenant);
    List<FieldProblem> problems = new ArrayList<>();
    Optional<SmsModel> model = SmsModel.fromCode(modelCode == null ? "" : modelCode);
    if (model.isEmpty()) {
      problems.add(FieldProblem.of("model", "billing.model.unknown"));
    }
    Currency currency = null;
    try {
      currency = Currency.getInstance(currencyCode == null ? "" : currencyCode.strip());
    } catch (IllegalArgumentException e) {
      problems.add(FieldProblem.of("currency", "billing.currency.unknown"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    Optional<BillingAccount> existing = lock(tenant);
    if (existing.isPresent()) {
      lockRow(tenant);
      BillingAccount now = existing.get();
      boolean changes = !now.model().equals(model) || !now.currency().equals(currency);
      if (changes) {
        // An order paid after the change would be served on the other model (or not at all); one
        // of the new model's kind (a pack for packs, a first block for blocks) in the same currency
        // is not in the way (a company without a model, paid for by one of two waiting packs).
        if (orderAwaitingPayment(
            tenant,
            paying,
            model.get() == SmsModel.PACKS ? "pack" : "first_block",
            !now.currency().equals(currency))) {
          throw new InvalidInputException(FieldProblem.of("model", "billing.model.orderWaiting"));
        }
        if (paidFirstBlockWaiting(tenant)) {
          throw new InvalidInputException(FieldProblem.of("model", "billing.model.firstBlockPaid"));
        }
        long balance = balance(tenant);
        long outstanding = outstanding(tenant);
        if (balance > 0 || outstanding > 0) {
          throw new InvalidInputException(
              FieldProblem.of("model", "billing.model.holdsCredit", balance + outstanding));
        }
        String subscription = subscriptionStatus(tenant);
        if ("active".equals(subscription)) {
          throw new InvalidInputException(
              FieldProblem.of("model", "billing.model.subscriptionActive"));
        }
      }
      jdbc.sql(
              """
              UPDATE billing_account SET model = :model, currency = :currency, version = version + 1,
                     updated_at = :now WHERE tenant_id = :t
              """)
          .param("model", model.get().code())
          .param("currency", currency.getCurrencyCode())
          .param("now", Timestamp.from(clock.instant()))
          .param("t", tenant.value())
          .update();
    } else {
      create(company, model.get(), currency);
    }
    return find(tenant).orElseThrow();
  }

  /** Creates the account (no model) with the country's currency, so settings can be stored. */
  @Transactional
  public BillingAccount ensure(TenantId tenant) {
    Optional<BillingAccount> found = find(tenant);
    if (found.isPresent()) {
      return found.get();
    }
    Company company = companies.require(tenant);
    create(company, null, defaultCurrency(company.country()));
    return find(tenant).orElseThrow();
  }

  private void create(Company company, SmsModel model, Currency currency) {
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            """
            WITH a AS (
                INSERT INTO billing_account (tenant_id, model, currency, buyer_name, updated_at)
                VALUES (:t, :model, :currency, :name, :now)
                ON CONFLICT (tenant_id) DO UPDATE SET model = EXCLUDED.model, currency = EXCLUDED.currency
                RETURNING tenant_id)
            INSERT INTO credit_wallet (tenant_id, balance, updated_at)
            SELECT tenant_id, 0, :now FROM a
            ON CONFLICT (tenant_id) DO NOTHING
            """)
        .param("t", company.id().value())
        .param("model", model == null ? null : model.code())
        .param("currency", currency.getCurrencyCode())
        .param("name", company.name())
        .param("now", now)
        .update();
  }

  /** The admin's low-credit threshold in SMS (default 50). */
  @Transactional
  public void setLowCreditThreshold(TenantId tenant, String value) {
    int threshold;
    try {
      threshold = Integer.parseInt(value == null ? "" : value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          FieldProblem.of("threshold", "billing.threshold.range", 0, MAX_THRESHOLD));
    }
    if (threshold < 0 || threshold > MAX_THRESHOLD) {
      throw new InvalidInputException(
          FieldProblem.of("threshold", "billing.threshold.range", 0, MAX_THRESHOLD));
    }
    ensure(tenant);
    credits.gatherAll(tenant); // slots hold only credit above the threshold (V44)
    jdbc.sql(
            """
            UPDATE billing_account SET low_credit_threshold = :v, version = version + 1,
                   updated_at = :now WHERE tenant_id = :t
            """)
        .param("v", threshold)
        .param("now", Timestamp.from(clock.instant()))
        .param("t", tenant.value())
        .update();
  }

  /** Whether an SMS that finds no credit goes by e-mail instead, where the contact has one (H2). */
  @Transactional
  public void setEmailFallback(TenantId tenant, boolean on) {
    ensure(tenant);
    jdbc.sql(
            """
            UPDATE billing_account SET email_fallback = :on, version = version + 1, updated_at = :now
            WHERE tenant_id = :t
            """)
        .param("on", on)
        .param("now", Timestamp.from(clock.instant()))
        .param("t", tenant.value())
        .update();
  }

  /** Buyer details printed on invoices; the subdivision (ISO 3166-2) chooses regional taxes. */
  @Transactional
  public void setBuyerDetails(
      TenantId tenant, String name, String address, String subdivision, String vatNumber) {
    Company company = companies.require(tenant);
    List<FieldProblem> problems = new ArrayList<>();
    String n = blankToNull(name);
    String a = blankToNull(address);
    String s = blankToNull(subdivision);
    String v = blankToNull(vatNumber);
    if (n != null && n.length() > 200) {
      problems.add(FieldProblem.of("buyerName", "billing.buyer.name.length", 200));
    }
    if (a != null && a.length() > 500) {
      problems.add(FieldProblem.of("buyerAddress", "billing.buyer.address.length", 500));
    }
    if (s != null) {
      s = s.toUpperCase(java.util.Locale.ROOT);
      if (!s.matches("[A-Z]{2}-[A-Z0-9]{1,3}") || !s.startsWith(company.country() + "-")) {
        problems.add(
            FieldProblem.of(
                "buyerSubdivision", "billing.buyer.subdivision.invalid", company.country()));
      }
    }
    if (v != null && (v.length() < 2 || v.length() > 40)) {
      problems.add(FieldProblem.of("buyerVatNumber", "billing.buyer.vat.length", 2, 40));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    ensure(tenant);
    jdbc.sql(
            """
            UPDATE billing_account SET buyer_name = :n, buyer_address = :a, buyer_subdivision = :s,
                   buyer_vat_number = :v, version = version + 1, updated_at = :now
            WHERE tenant_id = :t
            """)
        .param("n", n)
        .param("a", a)
        .param("s", s)
        .param("v", v)
        .param("now", Timestamp.from(clock.instant()))
        .param("t", tenant.value())
        .update();
  }

  /** Keeps an order's checked billing details for the next order and the next invoices. */
  @Transactional(propagation = Propagation.REQUIRED)
  void keepOrderDetails(
      TenantId tenant, String name, String address, String country, String vat, String email) {
    ensure(tenant);
    jdbc.sql(
            """
            UPDATE billing_account SET buyer_name = :n, buyer_address = :a, buyer_country = :c,
                   buyer_vat_number = :v, buyer_email = :e,
                   buyer_subdivision = CASE WHEN buyer_subdivision LIKE :c || '-%' THEN buyer_subdivision END,
                   version = version + 1, updated_at = :now
            WHERE tenant_id = :t
            """)
        .param("n", name)
        .param("a", address)
        .param("c", country)
        .param("v", vat)
        .param("e", email)
        .param("now", Timestamp.from(clock.instant()))
        .param("t", tenant.value())
        .update();
  }

  /**
   * Locks the account's row for the transaction: orders frozen, the model changed and the
   * subscription unlocked take turns on it.
   */
  void lockRow(TenantId tenant) {
    jdbc.sql("SELECT tenant_id FROM billing_account WHERE tenant_id = :t FOR UPDATE")
        .param("t", tenant.value())
        .query(UUID.class)
        .optional();
  }

  private boolean orderAwaitingPayment(
      TenantId tenant, UUID except, String fittingKind, boolean currencyChanges) {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM sms_order WHERE tenant_id = :t
                             AND status = 'awaiting_payment' AND id IS DISTINCT FROM :except
                             AND (:currencyChanges OR kind <> :fittingKind))
            """)
        .param("t", tenant.value())
        .param("except", except, java.sql.Types.OTHER)
        .param("currencyChanges", currencyChanges)
        .param("fittingKind", fittingKind)
        .query(Boolean.class)
        .single();
  }

  /** A first block paid through the checkout whose subscription waits for the operator's unlock. */
  private boolean paidFirstBlockWaiting(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM sms_subscription s
                             JOIN billing_invoice i ON i.tenant_id = s.tenant_id AND i.id = s.first_invoice_id
                            WHERE s.tenant_id = :t AND s.status = 'requested' AND i.status = 'paid')
            """)
        .param("t", tenant.value())
        .query(Boolean.class)
        .single();
  }

  private Optional<BillingAccount> lock(TenantId tenant) {
    // Locking the wallet first orders this change after any reservation in flight.
    jdbc.sql("SELECT tenant_id FROM credit_wallet WHERE tenant_id = :t FOR UPDATE")
        .param("t", tenant.value())
        .query(UUID.class)
        .optional();
    return find(tenant);
  }

  private long balance(TenantId tenant) {
    return jdbc.sql(
            "SELECT coalesce(max("
                + Credits.balanceSql("w")
                + "), 0) FROM credit_wallet w WHERE w.tenant_id = :t")
        .param("t", tenant.value())
        .query(Long.class)
        .single();
  }

  private long outstanding(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT coalesce(sum(r.units), 0) FROM credit_reservation r
            LEFT JOIN credit_settlement s ON s.tenant_id = r.tenant_id AND s.reference = r.reference
            WHERE r.tenant_id = :t AND r.prepaid AND s.reference IS NULL
            """)
        .param("t", tenant.value())
        .query(Long.class)
        .single();
  }

  private String subscriptionStatus(TenantId tenant) {
    return jdbc.sql("SELECT status FROM sms_subscription WHERE tenant_id = :t")
        .param("t", tenant.value())
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static BillingAccount map(ResultSet rs, int row) throws SQLException {
    return new BillingAccount(
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        SmsModel.fromCode(rs.getString("model") == null ? "" : rs.getString("model")),
        Currency.getInstance(rs.getString("currency")),
        rs.getInt("low_credit_threshold"),
        rs.getString("buyer_name"),
        rs.getString("buyer_address"),
        rs.getString("buyer_subdivision"),
        rs.getString("buyer_vat_number"),
        rs.getString("buyer_email"),
        rs.getInt("version"),
        rs.getBoolean("email_fallback"),
        rs.getString("buyer_country") == null ? null : rs.getString("buyer_country").strip());
  }
}
