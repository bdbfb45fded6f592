package dev.herald.billing;

import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads where a company stands, for its Billing page, the REST API and the credit alerts. */
@Service
public class SmsBilling {

  private final BillingAccounts accounts;
  private final Credits credits;
  private final SmsSubscriptions subscriptions;
  private final BillingRuns runs;
  private final Pricing pricing;
  private final Clock clock;
  private final JdbcClient jdbc;

  SmsBilling(
      JdbcClient jdbc,
      BillingAccounts accounts,
      Credits credits,
      SmsSubscriptions subscriptions,
      BillingRuns runs,
      Pricing pricing,
      Clock clock) {
    this.jdbc = jdbc;
    this.accounts = accounts;
    this.credits = credits;
    this.subscriptions = subscriptions;
    this.runs = runs;
    this.pricing = pricing;
    this.clock = clock;
  }

  /** The credit alert to show on every page, if any: one query, as it runs for each page. */
  public Optional<CreditAlert> alert(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT %s, a.low_credit_threshold FROM billing_account a
            JOIN credit_wallet w ON w.tenant_id = a.tenant_id
            WHERE a.tenant_id = :t AND a.model = 'packs'
            """
                .formatted(Credits.balanceSql("w")))
        .param("t", tenant.value())
        .query((rs, n) -> new CreditAlert(rs.getLong(1) == 0, rs.getLong(1), rs.getInt(2)))
        .optional()
        .filter(a -> a.usedUp() || a.balance() <= a.threshold());
  }

  /** Every company's model, balance and this period's usage, in one query. */
  public java.util.Map<TenantId, CompanyBilling> overview() {
    java.util.Map<TenantId, CompanyBilling> all = new java.util.HashMap<>();
    jdbc.sql(
            """
            WITH p AS (
                SELECT a.tenant_id, a.model, a.currency, coalesce(%s, 0) AS balance, s.status,
                       CASE WHEN s.status = 'active' THEN
                           ((s.started_at AT TIME ZONE c.time_zone) + make_interval(months => s.period))
                               AT TIME ZONE c.time_zone END AS period_start
                FROM billing_account a
                JOIN company c ON c.id = a.tenant_id
                LEFT JOIN credit_wallet w ON w.tenant_id = a.tenant_id
                LEFT JOIN sms_subscription s ON s.tenant_id = a.tenant_id)
            SELECT p.*, (SELECT coalesce(sum(u.units), 0) FROM sms_usage u
                         WHERE u.tenant_id = p.tenant_id AND u.recorded_at >= p.period_start) AS used
            FROM p
            """
                .formatted(Credits.balanceSql("w")))
        .query((rs, n) -> {
          TenantId id = new TenantId(rs.getObject("tenant_id", java.util.UUID.class));
          java.sql.Timestamp start = rs.getTimestamp("period_start");
          return new CompanyBilling(
              id,
              rs.getString("model"),
              rs.getString("currency"),
              rs.getLong("balance"),
              rs.getString("status"),
              start == null ? null : start.toInstant(),
              rs.getLong("used"));
        })
        .list()
        .forEach(b -> all.put(b.tenantId(), b));
    return all;
  }

  public SmsBillingStatus status(TenantId tenant) {
    Optional<BillingAccount> account = accounts.find(tenant);
    Currency currency = account.map(BillingAccount::currency).orElse(Currency.getInstance("EUR"));
    Pricing.BlockPrice block = pricing.block(currency);
    Optional<SmsSubscription> subscription = subscriptions.find(tenant);
    Money zero = new Money(0, currency);
    Instant start = null;
    Instant end = null;
    long used = 0;
    long started = 0;
    long overage = 0;
    Money overageMoney = zero;
    Money estimate = zero;
    if (subscription.isPresent() && subscription.get().active()) {
      start = subscription.get().periodStartsAt();
      end = subscription.get().periodEndsAt();
      used =
          runs.usage(
              tenant, start, clock.instant().isAfter(end) ? end : clock.instant().plusNanos(1));
      started = Blocks.started(used, block.size());
      overage = Blocks.overage(used, block.size());
      overageMoney = block.price().times(overage);
      estimate = subscription.get().stopping() ? overageMoney : overageMoney.plus(block.price());
    }
    return new SmsBillingStatus(
        account.flatMap(BillingAccount::model),
        currency.getCurrencyCode(),
        account
            .map(BillingAccount::lowCreditThreshold)
            .orElse(BillingAccount.DEFAULT_LOW_CREDIT_THRESHOLD),
        credits.balance(tenant),
        subscription,
        block.size(),
        block.price(),
        start,
        end,
        used,
        started,
        overage,
        overageMoney,
        estimate);
  }
}
