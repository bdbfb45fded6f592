package dev.herald.billing;

import dev.herald.shared.Ids;
import dev.herald.shared.Language;
import dev.herald.shared.Money;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Herald's invoices to companies (H4): numbered gap-free per seller from its counter row, taxed per
 * line (half-even), EU reverse charge for a business buyer of another EU country.
 */
@Service
public class Invoices {

  static final Set<String> EU =
      Set.of(
          "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
          "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");

  private final JdbcClient jdbc;
  private final Companies companies;
  private final BillingAccounts accounts;
  private final Pricing pricing;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Invoices(
      JdbcClient jdbc,
      Companies companies,
      BillingAccounts accounts,
      Pricing pricing,
      ApplicationEventPublisher events,
      Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.accounts = accounts;
    this.pricing = pricing;
    this.events = events;
    this.clock = clock;
  }

  /** What to invoice: {@code quantity} x {@code unitPrice} for {@code sms} SMS each. */
  public record LineDraft(
      String kind,
      int quantity,
      long sms,
      Money unitPrice,
      LocalDate periodStart,
      LocalDate periodEnd) {}

  /** Whether a buyer pays no VAT here because it accounts for it itself (EU reverse charge). */
  static boolean reverseCharge(String sellerCountry, String buyerCountry, String buyerVatNumber) {
    return EU.contains(sellerCountry)
        && EU.contains(buyerCountry)
        && !sellerCountry.equals(buyerCountry)
        && buyerVatNumber != null
        && !buyerVatNumber.isBlank();
  }

  /** A line's tax, rounded half-even to the currency's minor unit. */
  static long taxOf(long amount, BigDecimal percent) {
    return BigDecimal.valueOf(amount)
        .multiply(percent)
        .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  /** The buyer printed on an invoice, as frozen by an order (or read from the billing account). */
  public record Buyer(
      String name, String address, String country, String subdivision, String vatNumber) {}

  /** What lines cost a buyer: the subtotal, each tax, and whether reverse charge applies. */
  public record Quote(
      Money subtotal,
      List<Invoice.Tax> taxes,
      Money taxTotal,
      Money total,
      boolean reverseCharge) {}

  /** The buyer of a company's next invoice: its billing details, else the company's own. */
  public Buyer buyerOf(TenantId tenant) {
    Company company = companies.require(tenant);
    BillingAccount account = accounts.ensure(tenant);
    return new Buyer(
        account.buyerName() != null ? account.buyerName() : company.name(),
        account.buyerAddress() != null ? account.buyerAddress() : "",
        account.buyerCountry() != null ? account.buyerCountry() : company.country(),
        account.buyerSubdivision(),
        account.buyerVatNumber());
  }

  /**
   * Prices lines for a buyer with the operator's current taxes (none under EU reverse charge), each
   * line's tax rounded half-even: the same arithmetic as {@link #issue}.
   */
  public Quote quote(Buyer buyer, Currency currency, List<LineDraft> drafts) {
    Pricing.Seller seller = pricing.seller();
    boolean reverse = reverseCharge(seller.country(), buyer.country(), buyer.vatNumber());
    String subdivision =
        buyer.subdivision() != null && buyer.subdivision().startsWith(buyer.country() + "-")
            ? buyer.subdivision()
            : null;
    List<Pricing.TaxRate> rates =
        reverse ? List.of() : pricing.taxesFor(buyer.country(), subdivision);
    long subtotal = 0;
    long[] taxAmounts = new long[rates.size()];
    for (LineDraft d : drafts) {
      long amount = Math.multiplyExact(d.unitPrice().minorUnits(), d.quantity());
      subtotal += amount;
      for (int i = 0; i < rates.size(); i++) {
        taxAmounts[i] += taxOf(amount, rates.get(i).rate());
      }
    }
    long taxTotal = 0;
    List<Invoice.Tax> taxes = new ArrayList<>();
    for (int i = 0; i < rates.size(); i++) {
      taxTotal += taxAmounts[i];
      taxes.add(
          new Invoice.Tax(
              rates.get(i).name(), rates.get(i).rate(), new Money(taxAmounts[i], currency)));
    }
    return new Quote(
        new Money(subtotal, currency),
        taxes,
        new Money(taxTotal, currency),
        new Money(subtotal + taxTotal, currency),
        reverse);
  }

  /**
   * Issues an invoice in the caller's transaction; its number is taken from the seller's counter
   * row there, so a rollback leaves no gap.
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public Invoice issue(TenantId tenant, String kind, Currency currency, List<LineDraft> drafts) {
    return issue(tenant, kind, currency, drafts, buyerOf(tenant));
  }

  /** Issues an invoice to the given buyer (an order's frozen billing details). */
  @Transactional(propagation = Propagation.REQUIRED)
  public Invoice issue(
      TenantId tenant, String kind, Currency currency, List<LineDraft> drafts, Buyer buyer) {
    if (drafts.isEmpty()) {
      throw new IllegalArgumentException("an invoice has at least one line");
    }
    Company company = companies.require(tenant);
    // The counter row: the UPDATE's lock orders concurrent invoices, and it commits or rolls back
    // with the invoice.
    record Counter(long number, String prefix) {}
    Counter counter =
        jdbc.sql(
                """
                UPDATE billing_seller SET next_invoice_number = next_invoice_number + 1 WHERE id = 1
                RETURNING next_invoice_number - 1, invoice_prefix
                """)
            .query((rs, n) -> new Counter(rs.getLong(1), rs.getString(2)))
            .single();
    Pricing.Seller seller = pricing.seller();
    Quote quote = quote(buyer, currency, drafts);
    boolean reverse = quote.reverseCharge();
    long subtotal = quote.subtotal().minorUnits();
    long taxTotal = quote.taxTotal().minorUnits();
    String subdivision =
        buyer.subdivision() != null && buyer.subdivision().startsWith(buyer.country() + "-")
            ? buyer.subdivision()
            : null;
    UUID id = Ids.next();
    String display = counter.prefix() + String.format("%06d", counter.number());
    jdbc.sql(
            """
            INSERT INTO billing_invoice (tenant_id, id, seller_id, number, display_number, kind, status,
                currency, language, issued_at, seller_name, seller_address, seller_country,
                seller_tax_numbers, buyer_name, buyer_address, buyer_country, buyer_subdivision,
                buyer_vat_number, reverse_charge, subtotal, tax_total, total)
            VALUES (:t, :id, 1, :number, :display, :kind, 'open', :currency, :language, :now, :sn, :sa,
                :sc, :stn, :bn, :ba, :bc, :bs, :bv, :reverse, :subtotal, :tax, :total)
            """)
        .param("t", tenant.value())
        .param("id", id)
        .param("number", counter.number())
        .param("display", display)
        .param("kind", kind)
        .param("currency", currency.getCurrencyCode())
        .param("language", company.language().code())
        .param("now", Timestamp.from(clock.instant()))
        .param("sn", seller.name())
        .param("sa", seller.address())
        .param("sc", seller.country())
        .param("stn", seller.taxNumbers())
        .param("bn", buyer.name())
        .param("ba", buyer.address() == null ? "" : buyer.address())
        .param("bc", buyer.country())
        .param("bs", subdivision)
        .param("bv", buyer.vatNumber())
        .param("reverse", reverse)
        .param("subtotal", subtotal)
        .param("tax", taxTotal)
        .param("total", subtotal + taxTotal)
        .update();
    int position = 0;
    for (LineDraft d : drafts) {
      jdbc.sql(
              """
              INSERT INTO billing_invoice_line (tenant_id, invoice_id, position, kind, quantity, sms,
                  unit_price, amount, period_start, period_end)
              VALUES (:t, :id, :p, :kind, :q, :sms, :unit, :amount, :ps, :pe)
              """)
          .param("t", tenant.value())
          .param("id", id)
          .param("p", ++position)
          .param("kind", d.kind())
          .param("q", d.quantity())
          .param("sms", d.sms())
          .param("unit", d.unitPrice().minorUnits())
          .param("amount", d.unitPrice().minorUnits() * d.quantity())
          .param("ps", d.periodStart())
          .param("pe", d.periodEnd())
          .update();
    }
    for (int i = 0; i < quote.taxes().size(); i++) {
      Invoice.Tax tax = quote.taxes().get(i);
      jdbc.sql(
              """
              INSERT INTO billing_invoice_tax (tenant_id, invoice_id, position, name, rate, amount)
              VALUES (:t, :id, :p, :n, :r, :a)
              """)
          .param("t", tenant.value())
          .param("id", id)
          .param("p", i + 1)
          .param("n", tax.name())
          .param("r", tax.rate())
          .param("a", tax.amount().minorUnits())
          .update();
    }
    return find(tenant, id).orElseThrow();
  }

  public Optional<Invoice> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM billing_invoice WHERE tenant_id = :t AND id = :id")
        .param("t", tenant.value())
        .param("id", id)
        .query(this::mapHeader)
        .optional()
        .map(this::withDetails);
  }

  public Invoice require(TenantId tenant, UUID id) {
    return find(tenant, id).orElseThrow(() -> new NotFoundException("Invoice"));
  }

  /** A company's invoices, newest first (without lines). */
  public List<Invoice> of(TenantId tenant) {
    return jdbc.sql(
            "SELECT * FROM billing_invoice WHERE tenant_id = :t ORDER BY issued_at DESC, number DESC")
        .param("t", tenant.value())
        .query(this::mapHeader)
        .list();
  }

  /** Every company's invoices for the operator, newest first, optionally of one status. */
  public List<Invoice> all(String status, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM billing_invoice WHERE (:s::text IS NULL OR status = :s)
            ORDER BY issued_at DESC, number DESC LIMIT :limit
            """)
        .param("s", status)
        .param("limit", limit)
        .query(this::mapHeader)
        .list();
  }

  /** The operator records the payment of an open invoice; anything else is left as it is. */
  @Transactional
  public boolean markPaid(TenantId tenant, UUID id) {
    int updated =
        jdbc.sql(
                """
                UPDATE billing_invoice SET status = 'paid', paid_at = :now
                WHERE tenant_id = :t AND id = :id AND status = 'open'
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("t", tenant.value())
            .param("id", id)
            .update();
    if (updated == 1) {
      events.publishEvent(new InvoicePaid(tenant, id));
    }
    return updated == 1;
  }

  /** Prints the bank details and creditor reference on an open invoice to be paid by transfer. */
  @Transactional(propagation = Propagation.REQUIRED)
  void setPaymentInstructions(TenantId tenant, UUID id, Invoice.PaymentInstructions pay) {
    jdbc.sql(
            """
            UPDATE billing_invoice SET pay_account_holder = :h, pay_iban = :iban, pay_bic = :bic,
                   pay_reference = :ref, pay_by = :by
            WHERE tenant_id = :t AND id = :id AND status = 'open'
            """)
        .param("h", pay.accountHolder())
        .param("iban", pay.iban())
        .param("bic", pay.bic())
        .param("ref", pay.reference())
        .param("by", pay.payBy())
        .param("t", tenant.value())
        .param("id", id)
        .update();
  }

  /** Voids an open invoice; it keeps its number, so the sequence shows no gap. */
  @Transactional
  public boolean voidInvoice(TenantId tenant, UUID id) {
    return jdbc.sql(
                """
                UPDATE billing_invoice SET status = 'void', voided_at = :now
                WHERE tenant_id = :t AND id = :id AND status = 'open'
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("t", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  private Invoice mapHeader(ResultSet rs, int row) throws SQLException {
    Currency currency = Currency.getInstance(rs.getString("currency"));
    Timestamp paid = rs.getTimestamp("paid_at");
    return new Invoice(
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        rs.getObject("id", UUID.class),
        rs.getString("display_number"),
        rs.getString("kind"),
        rs.getString("status"),
        Language.fromCode(rs.getString("language")).orElse(Language.EN),
        rs.getTimestamp("issued_at").toInstant(),
        paid == null ? null : paid.toInstant(),
        new Invoice.Party(
            rs.getString("seller_name"),
            rs.getString("seller_address"),
            rs.getString("seller_country"),
            null,
            rs.getString("seller_tax_numbers")),
        new Invoice.Party(
            rs.getString("buyer_name"),
            rs.getString("buyer_address"),
            rs.getString("buyer_country"),
            rs.getString("buyer_subdivision"),
            rs.getString("buyer_vat_number")),
        rs.getBoolean("reverse_charge"),
        List.of(),
        List.of(),
        new Money(rs.getLong("subtotal"), currency),
        new Money(rs.getLong("tax_total"), currency),
        new Money(rs.getLong("total"), currency),
        rs.getString("pay_reference") == null
            ? null
            : new Invoice.PaymentInstructions(
                rs.getString("pay_account_holder"),
                rs.getString("pay_iban"),
                rs.getString("pay_bic"),
                rs.getString("pay_reference"),
                rs.getObject("pay_by", LocalDate.class)));
  }

  private Invoice withDetails(Invoice i) {
    Currency currency = i.total().currency();
    List<Invoice.Line> lines =
        jdbc.sql(
                """
                SELECT kind, quantity, sms, unit_price, amount, period_start, period_end
                FROM billing_invoice_line WHERE tenant_id = :t AND invoice_id = :id ORDER BY position
                """)
            .param("t", i.tenantId().value())
            .param("id", i.id())
            .query((rs, n) ->
                new Invoice.Line(
                    rs.getString(1),
                    rs.getInt(2),
                    rs.getLong(3),
                    new Money(rs.getLong(4), currency),
                    new Money(rs.getLong(5), currency),
                    rs.getObject(6, LocalDate.class),
                    rs.getObject(7, LocalDate.class)))
            .list();
    List<Invoice.Tax> taxes =
        jdbc.sql(
                """
                SELECT name, rate, amount FROM billing_invoice_tax
                WHERE tenant_id = :t AND invoice_id = :id ORDER BY position
                """)
            .param("t", i.tenantId().value())
            .param("id", i.id())
            .query((rs, n) ->
                new Invoice.Tax(
                    rs.getString(1),
                    rs.getBigDecimal(2).stripTrailingZeros(),
                    new Money(rs.getLong(3), currency)))
            .list();
    return new Invoice(
        i.tenantId(),
        i.id(),
        i.number(),
        i.kind(),
        i.status(),
        i.language(),
        i.issuedAt(),
        i.paidAt(),
        i.seller(),
        i.buyer(),
        i.reverseCharge(),
        new ArrayList<>(lines),
        new ArrayList<>(taxes),
        i.subtotal(),
        i.taxTotal(),
        i.total(),
        i.payment());
  }
}
