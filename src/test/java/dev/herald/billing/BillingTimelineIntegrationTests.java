package dev.herald.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import dev.herald.shared.TenantId;
import dev.herald.support.MutableClock;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Plan;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The seed's timeline (Plannit, Québec) on a settable clock, in the company's time zone, through
 * db-scheduler's manual scheduler.
 */
@SpringBootTest(properties = "db-scheduler.enabled=false")
class BillingTimelineIntegrationTests {

  static final ZoneId QUEBEC = ZoneId.of("America/Toronto");

  @TestConfiguration
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(at(2026, 1, 15, 10, 0));
    }
  }

  static Instant at(int year, int month, int day, int hour, int minute) {
    return LocalDateTime.of(year, month, day, hour, minute).atZone(QUEBEC).toInstant();
  }

  @Autowired MutableClock clock;
  @Autowired TestCompanies companies;
  @Autowired Companies allCompanies;
  @Autowired BillingAccounts accounts;
  @Autowired SmsSubscriptions subscriptions;
  @Autowired Credits credits;
  @Autowired Invoices invoices;
  @Autowired BillingRuns runs;
  @Autowired RecurringTask<Void> billingRunTask;
  @Autowired DataSource dataSource;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;
  @Autowired Orders orders;
  @Autowired dev.herald.support.PaymentDriver payments;

  ManualScheduler scheduler(SettableClock schedulerClock) {
    ManualScheduler scheduler =
        TestHelper.createManualScheduler(dataSource, List.of())
            .clock(schedulerClock)
            .startTasks(List.of(billingRunTask))
            .build();
    scheduler.start();
    return scheduler;
  }

  void moveTo(Instant instant, SettableClock... schedulerClocks) {
    clock.set(instant);
    for (SettableClock c : schedulerClocks) {
      c.set(instant);
    }
  }

  /** Sends {@code segments} billed segments as messages of 1 to 3 parts, reserved then captured. */
  void send(TenantId tenant, int segments) {
    List<CreditRequest> requests = new ArrayList<>();
    int left = segments;
    int parts = 1;
    while (left > 0) {
      int n = Math.min(parts, left);
      requests.add(new CreditRequest(UUID.randomUUID(), n));
      left -= n;
      parts = parts % 3 + 1;
    }
    CreditReservation r =
        tx.execute(s -> credits.reserve(tenant, UUID.randomUUID().toString(), requests));
    assertThat(r.reserved()).hasSize(requests.size());
    List<CreditUse> uses =
        requests.stream().map(q -> new CreditUse(tenant, q.reference(), q.units())).toList();
    tx.executeWithoutResult(s -> credits.capture(UUID.randomUUID(), uses));
  }

  List<Invoice> invoicesOf(TenantId tenant) {
    return invoices.of(tenant).stream().map(i -> invoices.require(tenant, i.id())).toList();
  }

  @Test
  void unlock_on_15_january_then_1200_segments_then_the_run_on_15_february() throws Exception {
    SettableClock node1 = new SettableClock();
    SettableClock node2 = new SettableClock();
    moveTo(at(2026, 1, 15, 10, 0), node1, node2);
    TestCompany plannit =
        companies.aCompany("CA", "America/Toronto", "en", "STANDARD", false, true);
    TenantId tenant = plannit.id();
    accounts.choose(tenant, "blocks", "CAD");
    accounts.setBuyerDetails(tenant, "Plannit Québec", null, "CA-QC", null);
    subscriptions.request(tenant);
    ManualScheduler first = scheduler(node1);
    ManualScheduler second = scheduler(node2);

    subscriptions.unlock(tenant);

    assertThat(allCompanies.require(tenant).smsAvailable()).isTrue();
    List<Invoice> afterUnlock = invoicesOf(tenant);
    assertThat(afterUnlock).hasSize(1);
    assertThat(afterUnlock.getFirst().lines())
        .singleElement()
        .satisfies(l -> {
          assertThat(l.kind()).isEqualTo("block");
          assertThat(l.quantity()).isEqualTo(1);
          assertThat(l.periodStart()).hasToString("2026-01-15");
          assertThat(l.periodEnd()).hasToString("2026-02-15");
        });

    moveTo(at(2026, 1, 20, 9, 0), node1, node2);
    send(tenant, 700);
    moveTo(at(2026, 2, 15, 9, 59), node1, node2);
    send(tenant, 500);
    first.runAnyDueExecutions();
    assertThat(invoicesOf(tenant)).as("the period has not ended at 9:59").hasSize(1);

    // 15 February, 10:00 in Québec: both nodes poll at once.
    moveTo(at(2026, 2, 15, 11, 0), node1, node2);
    CompletableFuture<Void> a = CompletableFuture.runAsync(first::runAnyDueExecutions);
    CompletableFuture<Void> b = CompletableFuture.runAsync(second::runAnyDueExecutions);
    CompletableFuture.allOf(a, b).get();
    assertThat(invoicesOf(tenant)).as("billed by the scheduled run").hasSize(2);
    // And a run started by hand at the same time, and once more after.
    CompletableFuture<BillingRuns.Run> c = CompletableFuture.supplyAsync(runs::run);
    CompletableFuture<BillingRuns.Run> d = CompletableFuture.supplyAsync(runs::run);
    CompletableFuture.allOf(c, d).get();
    moveTo(at(2026, 2, 15, 13, 0), node1, node2);
    first.runAnyDueExecutions();
    second.runAnyDueExecutions();

    List<Invoice> all = invoicesOf(tenant);
    assertThat(all).hasSize(2);
    Invoice monthly =
        all.stream().filter(i -> i.kind().equals("monthly")).findFirst().orElseThrow();
    assertThat(monthly.lines())
        .extracting(Invoice.Line::kind, Invoice.Line::quantity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("block", 1),
            org.assertj.core.groups.Tuple.tuple("overage", 2));
    assertThat(monthly.lines().get(0).periodStart()).hasToString("2026-02-15");
    assertThat(monthly.lines().get(1).periodStart()).hasToString("2026-01-15");
    // 3 blocks of 25.00 CAD, GST 5 % and QST 9.975 % per line.
    assertThat(monthly.subtotal().minorUnits()).isEqualTo(7500);
    assertThat(monthly.taxes()).extracting(Invoice.Tax::name).containsExactly("GST", "QST");
    assertThat(
            jdbc.sql("SELECT used FROM billing_period WHERE tenant_id = :t AND period = 0")
                .param("t", tenant.value())
                .query(Long.class)
                .single())
        .isEqualTo(1200);
    assertThat(subscriptions.find(tenant).orElseThrow().periodEndsAt())
        .isEqualTo(at(2026, 3, 15, 10, 0));
  }

  @Autowired Pricing pricing;

  @Test
  void with_unlock_on_payment_the_paid_first_invoice_unlocks_sms_and_starts_the_period() {
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(true));
    try {
      moveTo(at(2026, 5, 2, 9, 0));
      TestCompany c = companies.aCompany("CA", "America/Toronto", "en", "STARTER", false, true);
      accounts.choose(c.id(), "blocks", "CAD");
      subscriptions.request(c.id());
      Invoice first = subscriptions.invoiceAhead(c.id());
      assertThat(allCompanies.require(c.id()).smsAvailable()).as("not before payment").isFalse();
      assertThat(subscriptions.pending())
          .anySatisfy(s -> assertThat(s.firstInvoiceId()).isEqualTo(first.id()));

      moveTo(at(2026, 5, 4, 14, 30));
      invoices.markPaid(c.id(), first.id());

      assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
      SmsSubscription s = subscriptions.find(c.id()).orElseThrow();
      assertThat(s.status()).isEqualTo("active");
      assertThat(s.startedAt()).isEqualTo(at(2026, 5, 4, 14, 30));
      assertThat(s.periodEndsAt()).isEqualTo(at(2026, 6, 4, 14, 30));
      assertThat(invoicesOf(c.id())).as("no second first block").hasSize(1);
    } finally {
      pricing.updateSeller(seller);
    }
  }

  @Test
  void a_company_moved_to_free_gets_its_final_overage_and_no_next_block() {
    moveTo(at(2026, 1, 15, 10, 0));
    TestCompany c = companies.aCompany("CA", "America/Toronto", "en", "STANDARD", false, true);
    accounts.choose(c.id(), "blocks", "CAD");
    subscriptions.request(c.id());
    subscriptions.unlock(c.id());
    moveTo(at(2026, 1, 25, 10, 0));
    send(c.id(), 501);
    allCompanies.changePlan(c.id(), Plan.FREE);

    moveTo(at(2026, 2, 16, 0, 0));
    runs.run();
    runs.run();

    List<Invoice> all = invoicesOf(c.id());
    assertThat(all).hasSize(2);
    Invoice last = all.stream().filter(i -> i.kind().equals("monthly")).findFirst().orElseThrow();
    assertThat(last.lines())
        .extracting(Invoice.Line::kind, Invoice.Line::quantity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("overage", 1));
    assertThat(subscriptions.find(c.id()).orElseThrow().status()).isEqualTo("ended");
  }

  @Test
  void a_stop_request_ends_sms_at_the_end_of_the_paid_period() {
    moveTo(at(2026, 3, 10, 8, 0));
    TestCompany c = companies.aCompany("CA", "America/Toronto", "en", "PRO", false, true);
    accounts.choose(c.id(), "blocks", "CAD");
    subscriptions.request(c.id());
    subscriptions.unlock(c.id());
    moveTo(at(2026, 3, 20, 8, 0));
    subscriptions.requestStop(c.id());
    assertThat(allCompanies.require(c.id()).smsAvailable())
        .as("until the end of the period")
        .isTrue();

    moveTo(at(2026, 4, 10, 8, 0).plus(Duration.ofMinutes(1)));
    runs.run();

    assertThat(allCompanies.require(c.id()).smsAvailable()).isFalse();
    assertThat(invoicesOf(c.id())).as("no usage, no next block: nothing more").hasSize(1);
    assertThat(subscriptions.find(c.id()).orElseThrow().status()).isEqualTo("ended");
  }

  @Test
  void
      a_subscription_bought_by_card_on_15_january_is_renewed_on_15_february_without_a_second_first_month() {
    moveTo(at(2026, 1, 15, 10, 0));
    TestCompany c = companies.aCompany("CA", "America/Toronto", "en", "STANDARD", false, true);
    TenantId tenant = c.id();
    accounts.choose(tenant, "blocks", "CAD");
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(true));
    try {
      SmsOrder o = orders.startSubscription(tenant);
      orders.saveDetails(
          tenant,
          o.id(),
          new Orders.Details("Plannit Québec", "1 rue Saint-Paul", "CA", "", "b@p.test"));
      orders.chooseMethod(tenant, o.id(), "CARD");
      orders.place(tenant, o.id(), java.util.Locale.ENGLISH, java.net.URI.create("http://x/back"));
      payments.settle(payments.forReference(o.id().toString()).paymentId());
    } finally {
      pricing.updateSeller(seller);
    }
    assertThat(allCompanies.require(tenant).smsAvailable()).isTrue();

    moveTo(at(2026, 1, 20, 9, 0));
    send(tenant, 700);
    moveTo(at(2026, 2, 15, 11, 0));
    runs.run();
    runs.run();

    List<Invoice> all = invoicesOf(tenant);
    assertThat(all).extracting(Invoice::kind).containsExactlyInAnyOrder("first_block", "monthly");
    Invoice first = all.stream().filter(i -> i.kind().equals("first_block")).findFirst().get();
    assertThat(first.lines().getFirst().periodStart()).hasToString("2026-01-15");
    assertThat(first.lines().getFirst().periodEnd()).hasToString("2026-02-15");
    Invoice monthly = all.stream().filter(i -> i.kind().equals("monthly")).findFirst().get();
    assertThat(monthly.lines())
        .extracting(Invoice.Line::kind, Invoice.Line::quantity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("block", 1),
            org.assertj.core.groups.Tuple.tuple("overage", 1));
    assertThat(monthly.lines().get(0).periodStart()).hasToString("2026-02-15");
    assertThat(monthly.lines().get(0).periodEnd()).hasToString("2026-03-15");
    assertThat(monthly.lines().get(1).periodStart()).hasToString("2026-01-15");
    assertThat(subscriptions.find(tenant).orElseThrow().period()).isEqualTo(1);
  }
}
