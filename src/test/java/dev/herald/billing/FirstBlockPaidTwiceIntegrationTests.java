package dev.herald.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.billing.SmsOrderRefunds.Reason;
import dev.herald.payment.Checkout;
import dev.herald.payment.PaymentMethod;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.net.URI;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A first block's order cancelled while awaiting its transfer lets the buyer pay the first month
 * another way; the cancelled order's transfer that still arrives then pays a first month already
 * paid: it is kept for a refund, and the paid month (its invoice, the subscription) is untouched.
 */
@SpringBootTest
class FirstBlockPaidTwiceIntegrationTests {

  static final URI BACK = URI.create("http://localhost/settings/billing/orders/x");

  @Autowired Orders orders;
  @Autowired SmsOrderRefunds refunds;
  @Autowired SmsSubscriptions subscriptions;
  @Autowired Pricing pricing;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Invoices invoices;
  @Autowired PaymentDriver payments;

  TestCompany aMonthlyCompany() {
    TestCompany c = companies.aCompany("CA", "America/Toronto", "fr", "STANDARD", false, true);
    accounts.choose(c.id(), "blocks", "CAD");
    return c;
  }

  SmsOrder firstBlock(TestCompany c, PaymentMethod method) {
    SmsOrder o = orders.startSubscription(c.id());
    orders.saveDetails(
        c.id(),
        o.id(),
        new Orders.Details("Salon Ouest Inc.", "1 rue Saint-Paul\nMontréal", "CA", "", "f@o.test"));
    orders.chooseMethod(c.id(), o.id(), method.name());
    orders.place(c.id(), o.id(), Locale.FRENCH, BACK);
    return orders.require(c.id(), o.id());
  }

  void withUnlockOnPayment(boolean on, Runnable body) {
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(on));
    try {
      body.run();
    } finally {
      pricing.updateSeller(seller);
    }
  }

  void lateTransferOfACancelledFirstBlockIsKeptForARefund(boolean unlockOnPayment) {
    withUnlockOnPayment(
        unlockOnPayment,
        () -> {
          TestCompany c = aMonthlyCompany();
          SmsOrder byTransfer = firstBlock(c, PaymentMethod.BANK_TRANSFER);
          Checkout.BankTransfer bank =
              (Checkout.BankTransfer) payments.find(byTransfer.paymentId()).checkout();
          orders.cancel(c.id(), byTransfer.id());

          SmsOrder byCard = firstBlock(c, PaymentMethod.CARD);
          payments.settle(byCard.paymentId());
          SmsOrder paid = orders.require(c.id(), byCard.id());
          assertThat(paid.status()).isEqualTo(SmsOrder.Status.PAID);
          UUID firstInvoice = subscriptions.find(c.id()).orElseThrow().firstInvoiceId();
          assertThat(firstInvoice).isEqualTo(paid.invoiceId());
          String statusBefore = subscriptions.find(c.id()).orElseThrow().status();

          // The transfer the buyer had sent anyway arrives.
          payments.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op");

          assertThat(orders.require(c.id(), byTransfer.id()).status())
              .isEqualTo(SmsOrder.Status.CANCELLED);
          SmsSubscription after = subscriptions.find(c.id()).orElseThrow();
          assertThat(after.firstInvoiceId())
              .as("the paid month keeps its invoice")
              .isEqualTo(firstInvoice);
          assertThat(after.status()).isEqualTo(statusBefore);
          assertThat(invoices.of(c.id()))
              .as("no second first block invoiced")
              .filteredOn(i -> "paid".equals(i.status()))
              .extracting(Invoice::id)
              .containsExactly(firstInvoice);
          assertThat(refunds.find(c.id(), byTransfer.paymentId()))
              .hasValueSatisfying(r -> {
                assertThat(r.reason()).isEqualTo(Reason.FIRST_BLOCK_PAID);
                assertThat(r.amount()).isEqualTo(bank.amount());
                assertThat(r.orderId()).isEqualTo(byTransfer.id());
                assertThat(r.open()).isTrue();
              });
        });
  }

  @Test
  void a_late_transfer_of_a_cancelled_first_block_after_the_month_started_is_kept_for_a_refund() {
    lateTransferOfACancelledFirstBlockIsKeptForARefund(true);
  }

  @Test
  void
      a_late_transfer_of_a_cancelled_first_block_while_the_paid_month_waits_is_kept_for_a_refund() {
    lateTransferOfACancelledFirstBlockIsKeptForARefund(false);
  }
}
