package dev.herald.payment;

import static dev.herald.payment.PaymentFixtures.SANDBOX_SECRET;
import static dev.herald.payment.PaymentFixtures.anSmsOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.payment.internal.CreditorReferences;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bank transfers: the checkout's bank details and RF reference, and the operator recording what
 * arrived: the right amount settles once, anything else is kept flagged, a cancelled checkout still
 * settles.
 */
@Import(SettledCounter.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "herald.payment.sandbox.webhook-secret=" + SANDBOX_SECRET)
class BankTransfersIntegrationTests {

  @Autowired Payments payments;
  @Autowired BankTransfers transfers;
  @Autowired TestCompanies companies;
  @Autowired SettledCounter counter;
  @Autowired JdbcClient jdbc;

  TenantId tenant;

  @BeforeEach
  void aCompany() {
    tenant = companies.aDanishCompany(false, false).id();
  }

  Checkout.BankTransfer aTransfer(long minor) {
    return (Checkout.BankTransfer)
        payments.startCheckout(anSmsOrder(tenant, minor, PaymentMethod.BANK_TRANSFER));
  }

  static String typed(String reference) {
    return CreditorReferences.printed(reference).toLowerCase();
  }

  @Test
  void a_transfer_checkout_gives_bank_details_a_valid_reference_and_5_working_days() {
    CheckoutRequest request = anSmsOrder(tenant, 49_900, PaymentMethod.BANK_TRANSFER);
    Checkout.BankTransfer checkout = (Checkout.BankTransfer) payments.startCheckout(request);

    assertThat(payments.startCheckout(request)).isEqualTo(checkout);
    assertThat(CreditorReferences.valid(checkout.creditorReference()))
        .contains(checkout.creditorReference());
    assertThat(checkout.amount()).isEqualTo(Money.of(49_900, "DKK"));
    assertThat(checkout.iban()).isEqualTo("DK50 0040 0440 1162 43");
    assertThat(checkout.accountHolder()).isNotBlank();
    LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/Copenhagen"));
    assertThat(checkout.expectedBy()).isAfter(today.plusDays(4)).isBefore(today.plusDays(10));
    assertThat(payments.find(tenant, checkout.paymentId()).orElseThrow().status())
        .isEqualTo(PaymentStatus.PENDING);
    assertThat(transfers.expected())
        .anySatisfy(e -> {
          assertThat(e.paymentId()).isEqualTo(checkout.paymentId());
          assertThat(e.creditorReference()).isEqualTo(checkout.creditorReference());
        });
  }

  @Test
  void nothing_settles_until_recorded_and_recorded_twice_it_settles_once() {
    Checkout.BankTransfer checkout = aTransfer(49_900);
    assertThat(counter.settled(checkout.paymentId())).isZero();
    LocalDate on = LocalDate.of(2026, 12, 2);

    assertThat(
            transfers.record(
                typed(checkout.creditorReference()), Money.of(49_900, "DKK"), on, "operator"))
        .isEqualTo(BankTransfers.Outcome.SETTLED);
    assertThat(
            transfers.record(checkout.creditorReference(), Money.of(49_900, "DKK"), on, "operator"))
        .isEqualTo(BankTransfers.Outcome.ALREADY_RECORDED);

    assertThat(payments.find(tenant, checkout.paymentId()).orElseThrow().status())
        .isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(checkout.paymentId())).isEqualTo(1);
    assertThat(transfers.expected()).noneMatch(e -> e.paymentId().equals(checkout.paymentId()));
    assertThat(transfers.flagged()).noneMatch(f -> checkout.paymentId().equals(f.paymentId()));
  }

  @Test
  void a_wrong_amount_an_unknown_reference_and_a_second_payment_are_flagged_not_lost() {
    Checkout.BankTransfer checkout = aTransfer(49_900);
    LocalDate on = LocalDate.of(2026, 12, 3);
    String unknown = CreditorReferences.generate();

    assertThat(
            transfers.record(checkout.creditorReference(), Money.of(40_000, "DKK"), on, "operator"))
        .isEqualTo(BankTransfers.Outcome.FLAGGED);
    assertThat(payments.find(tenant, checkout.paymentId()).orElseThrow().status())
        .isEqualTo(PaymentStatus.PENDING);
    assertThat(transfers.record(unknown, Money.of(10_000, "DKK"), on, "operator"))
        .isEqualTo(BankTransfers.Outcome.FLAGGED);
    assertThat(transfers.record("RF00 1234", Money.of(10_000, "DKK"), on, "operator"))
        .isEqualTo(BankTransfers.Outcome.FLAGGED);
    assertThat(
            transfers.record(checkout.creditorReference(), Money.of(49_900, "DKK"), on, "operator"))
        .isEqualTo(BankTransfers.Outcome.SETTLED);
    assertThat(
            transfers.record(
                checkout.creditorReference(), Money.of(49_900, "DKK"), on.plusDays(1), "operator"))
        .isEqualTo(BankTransfers.Outcome.FLAGGED);

    assertThat(transfers.flagged())
        .anySatisfy(f -> {
          assertThat(f.paymentId()).isEqualTo(checkout.paymentId());
          assertThat(f.reason()).isEqualTo("wrong_amount");
          assertThat(f.amount()).isEqualTo(Money.of(40_000, "DKK"));
        })
        .anySatisfy(f -> {
          assertThat(f.reference()).isEqualTo(unknown);
          assertThat(f.reason()).isEqualTo("unknown_reference");
        })
        .anySatisfy(f -> {
          assertThat(f.reference()).isEqualTo("RF001234");
          assertThat(f.reason()).isEqualTo("invalid_reference");
        })
        .anySatisfy(f -> {
          assertThat(f.paymentId()).isEqualTo(checkout.paymentId());
          assertThat(f.reason()).isEqualTo("already_settled");
        });
    assertThat(counter.settled(checkout.paymentId())).isEqualTo(1);
  }

  @Test
  void a_transfer_after_the_checkout_was_cancelled_still_settles() {
    Checkout.BankTransfer checkout = aTransfer(29_900);
    payments.cancel(tenant, checkout.paymentId());
    assertThat(payments.find(tenant, checkout.paymentId()).orElseThrow().status())
        .isEqualTo(PaymentStatus.CANCELLED);
    assertThat(transfers.expected()).anyMatch(e -> e.paymentId().equals(checkout.paymentId()));

    assertThat(
            transfers.record(
                checkout.creditorReference(),
                Money.of(29_900, "DKK"),
                LocalDate.of(2026, 12, 9),
                "operator"))
        .isEqualTo(BankTransfers.Outcome.SETTLED);
    assertThat(payments.find(tenant, checkout.paymentId()).orElseThrow().status())
        .isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(checkout.paymentId())).isEqualTo(1);
  }

  @Test
  void a_record_without_reference_or_amount_is_refused_with_every_problem() {
    assertThatThrownBy(() -> transfers.record("  ", Money.of(0, "DKK"), null, "operator"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .extracting(p -> p.field())
                    .containsExactly("reference", "amount", "receivedOn"));
  }

  @Test
  void a_company_payee_cannot_be_paid_by_transfer() {
    CheckoutRequest invoice =
        new CheckoutRequest(
            tenant,
            Payee.company(tenant),
            ReferenceKind.DOCUMENT_INVOICE,
            java.util.UUID.randomUUID().toString(),
            Money.of(10_000, "DKK"),
            "Invoice",
            PaymentMethod.BANK_TRANSFER,
            "DK",
            null,
            java.util.Locale.ENGLISH,
            null,
            "k-" + java.util.UUID.randomUUID());
    assertThatThrownBy(() -> payments.startCheckout(invoice))
        .isInstanceOf(InvalidInputException.class);
    assertThat(
            jdbc.sql("SELECT count(*) FROM payment WHERE tenant_id = ?")
                .param(tenant.value())
                .query(Long.class)
                .single())
        .isZero();
  }
}
