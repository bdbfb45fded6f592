package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnBlocks;
import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.payment.BankTransfers;
import dev.herald.payment.Checkout;
import dev.herald.payment.Payee;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.ReferenceKind;
import dev.herald.payment.internal.SandboxProvider;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Companies;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
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

/** Orders of SMS packs on embedded PostgreSQL: every state move and every "exactly once". */
@SpringBootTest
class OrdersIntegrationTests {

  @Autowired Orders orders;
  @Autowired Pricing pricing;
  @Autowired TestCompanies companies;
  @Autowired Companies allCompanies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Invoices invoices;
  @Autowired PaymentDriver payments;
  @Autowired BankTransfers transfers;
  @Autowired JdbcClient jdbc;

  static final URI BACK = URI.create("http://localhost/settings/billing/orders/x");

  /** The DKK pack of 1,237 SMS for 400.00 kr. (added once). */
  Pricing.Pack pack() {
    return OrderFixtures.dkkPack(pricing);
  }

  SmsOrder draft(TestCompany c, PaymentMethod method) {
    SmsOrder o = orders.start(c.id(), pack().id().toString());
    orders.saveDetails(
        c.id(),
        o.id(),
        new Orders.Details(
            "Salon Nord ApS", "Nørregade 1\n8000 Aarhus", "DK", "", "bill@nord.test"));
    return orders.chooseMethod(c.id(), o.id(), method.name());
  }

  long grants(TenantId t) {
    return jdbc.sql("SELECT count(*) FROM credit_ledger WHERE tenant_id = :t AND kind = 'grant'")
        .param("t", t.value())
        .query(Long.class)
        .single();
  }

  @Test
  void a_card_order_freezes_the_server_price_and_when_paid_credits_invoices_and_unlocks_sms() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    allCompanies.setSmsUnlocked(c.id(), false);
    SmsOrder draft = draft(c, PaymentMethod.CARD);
    assertThat(draft.status()).isEqualTo(SmsOrder.Status.DRAFT);
    assertThat(draft.total()).isEmpty();

    Orders.Placed placed = orders.place(c.id(), draft.id(), Locale.ENGLISH, BACK);
    assertThat(placed.checkout()).isInstanceOf(Checkout.Redirect.class);
    SmsOrder waiting = orders.require(c.id(), draft.id());
    assertThat(waiting.status()).isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
    // 400.00 kr. + 25 % moms, from the price list.
    assertThat(waiting.total()).contains(Money.of(50000, "DKK"));
    assertThat(waiting.taxTotal()).contains(Money.of(10000, "DKK"));
    var started = payments.forReference(draft.id().toString());
    assertThat(started.payee()).isEqualTo(Payee.operator());
    assertThat(started.kind()).isEqualTo(ReferenceKind.SMS_ORDER);
    assertThat(started.amount()).isEqualTo(Money.of(50000, "DKK"));
    assertThat(waiting.invoiceId()).as("a card order's invoice comes with the payment").isNull();

    // Placing again answers the same checkout, never a second one.
    orders.place(c.id(), draft.id(), Locale.ENGLISH, BACK);
    assertThat(payments.started().stream().filter(s -> s.tenantId().equals(c.id()))).hasSize(1);

    payments.settle(started.paymentId());

    SmsOrder paid = orders.require(c.id(), draft.id());
    assertThat(paid.status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    Invoice invoice = invoices.require(c.id(), paid.invoiceId());
    assertThat(invoice.status()).isEqualTo("paid");
    assertThat(invoice.total()).isEqualTo(Money.of(50000, "DKK"));
    assertThat(invoice.buyer().name()).isEqualTo("Salon Nord ApS");
    assertThat(invoice.lines())
        .singleElement()
        .satisfies(l -> assertThat(l.sms()).isEqualTo(OrderFixtures.SMS));
    assertThat(allCompanies.require(c.id()).smsUnlocked()).isTrue();
  }

  @Test
  void the_same_settlement_told_100_times_from_10_threads_credits_once() throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.APPLE_PAY);
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    UUID payment = payments.forReference(o.id().toString()).paymentId();

    // One signed provider event repeated 50 times, and 50 other events that settle the same
    // payment, all through the webhook inbox from 10 threads at once.
    String session = payments.find(payment).session();
    String sameEvent =
        SandboxProvider.event(
            "evt_sbx_repeated_" + payment, "checkout.completed", session, payment, "paid", null);
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
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(grants(c.id())).isEqualTo(1);
    assertThat(invoices.of(c.id()))
        .singleElement()
        .satisfies(i -> assertThat(i.status()).isEqualTo("paid"));
  }

  @Test
  void a_document_invoice_or_company_payee_settlement_grants_nothing() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.CARD);
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    UUID payment = payments.forReference(o.id().toString()).paymentId();
    Money total = Money.of(50000, "DKK");

    payments.publishInTransaction(
        new PaymentSettled(
            payment,
            c.id(),
            Payee.operator(),
            ReferenceKind.DOCUMENT_INVOICE,
            o.id().toString(),
            total,
            PaymentMethod.CARD,
            Instant.now()));
    payments.publishInTransaction(
        new PaymentSettled(
            payment,
            c.id(),
            Payee.company(c.id()),
            ReferenceKind.SMS_ORDER,
            o.id().toString(),
            total,
            PaymentMethod.CARD,
            Instant.now()));
    // A settlement of another amount than the frozen one pays nothing either.
    payments.publishInTransaction(
        new PaymentSettled(
            payment,
            c.id(),
            Payee.operator(),
            ReferenceKind.SMS_ORDER,
            o.id().toString(),
            Money.of(100, "DKK"),
            PaymentMethod.CARD,
            Instant.now()));

    assertThat(credits.balance(c.id())).isZero();
    assertThat(grants(c.id())).isZero();
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
  }

  @Test
  void a_pack_of_another_currency_or_an_unknown_one_is_refused() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    Pricing.Pack eur = OrderFixtures.eurPack(pricing);
    assertThatThrownBy(() -> orders.start(c.id(), eur.id().toString()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems())
                .extracting(p -> p.code())
                .containsExactly("orders.pack.unknown"));
    assertThatThrownBy(() -> orders.start(c.id(), "not-a-pack"))
        .isInstanceOf(InvalidInputException.class);
    assertThat(
            jdbc.sql("SELECT count(*) FROM sms_order WHERE tenant_id = :t")
                .param("t", c.id().value())
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void a_free_company_or_one_on_monthly_blocks_cannot_order_a_pack() {
    TestCompany free = companies.aCompany("DK", "Europe/Copenhagen", "da", "FREE", false, false);
    assertThatThrownBy(() -> orders.start(free.id(), pack().id().toString()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems().getFirst().code())
                .isEqualTo("orders.refused.plan"));
    TestCompany blocks = aCompanyOnBlocks(companies, accounts);
    assertThat(orders.refusal(blocks.id())).contains("orders.refused.blocks");
  }

  @Test
  void billing_details_show_every_problem_at_once_and_check_the_vat_format_of_the_country() {
    assertThatThrownBy(() -> Orders.check(new Orders.Details("", "", "XX", "!", "not-an-address")))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e ->
            assertThat(((InvalidInputException) e).problems())
                .extracting(p -> p.field())
                .containsExactlyInAnyOrder("name", "address", "country", "vatNumber", "email"));
    assertThatThrownBy(() -> Orders.check(new Orders.Details("A", "B", "DE", "DE12345", "a@b.dk")))
        .isInstanceOf(InvalidInputException.class);
    assertThat(
            Orders.check(new Orders.Details("A", "B", "DE", "de 123 456 789", "a@b.dk"))
                .vatNumber())
        .isEqualTo("DE123456789");
    assertThat(Orders.check(new Orders.Details("A", "B", "GR", "123456789", "a@b.dk")).vatNumber())
        .isEqualTo("EL123456789");
    assertThat(
            Orders.check(new Orders.Details("A", "B", "CH", "CHE-123.456.789 MWST", "a@b.dk"))
                .vatNumber())
        .isEqualTo("CHE123456789MWST");
    assertThat(
            Orders.check(new Orders.Details("A", "B", "NO", "123456789MVA", "a@b.dk")).vatNumber())
        .isEqualTo("NO123456789MVA");
    assertThat(
            Orders.check(new Orders.Details("A", "B", "GB", "GB 123 4567 89", "a@b.dk"))
                .vatNumber())
        .isEqualTo("GB123456789");
  }

  @Test
  void an_eu_vat_number_of_another_country_than_the_sellers_is_reverse_charged_at_zero() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = orders.start(c.id(), pack().id().toString());
    orders.saveDetails(
        c.id(),
        o.id(),
        new Orders.Details(
            "Salon Süd GmbH", "Hauptstr. 1, Berlin", "DE", "DE123456789", "a@sud.test"));
    orders.chooseMethod(c.id(), o.id(), "CARD");
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    SmsOrder waiting = orders.require(c.id(), o.id());
    assertThat(waiting.reverseCharge()).isTrue();
    assertThat(waiting.taxTotal()).contains(Money.of(0, "DKK"));
    assertThat(waiting.total()).contains(Money.of(40000, "DKK"));
    payments.settle(payments.forReference(o.id().toString()).paymentId());
    Invoice invoice = invoices.require(c.id(), orders.require(c.id(), o.id()).invoiceId());
    assertThat(invoice.reverseCharge()).isTrue();
    assertThat(invoice.buyer().country()).isEqualTo("DE");
    assertThat(invoice.taxes()).isEmpty();
    // Kept for next time.
    assertThat(orders.lastDetails(c.id()).vatNumber()).isEqualTo("DE123456789");
    assertThat(orders.lastDetails(c.id()).country()).isEqualTo("DE");
  }

  @Test
  void a_failed_payment_fails_the_order_with_its_reason_and_credits_nothing() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.CARD);
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    payments.fail(payments.forReference(o.id().toString()).paymentId(), "declined");
    SmsOrder failed = orders.require(c.id(), o.id());
    assertThat(failed.status()).isEqualTo(SmsOrder.Status.FAILED);
    assertThat(failed.failureReason()).isEqualTo("declined");
    assertThat(credits.balance(c.id())).isZero();
  }

  @Test
  void
      a_bank_transfer_issues_an_open_invoice_credits_nothing_until_recorded_and_once_when_recorded_twice() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.BANK_TRANSFER);
    Orders.Placed placed = orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    Checkout.BankTransfer bank = (Checkout.BankTransfer) placed.checkout();
    SmsOrder waiting = orders.require(c.id(), o.id());
    assertThat(waiting.bank().creditorReference())
        .isEqualTo(bank.creditorReference())
        .startsWith("RF");
    Invoice open = invoices.require(c.id(), waiting.invoiceId());
    assertThat(open.status()).isEqualTo("open");
    assertThat(open.total()).isEqualTo(Money.of(50000, "DKK"));
    // The open invoice carries the bank details and the reference.
    assertThat(open.payment().reference()).isEqualTo(bank.creditorReference());
    assertThat(open.payment().iban()).isEqualTo(bank.iban());
    assertThat(credits.balance(c.id())).isZero();

    assertThat(
            transfers.record(
                bank.creditorReference(), Money.of(50000, "DKK"), LocalDate.now(), "op"))
        .isEqualTo(BankTransfers.Outcome.SETTLED);
    assertThat(
            transfers.record(
                bank.creditorReference(), Money.of(50000, "DKK"), LocalDate.now(), "op"))
        .isEqualTo(BankTransfers.Outcome.ALREADY_RECORDED);

    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    SmsOrder paid = orders.require(c.id(), o.id());
    assertThat(paid.status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(paid.invoiceId()).isEqualTo(open.id());
    assertThat(invoices.require(c.id(), open.id()).status()).isEqualTo("paid");
  }

  @Test
  void
      an_expired_transfer_order_voids_its_invoice_keeping_the_number_and_a_late_transfer_still_pays_it() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.BANK_TRANSFER);
    Checkout.BankTransfer bank =
        (Checkout.BankTransfer) orders.place(c.id(), o.id(), Locale.ENGLISH, BACK).checkout();
    SmsOrder waiting = orders.require(c.id(), o.id());
    assertThat(waiting.expiresAt())
        .isAfter(Instant.now().plus(Orders.TRANSFER_EXPIRY).minusSeconds(3600));
    jdbc.sql("UPDATE sms_order SET expires_at = now() - interval '1 minute' WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();

    assertThat(orders.expireDue()).isGreaterThanOrEqualTo(1);

    SmsOrder expired = orders.require(c.id(), o.id());
    assertThat(expired.status()).isEqualTo(SmsOrder.Status.EXPIRED);
    Invoice voided = invoices.require(c.id(), waiting.invoiceId());
    assertThat(voided.status()).isEqualTo("void");
    assertThat(voided.number()).isEqualTo(invoices.require(c.id(), waiting.invoiceId()).number());
    assertThat(payments.cancelled()).contains(waiting.paymentId());

    payments.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op");

    SmsOrder paid = orders.require(c.id(), o.id());
    assertThat(paid.status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(paid.invoiceId()).isNotEqualTo(voided.id());
    assertThat(invoices.require(c.id(), paid.invoiceId()).status()).isEqualTo("paid");
  }

  @Test
  void a_company_without_a_model_is_put_on_packs_by_a_late_transfer_while_another_pack_waits() {
    TestCompany c = companies.aDanishCompany(false, true);
    SmsOrder first = draft(c, PaymentMethod.BANK_TRANSFER);
    Checkout.BankTransfer bank =
        (Checkout.BankTransfer) orders.place(c.id(), first.id(), Locale.ENGLISH, BACK).checkout();
    jdbc.sql(
            "UPDATE sms_order SET expires_at = now() - interval '1 minute'"
                + " WHERE tenant_id = :t AND id = :id")
        .param("t", c.id().value())
        .param("id", first.id())
        .update();
    orders.expireDue();
    SmsOrder second = draft(c, PaymentMethod.BANK_TRANSFER);
    orders.place(c.id(), second.id(), Locale.ENGLISH, BACK);
    assertThat(accounts.find(c.id()).orElseThrow().model()).isEmpty();

    // the first order's transfer arrives late: a pack, as the other waiting order: not in the way
    assertThat(transfers.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op"))
        .isEqualTo(BankTransfers.Outcome.SETTLED);

    assertThat(orders.require(c.id(), first.id()).status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(accounts.find(c.id()).orElseThrow().model()).contains(SmsModel.PACKS);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(orders.require(c.id(), second.id()).status())
        .isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
  }

  @Test
  void a_late_transfer_for_a_pack_after_the_company_moved_to_monthly_is_kept_and_changes_nothing() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.BANK_TRANSFER);
    Checkout.BankTransfer bank =
        (Checkout.BankTransfer) orders.place(c.id(), o.id(), Locale.ENGLISH, BACK).checkout();
    jdbc.sql("UPDATE sms_order SET expires_at = now() - interval '1 minute' WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();
    orders.expireDue();
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.EXPIRED);
    accounts.choose(c.id(), "blocks", "DKK");

    // The operator records the transfer: taken (not a failure), but a pack cannot be used on
    // blocks.
    assertThat(transfers.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op"))
        .isEqualTo(BankTransfers.Outcome.SETTLED);

    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.EXPIRED);
    assertThat(grants(c.id())).isZero();
    assertThat(payments.forReference(o.id().toString()).status())
        .as("the money stays recorded for the operator to refund")
        .isEqualTo(dev.herald.payment.PaymentStatus.SETTLED);
  }

  @Test
  void an_expired_card_order_is_never_paid_twice_and_a_waiting_one_is_rechecked() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.CARD);
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    UUID payment = payments.forReference(o.id().toString()).paymentId();
    jdbc.sql("UPDATE sms_order SET awaiting_since = now() - interval '1 hour' WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();
    orders.recheckWaiting();
    // Nobody paid: the sandbox has no news of a pending checkout (it tells that by events): asked
    // about, stays awaiting payment, and is not asked again before its next turn.
    assertThat(
            jdbc.sql(
                    "SELECT rechecked_at IS NOT NULL FROM sms_order WHERE tenant_id = :t AND id = :id")
                .param("t", c.id().value())
                .param("id", o.id())
                .query(Boolean.class)
                .single())
        .isTrue();
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
    assertThat(payments.find(payment).status()).isEqualTo(dev.herald.payment.PaymentStatus.PENDING);
  }

  @Test
  void a_needs_a_moment_payment_whose_later_event_was_lost_is_settled_once_by_the_recheck() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.CARD);
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    var started = payments.forReference(o.id().toString());
    // The sandbox page's "needs a moment" card: the checkout completes, the money is not there yet.
    // Its later "succeeded" event is never posted (as when the process stops in those seconds).
    payments.post(
        SandboxProvider.event(
            SandboxProvider.newEventId(),
            "checkout.completed",
            started.session(),
            started.paymentId(),
            "unpaid",
            null));
    assertThat(payments.find(started.paymentId()).status())
        .isEqualTo(dev.herald.payment.PaymentStatus.PROCESSING);
    jdbc.sql("UPDATE sms_order SET awaiting_since = now() - interval '1 hour' WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();

    // Still within the sandbox's delay, a re-check finds the payment still on its way.
    jdbc.sql("UPDATE payment SET updated_at = now() WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();
    orders.recheckWaiting();
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
    assertThat(credits.balance(c.id())).isZero();

    // Once the delay has passed, the sandbox answers "paid" as a provider would: paid and credited.
    jdbc.sql("UPDATE payment SET updated_at = now() - interval '1 hour' WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();
    jdbc.sql("UPDATE sms_order SET rechecked_at = NULL WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();
    orders.recheckWaiting();
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);

    // Asked again, and the lost event arriving after all: still credited once.
    jdbc.sql("UPDATE sms_order SET rechecked_at = NULL WHERE tenant_id = :t")
        .param("t", c.id().value())
        .update();
    orders.recheckWaiting();
    payments.post(
        SandboxProvider.event(
            SandboxProvider.newEventId(),
            "checkout.async_succeeded",
            started.session(),
            started.paymentId(),
            "paid",
            null));
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(grants(c.id())).isEqualTo(1);
  }

  @Test
  void the_operators_block_survives_a_purchase() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    allCompanies.setSmsUnlockedByOperator(c.id(), false);
    SmsOrder o = draft(c, PaymentMethod.CARD);
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    payments.settle(payments.forReference(o.id().toString()).paymentId());

    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(allCompanies.require(c.id()).smsUnlocked()).isFalse();
    assertThat(allCompanies.smsBlockedByOperator(c.id())).isTrue();

    allCompanies.setSmsUnlockedByOperator(c.id(), true);
    assertThat(allCompanies.smsBlockedByOperator(c.id())).isFalse();
    assertThat(allCompanies.require(c.id()).smsUnlocked()).isTrue();
  }

  @Test
  void a_cancelled_draft_cannot_be_placed_and_another_companys_order_is_not_found() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    TestCompany other = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.CARD);
    assertThat(orders.find(other.id(), o.id())).isEmpty();
    orders.cancel(c.id(), o.id());
    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.CANCELLED);
    assertThatThrownBy(() -> orders.place(c.id(), o.id(), Locale.ENGLISH, BACK))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void a_company_without_a_model_is_put_on_packs_by_its_first_paid_order() {
    TestCompany c = companies.aDanishCompany(false, true);
    assertThat(accounts.ensure(c.id()).currency()).isEqualTo(Currency.getInstance("DKK"));
    SmsOrder o = draft(c, PaymentMethod.PAYPAL);
    orders.place(c.id(), o.id(), Locale.ENGLISH, BACK);
    payments.settle(payments.forReference(o.id().toString()).paymentId());
    assertThat(accounts.find(c.id()).orElseThrow().model()).contains(SmsModel.PACKS);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(allCompanies.require(c.id()).smsAvailable()).isTrue();
  }

  @Test
  void
      an_invoice_the_operator_marks_paid_by_hand_pays_its_order_once_even_when_the_transfer_comes_too() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = draft(c, PaymentMethod.BANK_TRANSFER);
    Checkout.BankTransfer bank =
        (Checkout.BankTransfer) orders.place(c.id(), o.id(), Locale.ENGLISH, BACK).checkout();
    UUID invoice = orders.require(c.id(), o.id()).invoiceId();

    assertThat(invoices.markPaid(c.id(), invoice)).isTrue();

    assertThat(orders.require(c.id(), o.id()).status()).isEqualTo(SmsOrder.Status.PAID);
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    payments.record(bank.creditorReference(), bank.amount(), LocalDate.now(), "op");
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
    assertThat(grants(c.id())).isEqualTo(1);
    assertThat(invoices.of(c.id()))
        .singleElement()
        .satisfies(i -> assertThat(i.status()).isEqualTo("paid"));
  }
}
