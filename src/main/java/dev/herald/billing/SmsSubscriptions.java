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
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Monthly blocks (H1, B1): the company asks, the operator unlocks (or payment of the first invoice
 * does, when the operator set it so), the period starts then and its first block is invoiced for
 * the coming month. Stopping is a request too, effective at the end of the paid period.
 */
@Service
public class SmsSubscriptions {

  private final JdbcClient jdbc;
  private final Companies companies;
  private final BillingAccounts accounts;
  private final Pricing pricing;
  private final Invoices invoices;
  private final Clock clock;

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SmsSubscriptions.class);

  SmsSubscriptions(
      JdbcClient jdbc,
      Companies companies,
      BillingAccounts accounts,
      Pricing pricing,
      Invoices invoices,
      Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.accounts = accounts;
    this.pricing = pricing;
    this.invoices = invoices;
    this.clock = clock;
  }

  /**
   * Start of period {@code n} of a subscription started at {@code start}, in the company's zone.
   */
  static Instant periodStart(Instant start, ZoneId zone, int n) {
    return start.atZone(zone).plusMonths(n).toInstant();
  }

  public Optional<SmsSubscription> find(TenantId tenant) {
    return jdbc.sql("SELECT * FROM sms_subscription WHERE tenant_id = :t")
        .param("t", tenant.value())
        .query(this::map)
        .optional();
  }

  /** Subscriptions the operator has to look at: requests, and active ones asked to stop. */
  public List<SmsSubscription> pending() {
    return jdbc.sql(
            """
            SELECT * FROM sms_subscription
            WHERE status = 'requested' OR (status = 'active' AND stop_requested_at IS NOT NULL)
            ORDER BY coalesce(stop_requested_at, requested_at)
            """)
        .query(this::map)
        .list();
  }

  /** The company asks for SMS on monthly blocks (from its Billing page). */
  @Transactional
  public void request(TenantId tenant) {
    Company company = companies.require(tenant);
    if (!company.plan().allowsSms()) {
      throw new InvalidInputException(FieldProblem.of("sms", "billing.request.plan"));
    }
    BillingAccount account = accounts.ensure(tenant);
    if (account.model().isPresent() && account.model().get() == SmsModel.PACKS) {
      throw new InvalidInputException(FieldProblem.of("sms", "billing.request.packs"));
    }
    jdbc.sql(
            """
            INSERT INTO sms_subscription (tenant_id, status, requested_at) VALUES (:t, 'requested', :now)
            ON CONFLICT (tenant_id) DO UPDATE SET status = 'requested', requested_at = EXCLUDED.requested_at,
                started_at = NULL, period = 0, period_ends_at = NULL, first_invoice_id = NULL,
                stop_requested_at = NULL, ended_at = NULL, version = sms_subscription.version + 1
            WHERE sms_subscription.status = 'ended'
            """)
        .param("t", tenant.value())
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  /** The company asks to stop: SMS go on until the end of the paid period; nothing is refunded. */
  @Transactional
  public void requestStop(TenantId tenant) {
    jdbc.sql(
            """
            UPDATE sms_subscription SET stop_requested_at = :now, version = version + 1
            WHERE tenant_id = :t AND status = 'active' AND stop_requested_at IS NULL
            """)
        .param("t", tenant.value())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    // A request not yet unlocked simply ends.
    jdbc.sql(
            """
            UPDATE sms_subscription SET status = 'ended', ended_at = :now, version = version + 1
            WHERE tenant_id = :t AND status = 'requested' AND first_invoice_id IS NULL
            """)
        .param("t", tenant.value())
        .param("now", Timestamp.from(clock.instant()))
        .update();
  }

  /**
   * The operator unlocks SMS on monthly blocks: the first period starts now and its block is
   * invoiced (unless the first invoice was issued ahead). Refused unless the company is on blocks.
   */
  @Transactional
  public Invoice unlock(TenantId tenant) {
    Company company = companies.require(tenant);
    BillingAccount account = requireBlocks(tenant);
    if (!company.plan().allowsSms()) {
      throw new InvalidInputException(FieldProblem.of("sms", "billing.request.plan"));
    }
    accounts.lockRow(tenant); // after an order's freeze, or before it: never both
    Optional<SmsSubscription> current = lock(tenant);
    if (current.isPresent() && current.get().active()) {
      throw new InvalidInputException(FieldProblem.of("sms", "billing.subscription.active"));
    }
    if (firstBlockAwaitingPayment(tenant)) {
      // Its payment would bill the first block a second time: the transfer is recorded instead.
      throw new InvalidInputException(FieldProblem.of("sms", "billing.subscription.orderWaiting"));
    }
    Instant now = clock.instant();
    Invoice first =
        current
            .map(SmsSubscription::firstInvoiceId)
            .flatMap(id -> invoices.find(tenant, id))
            .orElse(null);
    if (first == null) {
      first = firstBlockInvoice(company, account, now);
    }
    start(company, now, first.id());
    return first;
  }

  /**
   * With "unlock on payment" set by the operator: the first block is invoiced now, and SMS unlock
   * when that invoice is paid.
   */
  @Transactional
  public Invoice invoiceAhead(TenantId tenant) {
    Company company = companies.require(tenant);
    BillingAccount account = requireBlocks(tenant);
    accounts.lockRow(tenant);
    Optional<SmsSubscription> current = lock(tenant);
    if (current.isEmpty() || !current.get().requested()) {
      throw new InvalidInputException(FieldProblem.of("sms", "billing.subscription.notRequested"));
    }
    if (current.get().firstInvoiceId() != null) {
      return invoices.require(tenant, current.get().firstInvoiceId());
    }
    if (firstBlockAwaitingPayment(tenant)) {
      // The company is paying its first block through an order: a second invoice would bill it
      // twice.
      throw new InvalidInputException(
          FieldProblem.of("sms", "billing.subscription.orderWaitingAhead"));
    }
    Invoice first = firstBlockInvoice(company, account, clock.instant());
    jdbc.sql(
            "UPDATE sms_subscription SET first_invoice_id = :i, version = version + 1 WHERE tenant_id = :t")
        .param("i", first.id())
        .param("t", tenant.value())
        .update();
    return first;
  }

  /**
   * The first block was bought and paid through the checkout (in the settling transaction): the
   * request carries that paid invoice, so the operator's unlock starts the period with it and never
   * issues a second one; with "unlock on payment" set the period starts now and SMS are unlocked
   * (never lifting the operator's block). A subscription already active is left alone.
   */
  void firstBlockPaid(TenantId tenant, UUID invoiceId) {
    Instant now = clock.instant();
    Optional<SmsSubscription> current = lock(tenant);
    if (current.isPresent() && current.get().active()) {
      log.warn("First block {} paid while the subscription of {} is active", invoiceId, tenant);
      return;
    }
    jdbc.sql(
            """
            INSERT INTO sms_subscription (tenant_id, status, requested_at, first_invoice_id)
            VALUES (:t, 'requested', :now, :inv)
            ON CONFLICT (tenant_id) DO UPDATE SET status = 'requested',
                requested_at = CASE WHEN sms_subscription.status = 'requested'
                    THEN sms_subscription.requested_at ELSE EXCLUDED.requested_at END,
                started_at = NULL, period = 0, period_ends_at = NULL, first_invoice_id = :inv,
                stop_requested_at = NULL, ended_at = NULL, version = sms_subscription.version + 1
            WHERE sms_subscription.status <> 'active'
            """)
        .param("t", tenant.value())
        .param("now", Timestamp.from(now))
        .param("inv", invoiceId)
        .update();
    Company company = companies.require(tenant);
    boolean onBlocks = accounts.ensure(tenant).model().map(m -> m == SmsModel.BLOCKS).orElse(false);
    if (pricing.seller().unlockOnPayment()
        && onBlocks
        && company.plan().allowsSms()
        && !companies.smsBlockedByOperator(tenant)) {
      start(company, now, invoiceId);
    }
    // Else the paid month waits with its invoice: under the operator's block it would run (and
    // end unrenewed) without a single SMS; the operator's unlock starts it.
  }

  /** A paid first invoice unlocks SMS when the operator set unlocking on payment. */
  @EventListener
  void on(InvoicePaid paid) {
    if (!pricing.seller().unlockOnPayment()) {
      return;
    }
    Optional<SmsSubscription> s = lock(paid.tenantId());
    if (s.isPresent() && s.get().requested() && paid.invoiceId().equals(s.get().firstInvoiceId())) {
      Company company = companies.require(paid.tenantId());
      if (company.plan().allowsSms() && !companies.smsBlockedByOperator(paid.tenantId())) {
        start(company, clock.instant(), paid.invoiceId());
      }
    }
  }

  private boolean firstBlockAwaitingPayment(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM sms_order WHERE tenant_id = :t AND kind = 'first_block'
                             AND status = 'awaiting_payment')
            """)
        .param("t", tenant.value())
        .query(Boolean.class)
        .single();
  }

  private void start(Company company, Instant now, UUID firstInvoice) {
    jdbc.sql(
            """
            INSERT INTO sms_subscription (tenant_id, status, requested_at, started_at, period, period_ends_at,
                                          first_invoice_id)
            VALUES (:t, 'active', :now, :now, 0, :ends, :inv)
            ON CONFLICT (tenant_id) DO UPDATE SET status = 'active', started_at = :now, period = 0,
                period_ends_at = :ends, first_invoice_id = :inv, stop_requested_at = NULL, ended_at = NULL,
                version = sms_subscription.version + 1
            """)
        .param("t", company.id().value())
        .param("now", Timestamp.from(now))
        .param("ends", Timestamp.from(periodStart(now, company.timeZone(), 1)))
        .param("inv", firstInvoice)
        .update();
    if (!company.smsUnlocked()) {
      companies.unlockSmsUnlessBlocked(company.id());
    }
  }

  private Invoice firstBlockInvoice(Company company, BillingAccount account, Instant from) {
    Pricing.BlockPrice block = pricing.block(account.currency());
    ZoneId zone = company.timeZone();
    return invoices.issue(
        company.id(),
        "first_block",
        account.currency(),
        List.of(
            new Invoices.LineDraft(
                "block",
                1,
                block.size(),
                block.price(),
                from.atZone(zone).toLocalDate(),
                periodStart(from, zone, 1).atZone(zone).toLocalDate())));
  }

  private BillingAccount requireBlocks(TenantId tenant) {
    BillingAccount account = accounts.ensure(tenant);
    if (account.model().isEmpty() || account.model().get() != SmsModel.BLOCKS) {
      throw new InvalidInputException(FieldProblem.of("model", "billing.subscription.notBlocks"));
    }
    return account;
  }

  private Optional<SmsSubscription> lock(TenantId tenant) {
    return jdbc.sql("SELECT * FROM sms_subscription WHERE tenant_id = :t FOR UPDATE")
        .param("t", tenant.value())
        .query(this::map)
        .optional();
  }

  private SmsSubscription map(ResultSet rs, int row) throws SQLException {
    TenantId tenant = new TenantId(rs.getObject("tenant_id", UUID.class));
    Instant started = instant(rs, "started_at");
    int period = rs.getInt("period");
    Instant periodStart = null;
    if (started != null) {
      ZoneId zone = companies.find(tenant).map(Company::timeZone).orElse(ZoneId.of("UTC"));
      periodStart = periodStart(started, zone, period);
    }
    return new SmsSubscription(
        tenant,
        rs.getString("status"),
        instant(rs, "requested_at"),
        started,
        period,
        periodStart,
        instant(rs, "period_ends_at"),
        rs.getObject("first_invoice_id", UUID.class),
        instant(rs, "stop_requested_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
