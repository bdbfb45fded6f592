package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import dev.herald.payment.PaymentMethod;
import dev.herald.support.MutableClock;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SMS orders' recurring tasks as db-scheduler runs them (its manual scheduler on a settable
 * clock): a checkout awaiting its payment is asked about again after ten minutes, a transfer order
 * expires after its thirty days with its invoice voided, and a draft never placed is forgotten
 * after thirty days while a newer one and placed orders stay.
 */
@SpringBootTest(properties = "db-scheduler.enabled=false")
class OrderTasksSchedulerTests {

  static final URI BACK = URI.create("http://localhost/settings/billing/orders/x");

  @TestConfiguration
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
  }

  @Autowired MutableClock clock;
  @Autowired Orders orders;
  @Autowired Pricing pricing;
  @Autowired Invoices invoices;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired RecurringTask<Void> orderExpiryTask;
  @Autowired RecurringTask<Void> orderRecheckTask;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;

  SmsOrder draft(TestCompany c) {
    SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon Øst", "Gade 2", "DK", "", "b@ost.test"));
    return o;
  }

  SmsOrder placed(TestCompany c, PaymentMethod method) {
    SmsOrder o = draft(c);
    orders.chooseMethod(c.id(), o.id(), method.name());
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    return orders.require(c.id(), o.id());
  }

  Optional<Instant> recheckedAt(TestCompany c, UUID order) {
    return jdbc.sql(
            "SELECT rechecked_at FROM sms_order WHERE tenant_id = :t AND id = :id"
                + " AND rechecked_at IS NOT NULL")
        .param("t", c.id().value())
        .param("id", order)
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  void moveTo(Instant when, SettableClock schedulerClock, ManualScheduler scheduler) {
    clock.set(when);
    schedulerClock.set(when);
    scheduler.runAnyDueExecutions();
  }

  @Test
  void the_scheduler_rechecks_checkouts_expires_transfers_and_forgets_abandoned_drafts() {
    Instant start = clock.instant();
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder abandoned = draft(c);
    SmsOrder transfer = placed(c, PaymentMethod.BANK_TRANSFER);
    SmsOrder card = placed(c, PaymentMethod.CARD);
    SettableClock schedulerClock = new SettableClock();
    schedulerClock.set(start);
    ManualScheduler scheduler =
        TestHelper.createManualScheduler(dataSource, List.of())
            .clock(schedulerClock)
            .startTasks(List.of(orderExpiryTask, orderRecheckTask))
            .build();
    scheduler.start();
    try {
      scheduler.runAnyDueExecutions();
      assertThat(recheckedAt(c, card.id())).as("not asked before ten minutes").isEmpty();

      moveTo(start.plus(Duration.ofMinutes(11)), schedulerClock, scheduler);
      assertThat(recheckedAt(c, card.id())).as("asked again by the recheck task").isPresent();
      assertThat(orders.require(c.id(), transfer.id()).status())
          .isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
      assertThat(orders.find(c.id(), abandoned.id())).isPresent();

      moveTo(start.plus(Orders.DRAFT_KEPT).minus(Duration.ofHours(1)), schedulerClock, scheduler);
      SmsOrder recent = draft(c);
      assertThat(orders.find(c.id(), abandoned.id())).as("kept until its thirty days").isPresent();

      moveTo(start.plus(Duration.ofDays(31)), schedulerClock, scheduler);
      assertThat(orders.find(c.id(), abandoned.id())).as("forgotten").isEmpty();
      assertThat(orders.find(c.id(), recent.id())).as("a newer draft stays").isPresent();
      SmsOrder expired = orders.require(c.id(), transfer.id());
      assertThat(expired.status()).isEqualTo(SmsOrder.Status.EXPIRED);
      assertThat(invoices.require(c.id(), transfer.invoiceId()).status()).isEqualTo("void");
      assertThat(orders.find(c.id(), card.id()))
          .as("placed orders are never forgotten")
          .isPresent();
    } finally {
      scheduler.stop();
    }
  }
}
