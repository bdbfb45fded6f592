package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.payment.Checkout;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.internal.SandboxProvider;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Companies;
import java.net.URI;
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
 * The monthly subscription bought through the checkout (H1, B2): its first block is an order paid
 * by card in the sandbox or by bank transfer, settled exactly once, and SMS are switched on by the
 * payment only where the operator chose so, never over the operator's block.
 */
@SpringBootTest
class MonthlyCheckoutIntegrationTests {

  @Autowired Orders orders;
  @Autowired SmsSubscriptions subscriptions;
  @Autowired Pricing pricing;
  @Autowired TestCompanies companies;
  @Autowired Companies allCompanies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Invoices invoices;
  @Autowired PaymentDriver payments;
  @Autowired JdbcClient jdbc;

  static final URI BACK = URI.create("http://localhost/settings/billing/orders/x");

  /** A Canadian company on monthly blocks (CAD) whose SMS are still locked. */
  TestCompany aMonthlyCompany() {
    TestCompany c = companies.aCompany("CA", "America/Toronto", "fr", "STANDARD", false, true);
    accounts.choose(c.id(), "blocks", "CAD");
    return c;
  }

  SmsOrder subscriptionDraft(TestCompany c, PaymentMethod method) {
    SmsOrder o = orders.startSubscription(c.id());
    orders.saveDetails(
        c.id(),
        o.id(),
        new Orders.Details("Salon Ouest Inc.", "1 rue Saint-Paul\nMontréal", "CA", "", "f@o.test"));
    return orders.chooseMethod(c.id(), o.id(), method.name());
  }

  UUID placeAndFindPayment(TestCompany c, SmsOrder o) {
    orders.place(c.id(), o.id(), Locale.FRENCH, BACK);
    return payments.forReference(o.id().toString()).paymentId();
  }

  long grants(TenantId t) {
    return jdbc.sql("SELECT count(*) FROM credit_ledger WHERE tenant_id = :t AND kind = 'grant'")
        .param("t", t.value())
        .query(Long.class)
        .single();
  }

  /** Runs the body with the seller's "unlock on payment" set as given, then puts it back. */
  void withUnlockOnPayment(boolean on, Runnable body) {
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(on));
    try {
      body.run();
    } finally {
      pricing.updateSeller(seller);
    }
  }

  @Test
  void paid_by_card_the_first_block_is_invoiced_paid_and_starts_the_subscription_with_sms_on() {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = aMonthlyCompany();
          Pricing.BlockPrice block = pricing.block(java.util.Currency.getInstance("CAD"));
          SmsOrder draft = subscriptionDraft(c, PaymentMethod.CARD);
          assertThat(draft.kind()).isEqualTo(SmsOrder.Kind.FIRST_BLOCK);
          assertThat(draft.sms()).isEqualTo(block.size());

          UUID payment = placeAndFindPayment(c, draft);
          SmsOrder waiting = orders.require(c.id(), draft.id());
          assertThat(waiting.subtotal()).contains(block.price());
          assertThat(payments.find(payment).amount()).isEqualTo(waiting.total().orElseThrow());
          assertThat(allCompanies.require(c.id()).smsAvailable()).isFalse();

          payments.settle(payment);

          SmsOrder paid = orders.require(c.id(), draft.id());
          assertThat(paid.status()).isEqualTo(SmsOrder.Status.PAID);
          Invoice invoice = invoices.require(c.id(), paid.invoiceId());
          assertThat(invoice.kind()).isEqualTo("first_block");
          assertThat(invoice.status()).isEqualTo("paid");
          assertThat(invoice.total()).isEqualTo(paid.total().orElseThrow());
          assertThat(invoice.lines())
              .singleElement()
              .satisfies(l -> {
                assertThat(l.kind()).isEqualTo("block");
                assertThat(l.sms()).isEqualTo(block.size());
              });
          SmsSubscription s = subscriptions.find(c.id()).orElseThrow();
          assertThat(s.status()).isEqualTo("active");
          assertThat(s.period()).isZero();
          assertThat(s.firstInvoiceId()).isEqualTo(invoice.id());
          assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
          assertThat(credits.balance(c.id())).as("no pack credit").isZero();
          assertThat(grants(c.id())).isZero();

          // Subscribed: a second first block is refused with the reason.
          assertThat(orders.subscriptionRefusal(c.id()))
              .contains("orders.refused.subscriptionActive");
          assertThatThrownBy(() -> orders.startSubscription(c.id()))
              .isInstanceOf(InvalidInputException.class)
              .satisfies(e ->
                  assertThat(((InvalidInputException) e).problems().getFirst().code())
                      .isEqualTo("orders.refused.subscriptionActive"));
        });
  }

  @Test
  void the_same_settlement_told_100_times_from_10_threads_starts_the_subscription_once() {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = aMonthlyCompany();
          SmsOrder o = subscriptionDraft(c, PaymentMethod.GOOGLE_PAY);
          UUID payment = placeAndFindPayment(c, o);
          String sameEvent =
              SandboxProvider.event(
                  "evt_sbx_block_" + payment,
                  "checkout.completed",
                  payments.find(payment).session(),
                  payment,
                  "paid",
                  null);
          ExecutorService pool = Executors.newFixedThreadPool(10);
          List<Future<?>> done = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            boolean repeat = i % 2 == 0;
            done.add(
                pool.submit(
                    (Callable<Void>)
                        () -> {
                          if (repeat) {
                            payments.post(sameEvent);
                          } else {
                            payments.settle(payment);
                          }
                          return null;
                        }));
          }
          try {
            for (Future<?> f : done) {
              f.get();
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          } finally {
            pool.shutdown();
          }

          assertThat(invoices.of(c.id()))
              .singleElement()
              .satisfies(i -> {
                assertThat(i.kind()).isEqualTo("first_block");
                assertThat(i.status()).isEqualTo("paid");
              });
          SmsSubscription s = subscriptions.find(c.id()).orElseThrow();
          assertThat(s.status()).isEqualTo("active");
          assertThat(
                  jdbc.sql("SELECT version FROM sms_subscription WHERE tenant_id = :t")
                      .param("t", c.id().value())
                      .query(Integer.class)
                      .single())
              .as("requested once, started once")
              .isEqualTo(1);
          assertThat(grants(c.id())).isZero();
          assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
        });
  }

  @Test
  void
      without_unlock_on_payment_it_is_paid_but_locked_and_the_operators_unlock_uses_that_invoice() {
    withUnlockOnPayment(
        false,
        () -> {
          TestCompany c = aMonthlyCompany();
          SmsOrder o = subscriptionDraft(c, PaymentMethod.CARD);
          payments.settle(placeAndFindPayment(c, o));

          SmsOrder paid = orders.require(c.id(), o.id());
          assertThat(paid.status()).isEqualTo(SmsOrder.Status.PAID);
          assertThat(invoices.require(c.id(), paid.invoiceId()).status()).isEqualTo("paid");
          assertThat(allCompanies.require(c.id()).smsAvailable()).isFalse();
          SmsSubscription requested = subscriptions.find(c.id()).orElseThrow();
          assertThat(requested.status()).isEqualTo("requested");
          assertThat(requested.firstInvoiceId()).isEqualTo(paid.invoiceId());
          assertThat(subscriptions.pending())
              .anySatisfy(s -> assertThat(s.firstInvoiceId()).isEqualTo(paid.invoiceId()));
          assertThat(orders.subscriptionRefusal(c.id())).contains("orders.refused.firstBlockPaid");

          Invoice used = subscriptions.unlock(c.id());

          assertThat(used.id()).isEqualTo(paid.invoiceId());
          assertThat(invoices.of(c.id())).as("no second first block").hasSize(1);
          assertThat(subscriptions.find(c.id()).orElseThrow().status()).isEqualTo("active");
          assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
          assertThat(credits.balance(c.id())).isZero();
        });
  }

  @Test
  void a_bank_transfer_recorded_by_the_operator_pays_the_open_first_block_and_starts_it() {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = aMonthlyCompany();
          SmsOrder o = subscriptionDraft(c, PaymentMethod.BANK_TRANSFER);
          Checkout.BankTransfer bank =
              (Checkout.BankTransfer) orders.place(c.id(), o.id(), Locale.FRENCH, BACK).checkout();
          SmsOrder waiting = orders.require(c.id(), o.id());
          Invoice open = invoices.require(c.id(), waiting.invoiceId());
          assertThat(open.kind()).isEqualTo("first_block");
          assertThat(open.open()).isTrue();
          assertThat(bank.creditorReference()).startsWith("RF");
          assertThat(allCompanies.require(c.id()).smsAvailable()).isFalse();
          assertThat(subscriptions.find(c.id())).isEmpty();
          // One first block awaiting its payment at a time.
          assertThat(orders.subscriptionRefusal(c.id()))
              .contains("orders.refused.firstBlockWaiting");

          payments.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op");
          payments.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op");

          assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.PAID);
          assertThat(invoices.of(c.id()))
              .singleElement()
              .satisfies(i -> {
                assertThat(i.id()).isEqualTo(open.id());
                assertThat(i.status()).isEqualTo("paid");
              });
          assertThat(subscriptions.find(c.id()).orElseThrow().active()).isTrue();
          assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
          assertThat(grants(c.id())).isZero();
        });
  }

  @Test
  void a_paid_first_block_never_lifts_the_operators_block() {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = aMonthlyCompany();
          allCompanies.setSmsUnlockedByOperator(c.id(), false);
          SmsOrder o = subscriptionDraft(c, PaymentMethod.CARD);
          payments.settle(placeAndFindPayment(c, o));

          assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.PAID);
          assertThat(allCompanies.smsBlockedByOperator(c.id())).isTrue();
          assertThat(allCompanies.require(c.id()).smsAvailable()).isFalse();
          // The paid month does not run while SMS cannot be sent: it waits for the operator.
          SmsSubscription waiting = subscriptions.find(c.id()).orElseThrow();
          assertThat(waiting.status()).isEqualTo("requested");
          UUID paidInvoice = orders.require(c.id(), o.id()).invoiceId();
          assertThat(waiting.firstInvoiceId()).isEqualTo(paidInvoice);

          // The operator lifts the block (as the console's unlock): the month starts then.
          assertThat(subscriptions.unlock(c.id()).id()).isEqualTo(paidInvoice);
          allCompanies.setSmsUnlockedByOperator(c.id(), true);
          assertThat(subscriptions.find(c.id()).orElseThrow().active()).isTrue();
          assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
          assertThat(invoices.of(c.id())).as("no second first block").hasSize(1);
        });
  }

  @Test
  void a_company_without_a_model_is_put_on_blocks_by_its_paid_first_block() {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = companies.aDanishCompany(false, true);
          assertThat(orders.subscriptionRefusal(c.id())).isEmpty();
          assertThat(orders.refusal(c.id())).as("packs are offered too").isEmpty();
          SmsOrder o = orders.startSubscription(c.id());
          orders.saveDetails(
              c.id(),
              o.id(),
              new Orders.Details("Salon Nord ApS", "Nørregade 1", "DK", "", "b@n.test"));
          orders.chooseMethod(c.id(), o.id(), PaymentMethod.CARD.name());
          payments.settle(placeAndFindPayment(c, o));

          assertThat(accounts.find(c.id()).orElseThrow().model()).contains(SmsModel.BLOCKS);
          assertThat(orders.require(c.id(), o.id()).currency().getCurrencyCode()).isEqualTo("DKK");
          assertThat(subscriptions.find(c.id()).orElseThrow().active()).isTrue();
          assertThat(orders.refusal(c.id())).contains("orders.refused.blocks");
        });
  }

  @Test
  void refusals_name_their_reason_packs_company_free_company_and_a_second_waiting_order() {
    TestCompany packs = aCompanyOnPacks(companies, accounts, credits, 0);
    assertThat(orders.subscriptionRefusal(packs.id())).contains("orders.refused.packs");
    assertThatThrownBy(() -> orders.startSubscription(packs.id()))
        .isInstanceOf(InvalidInputException.class);

    TestCompany free = companies.aCompany("DK", "Europe/Copenhagen", "da", "FREE", false, false);
    assertThat(orders.subscriptionRefusal(free.id())).contains("orders.refused.plan");

    // Two drafts (two tabs): the first placed waits for its payment; the second cannot be placed.
    TestCompany c = aMonthlyCompany();
    SmsOrder first = subscriptionDraft(c, PaymentMethod.CARD);
    SmsOrder second = subscriptionDraft(c, PaymentMethod.CARD);
    orders.place(c.id(), first.id(), Locale.FRENCH, BACK);
    assertThatThrownBy(() -> orders.place(c.id(), second.id(), Locale.FRENCH, BACK))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems())
                .extracting(p -> p.code())
                .contains("orders.refused.firstBlockWaiting"));
    assertThat(orders.require(c.id(), second.id()).status()).isEqualTo(SmsOrder.Status.DRAFT);
    assertThat(payments.started().stream().filter(s -> s.tenantId().equals(c.id()))).hasSize(1);

    // Nor does the operator's unlock bill a second first block while one awaits its payment.
    assertThatThrownBy(() -> subscriptions.unlock(c.id()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems().getFirst().code())
                .isEqualTo("billing.subscription.orderWaiting"));
    assertThat(invoices.of(c.id())).isEmpty();

    // Cancelled, the waiting one no longer stands in the way.
    orders.cancel(c.id(), first.id());
    assertThat(orders.subscriptionRefusal(c.id())).isEmpty();
  }

  // --- revbill: a fresh-eyes review of the monthly checkout
  // ---------------------------------------

  SmsOrder packDraft(TestCompany c, PaymentMethod method) {
    SmsOrder o = orders.start(c.id(), orders.packs(c.id()).getFirst().id().toString());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon Nord ApS", "Nørregade 1", "DK", "", "b@n.test"));
    return orders.chooseMethod(c.id(), o.id(), method.name());
  }

  SmsOrder danishSubscriptionDraft(TestCompany c, PaymentMethod method) {
    SmsOrder o = orders.startSubscription(c.id());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon Nord ApS", "Nørregade 1", "DK", "", "b@n.test"));
    return orders.chooseMethod(c.id(), o.id(), method.name());
  }

  @Test
  void a_company_without_a_model_cannot_subscribe_while_its_pack_order_awaits_a_transfer() {
    TestCompany c = companies.aDanishCompany(false, true);
    SmsOrder pack = packDraft(c, PaymentMethod.BANK_TRANSFER);
    // A draft begun in another tab before the pack was placed is refused when it would pay too.
    SmsOrder draft = danishSubscriptionDraft(c, PaymentMethod.CARD);
    orders.place(c.id(), pack.id(), Locale.ENGLISH, BACK);

    assertThat(orders.subscriptionRefusal(c.id())).contains("orders.refused.packWaiting");
    assertThatThrownBy(() -> orders.startSubscription(c.id()))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> orders.place(c.id(), draft.id(), Locale.ENGLISH, BACK))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems())
                .extracting(p -> p.code())
                .contains("orders.refused.packWaiting"));
    assertThat(payments.started().stream().filter(s -> s.tenantId().equals(c.id())))
        .as("only the pack's payment")
        .hasSize(1);

    // The transfer then pays the pack: its credit, on packs.
    payments.settle(payments.forReference(pack.id().toString()).paymentId());
    assertThat(orders.require(c.id(), pack.id()).status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(accounts.find(c.id()).orElseThrow().model()).contains(SmsModel.PACKS);
    assertThat(credits.balance(c.id())).isEqualTo(pack.sms());
  }

  @Test
  void a_company_without_a_model_cannot_buy_a_pack_while_its_first_block_awaits_a_transfer() {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = companies.aDanishCompany(false, true);
          SmsOrder block = danishSubscriptionDraft(c, PaymentMethod.BANK_TRANSFER);
          SmsOrder draft = packDraft(c, PaymentMethod.CARD);
          orders.place(c.id(), block.id(), Locale.ENGLISH, BACK);

          assertThat(orders.refusal(c.id())).contains("orders.refused.firstBlockWaiting");
          assertThatThrownBy(
                  () -> orders.start(c.id(), orders.packs(c.id()).getFirst().id().toString()))
              .isInstanceOf(InvalidInputException.class);
          assertThatThrownBy(() -> orders.place(c.id(), draft.id(), Locale.ENGLISH, BACK))
              .isInstanceOf(InvalidInputException.class);

          payments.settle(payments.forReference(block.id().toString()).paymentId());
          assertThat(accounts.find(c.id()).orElseThrow().model()).contains(SmsModel.BLOCKS);
          assertThat(subscriptions.find(c.id()).orElseThrow().active()).isTrue();
          assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
        });
  }

  @Test
  void the_operator_cannot_switch_the_model_while_an_order_awaits_its_payment() {
    TestCompany c = aMonthlyCompany();
    SmsOrder block = subscriptionDraft(c, PaymentMethod.BANK_TRANSFER);
    orders.place(c.id(), block.id(), Locale.FRENCH, BACK);

    assertThatThrownBy(() -> accounts.choose(c.id(), "packs", "CAD"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems().getFirst().code())
                .isEqualTo("billing.model.orderWaiting"));
    assertThat(accounts.find(c.id()).orElseThrow().model()).contains(SmsModel.BLOCKS);
  }

  @Test
  void the_operator_cannot_switch_the_model_while_a_paid_first_block_waits_for_the_unlock() {
    withUnlockOnPayment(
        false,
        () -> {
          TestCompany c = aMonthlyCompany();
          SmsOrder o = subscriptionDraft(c, PaymentMethod.CARD);
          payments.settle(placeAndFindPayment(c, o));
          assertThat(subscriptions.find(c.id()).orElseThrow().requested()).isTrue();

          assertThatThrownBy(() -> accounts.choose(c.id(), "packs", "CAD"))
              .isInstanceOf(InvalidInputException.class)
              .satisfies(e ->
                  assertThat(((InvalidInputException) e).problems().getFirst().code())
                      .isEqualTo("billing.model.firstBlockPaid"));
          assertThat(accounts.find(c.id()).orElseThrow().model()).contains(SmsModel.BLOCKS);
          assertThat(subscriptions.unlock(c.id()).id())
              .isEqualTo(orders.require(c.id(), o.id()).invoiceId());
        });
  }

  @Test
  void a_first_block_invoiced_ahead_by_the_operator_is_not_sold_again_through_the_checkout() {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = aMonthlyCompany();
          subscriptions.request(c.id());
          Invoice ahead = subscriptions.invoiceAhead(c.id());

          assertThat(orders.subscriptionRefusal(c.id()))
              .contains("orders.refused.firstBlockInvoiced");
          assertThatThrownBy(() -> orders.startSubscription(c.id()))
              .isInstanceOf(InvalidInputException.class);
          assertThat(invoices.of(c.id())).extracting(Invoice::id).containsExactly(ahead.id());
        });
  }

  @Test
  void the_operator_cannot_invoice_ahead_while_a_first_block_order_awaits_its_payment() {
    TestCompany c = aMonthlyCompany();
    subscriptions.request(c.id());
    SmsOrder o = subscriptionDraft(c, PaymentMethod.CARD);
    UUID payment = placeAndFindPayment(c, o);

    assertThatThrownBy(() -> subscriptions.invoiceAhead(c.id()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems().getFirst().code())
                .isEqualTo("billing.subscription.orderWaitingAhead"));
    assertThatThrownBy(() -> subscriptions.unlock(c.id()))
        .isInstanceOf(InvalidInputException.class);

    payments.settle(payment);
    assertThat(invoices.of(c.id())).as("one first block, paid by the card").hasSize(1);
  }

  @Test
  void a_late_transfer_after_the_operator_unlocked_by_hand_pays_that_open_first_invoice() {
    withUnlockOnPayment(
        false,
        () -> {
          TestCompany c = aMonthlyCompany();
          SmsOrder o = subscriptionDraft(c, PaymentMethod.BANK_TRANSFER);
          Checkout.BankTransfer bank =
              (Checkout.BankTransfer) orders.place(c.id(), o.id(), Locale.FRENCH, BACK).checkout();
          UUID voided = orders.require(c.id(), o.id()).invoiceId();
          jdbc.sql("UPDATE sms_order SET expires_at = now() - interval '1 minute' WHERE id = :id")
              .param("id", o.id())
              .update();
          orders.expireDue();
          assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.EXPIRED);

          // The company asked by chat; the operator unlocked by hand and invoiced the first block.
          subscriptions.request(c.id());
          Invoice byHand = subscriptions.unlock(c.id());
          assertThat(byHand.open()).isTrue();

          // Then the transfer arrives after all: it pays that first block, not a second one.
          payments.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op");

          SmsOrder paid = orders.require(c.id(), o.id());
          assertThat(paid.status()).isEqualTo(SmsOrder.Status.PAID);
          assertThat(paid.invoiceId()).isEqualTo(byHand.id());
          assertThat(invoices.require(c.id(), byHand.id()).status()).isEqualTo("paid");
          assertThat(invoices.of(c.id()))
              .extracting(Invoice::id, Invoice::status)
              .containsExactlyInAnyOrder(
                  org.assertj.core.groups.Tuple.tuple(voided, "void"),
                  org.assertj.core.groups.Tuple.tuple(byHand.id(), "paid"));
        });
  }
}
