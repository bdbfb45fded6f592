package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.billing.SmsOrderRefunds.Reason;
import dev.herald.billing.SmsOrderRefunds.Refund;
import dev.herald.payment.Checkout;
import dev.herald.payment.Payee;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.ReferenceKind;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Money that reached the operator for an SMS order and paid nothing (paid twice, another amount,
 * the company on the other model by then) is kept once per payment for a refund, and credits
 * nothing; the operator marks each refunded once.
 */
@SpringBootTest
class SmsOrderRefundsIntegrationTests {

  static final URI BACK = URI.create("http://localhost/settings/billing/orders/x");

  @Autowired Orders orders;
  @Autowired SmsOrderRefunds refunds;
  @Autowired Pricing pricing;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired PaymentDriver payments;
  @Autowired JdbcClient jdbc;

  SmsOrder placed(TestCompany c, PaymentMethod method) {
    SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon Nord ApS", "Nørregade 1", "DK", "", "b@n.test"));
    orders.chooseMethod(c.id(), o.id(), method.name());
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    return orders.require(c.id(), o.id());
  }

  PaymentSettled settled(TestCompany c, UUID payment, SmsOrder o, Money amount) {
    return new PaymentSettled(
        payment,
        c.id(),
        Payee.operator(),
        ReferenceKind.SMS_ORDER,
        o.id().toString(),
        amount,
        PaymentMethod.CARD,
        Instant.now());
  }

  long grants(TenantId t) {
    return jdbc.sql("SELECT count(*) FROM credit_ledger WHERE tenant_id = :t AND kind = 'grant'")
        .param("t", t.value())
        .query(Long.class)
        .single();
  }

  List<Refund> of(TestCompany c) {
    return refunds.list().stream().filter(r -> r.tenantId().equals(c.id())).toList();
  }

  @Test
  void a_second_payment_of_a_paid_order_is_kept_once_for_a_refund_and_credits_nothing()
      throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = placed(c, PaymentMethod.CARD);
    payments.settle(o.paymentId());
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);

    // The payment that paid it, told again: nothing to refund.
    payments.publishInTransaction(settled(c, o.paymentId(), o, o.total().orElseThrow()));
    assertThat(of(c)).isEmpty();

    // A second payment of the same order (a second checkout), told by ten threads at once.
    UUID second = UUID.randomUUID();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        all.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      payments.publishInTransaction(settled(c, second, o, o.total().orElseThrow()));
                      return null;
                    }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(of(c))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.paymentId()).isEqualTo(second);
          assertThat(r.orderId()).isEqualTo(o.id());
          assertThat(r.amount()).isEqualTo(Money.of(50000, "DKK"));
          assertThat(r.reason()).isEqualTo(Reason.PAID_TWICE);
          assertThat(r.open()).isTrue();
        });
    assertThat(credits.balance(c.id())).as("credited once").isEqualTo(OrderFixtures.SMS);
    assertThat(grants(c.id())).isEqualTo(1);
    assertThat(refunds.openCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_payment_of_another_amount_pays_nothing_and_is_kept_for_a_refund() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = placed(c, PaymentMethod.CARD);
    UUID odd = UUID.randomUUID();

    payments.publishInTransaction(settled(c, odd, o, Money.of(100, "DKK")));

    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
    assertThat(credits.balance(c.id())).isZero();
    assertThat(of(c))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.reason()).isEqualTo(Reason.AMOUNT_DIFFERS);
          assertThat(r.amount()).isEqualTo(Money.of(100, "DKK"));
        });
    // A company's own payment, or a document invoice's, is not the operator's to refund here.
    payments.publishInTransaction(
        new PaymentSettled(
            UUID.randomUUID(),
            c.id(),
            Payee.company(c.id()),
            ReferenceKind.SMS_ORDER,
            o.id().toString(),
            Money.of(200, "DKK"),
            PaymentMethod.CARD,
            Instant.now()));
    assertThat(of(c)).hasSize(1);
  }

  @Test
  void
      a_late_transfer_after_the_company_moved_to_blocks_credits_nothing_and_is_kept_for_a_refund() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = placed(c, PaymentMethod.BANK_TRANSFER);
    Checkout.BankTransfer bank = (Checkout.BankTransfer) payments.find(o.paymentId()).checkout();
    jdbc.sql("UPDATE sms_order SET expires_at = now() - interval '1 minute' WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();
    orders.expireDue();
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.EXPIRED);
    accounts.choose(c.id(), "blocks", "DKK");

    payments.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op");

    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.EXPIRED);
    assertThat(credits.balance(c.id())).isZero();
    assertThat(grants(c.id())).isZero();
    assertThat(of(c))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.reason()).isEqualTo(Reason.MODEL_CHANGED);
          assertThat(r.amount()).isEqualTo(bank.amount());
          assertThat(r.paymentId()).isEqualTo(o.paymentId());
        });
  }

  @Test
  void a_refund_is_marked_once_even_from_two_tabs_at_once() throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = placed(c, PaymentMethod.CARD);
    UUID odd = UUID.randomUUID();
    payments.publishInTransaction(settled(c, odd, o, Money.of(100, "DKK")));

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Boolean> a = pool.submit(() -> refunds.markRefunded(c.id(), odd, "op-a@herald.test"));
      Future<Boolean> b = pool.submit(() -> refunds.markRefunded(c.id(), odd, "op-b@herald.test"));
      assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(true, false);
    } finally {
      pool.shutdown();
    }
    Refund done = refunds.find(c.id(), odd).orElseThrow();
    assertThat(done.open()).isFalse();
    assertThat(done.refundedBy()).isIn("op-a@herald.test", "op-b@herald.test");
    assertThat(refunds.markRefunded(c.id(), odd, "op-c@herald.test")).isFalse();
    assertThat(refunds.find(c.id(), odd).orElseThrow().refundedBy()).isEqualTo(done.refundedBy());
    assertThat(refunds.markRefunded(c.id(), UUID.randomUUID(), "op")).isFalse();
  }
}
