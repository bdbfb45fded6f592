package dev.herald.billing;

import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly billing run: for every subscription whose paid period has ended, the next block (if
 * it goes on) plus each started block of overage of the period just ended, on one invoice. Each
 * company is billed in its own transaction, locked with SKIP LOCKED and recorded per period under a
 * primary key, so runs on several nodes at once or run twice bill each period once.
 */
@Service
public class BillingRuns {

  private static final Logger log = LoggerFactory.getLogger(BillingRuns.class);

  private final JdbcClient jdbc;
  private final Companies companies;
  private final BillingAccounts accounts;
  private final Pricing pricing;
  private final Invoices invoices;
  private final TransactionTemplate tx;
  private final Clock clock;

  BillingRuns(
      JdbcClient jdbc,
      Companies companies,
      BillingAccounts accounts,
      Pricing pricing,
      Invoices invoices,
      TransactionTemplate tx,
      Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.accounts = accounts;
    this.pricing = pricing;
    this.invoices = invoices;
    this.tx = tx;
    this.clock = clock;
  }

  /** A run and what it produced. */
  public record Run(
      UUID id,
      String node,
      Instant startedAt,
      Instant finishedAt,
      int companies,
      int invoices,
      int failures) {}

  /** Runs now; returns the run's record. */
  public Run run() {
    UUID runId = Ids.next();
    Instant started = clock.instant();
    jdbc.sql("INSERT INTO billing_run (id, node, started_at) VALUES (:id, :node, :now)")
        .param("id", runId)
        .param("node", node())
        .param("now", Timestamp.from(started))
        .update();
    List<UUID> due =
        jdbc.sql(
                """
                SELECT tenant_id FROM sms_subscription WHERE status = 'active' AND period_ends_at <= :now
                ORDER BY period_ends_at
                """)
            .param("now", Timestamp.from(started))
            .query(UUID.class)
            .list();
    int billed = 0;
    int issued = 0;
    int failures = 0;
    for (UUID tenant : due) {
      try {
        Integer n = tx.execute(s -> billCompany(new TenantId(tenant), runId, started));
        if (n != null && n >= 0) {
          billed++;
          issued += n;
        }
      } catch (RuntimeException e) {
        failures++;
        log.error("Billing run {} failed for company {}", runId, tenant, e);
      }
    }
    jdbc.sql(
            """
            UPDATE billing_run SET finished_at = :now, companies = :c, invoices = :i, failures = :f
            WHERE id = :id
            """)
        .param("now", Timestamp.from(clock.instant()))
        .param("c", billed)
        .param("i", issued)
        .param("f", failures)
        .param("id", runId)
        .update();
    return recent(1).getFirst();
  }

  /** Bills every ended period of one company; -1 when another run holds it or nothing is due. */
  private int billCompany(TenantId tenant, UUID runId, Instant now) {
    record Due(Instant startedAt, int period, Instant endsAt, Instant stopRequested) {}
    Optional<Due> locked =
        jdbc.sql(
                """
                SELECT started_at, period, period_ends_at, stop_requested_at FROM sms_subscription
                WHERE tenant_id = :t AND status = 'active' AND period_ends_at <= :now
                FOR UPDATE SKIP LOCKED
                """)
            .param("t", tenant.value())
            .param("now", Timestamp.from(now))
            .query((rs, n) ->
                new Due(
                    rs.getTimestamp(1).toInstant(),
                    rs.getInt(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))
            .optional();
    if (locked.isEmpty()) {
      return -1;
    }
    Company company = companies.require(tenant);
    ZoneId zone = company.timeZone();
    BillingAccount account = accounts.ensure(tenant);
    Pricing.BlockPrice block = pricing.block(account.currency());
    Instant startedAt = locked.get().startedAt();
    int period = locked.get().period();
    Instant endsAt = locked.get().endsAt();
    boolean goesOn =
        locked.get().stopRequested() == null && company.plan().allowsSms() && company.smsUnlocked();
    int issued = 0;
    while (!endsAt.isAfter(now)) {
      Instant startsAt = SmsSubscriptions.periodStart(startedAt, zone, period);
      long used = usage(tenant, startsAt, endsAt);
      long overage = Blocks.overage(used, block.size());
      int inserted =
          jdbc.sql(
                  """
                  INSERT INTO billing_period (tenant_id, period, starts_at, ends_at, used, overage_blocks,
                                              next_block, run_id, billed_at)
                  VALUES (:t, :p, :s, :e, :used, :over, :next, :run, :now)
                  ON CONFLICT (tenant_id, period) DO NOTHING
                  """)
              .param("t", tenant.value())
              .param("p", period)
              .param("s", Timestamp.from(startsAt))
              .param("e", Timestamp.from(endsAt))
              .param("used", used)
              .param("over", overage)
              .param("next", goesOn)
              .param("run", runId)
              .param("now", Timestamp.from(now))
              .update();
      Instant nextEnd = SmsSubscriptions.periodStart(startedAt, zone, period + 2);
      if (inserted == 1) {
        List<Invoices.LineDraft> lines = new ArrayList<>();
        if (goesOn) {
          lines.add(
              new Invoices.LineDraft(
                  "block",
                  1,
                  block.size(),
                  block.price(),
                  endsAt.atZone(zone).toLocalDate(),
                  nextEnd.atZone(zone).toLocalDate()));
        }
        if (overage > 0) {
          lines.add(
              new Invoices.LineDraft(
                  "overage",
                  Math.toIntExact(overage),
                  block.size(),
                  block.price(),
                  startsAt.atZone(zone).toLocalDate(),
                  endsAt.atZone(zone).toLocalDate()));
        }
        if (!lines.isEmpty()) {
          Invoice invoice = invoices.issue(tenant, "monthly", account.currency(), lines);
          jdbc.sql("UPDATE billing_period SET invoice_id = :i WHERE tenant_id = :t AND period = :p")
              .param("i", invoice.id())
              .param("t", tenant.value())
              .param("p", period)
              .update();
          issued++;
        }
      }
      if (!goesOn) {
        jdbc.sql(
                """
                UPDATE sms_subscription SET status = 'ended', ended_at = :e, version = version + 1
                WHERE tenant_id = :t
                """)
            .param("e", Timestamp.from(endsAt))
            .param("t", tenant.value())
            .update();
        if (company.smsUnlocked() && locked.get().stopRequested() != null) {
          // The stop the company asked for takes effect now, at the end of its paid period.
          companies.setSmsUnlocked(tenant, false);
        }
        return issued;
      }
      period++;
      endsAt = nextEnd;
      jdbc.sql(
              """
              UPDATE sms_subscription SET period = :p, period_ends_at = :e, version = version + 1
              WHERE tenant_id = :t
              """)
          .param("p", period)
          .param("e", Timestamp.from(endsAt))
          .param("t", tenant.value())
          .update();
    }
    return issued;
  }

  /** SMS captured for the company in [from, to). */
  public long usage(TenantId tenant, Instant from, Instant to) {
    return jdbc.sql(
            """
            SELECT coalesce(sum(units), 0) FROM sms_usage
            WHERE tenant_id = :t AND recorded_at >= :from AND recorded_at < :to
            """)
        .param("t", tenant.value())
        .param("from", Timestamp.from(from))
        .param("to", Timestamp.from(to))
        .query(Long.class)
        .single();
  }

  public List<Run> recent(int limit) {
    return jdbc.sql("SELECT * FROM billing_run ORDER BY started_at DESC, id DESC LIMIT :l")
        .param("l", limit)
        .query((rs, n) ->
            new Run(
                rs.getObject("id", UUID.class),
                rs.getString("node"),
                rs.getTimestamp("started_at").toInstant(),
                rs.getTimestamp("finished_at") == null
                    ? null
                    : rs.getTimestamp("finished_at").toInstant(),
                rs.getInt("companies"),
                rs.getInt("invoices"),
                rs.getInt("failures")))
        .list();
  }

  private static String node() {
    try {
      return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
    } catch (Exception e) {
      return "node:" + ProcessHandle.current().pid();
    }
  }
}
