package dev.herald.support;

import dev.herald.payment.BankTransfers;
import dev.herald.payment.Checkout;
import dev.herald.payment.Payee;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentStatus;
import dev.herald.payment.ReferenceKind;
import dev.herald.payment.internal.PaymentInbox;
import dev.herald.payment.internal.ProviderAccount;
import dev.herald.payment.internal.SandboxProvider;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives the real {@code payment} module the way its providers would: a sandbox event signed with
 * the sandbox's secret goes through the webhook inbox ({@link PaymentInbox#receive}, the code the
 * {@code /webhooks/sandbox} endpoint runs), a bank transfer is recorded through {@link
 * BankTransfers}. Tests of billing's orders use it to pay, fail or look up the checkouts that
 * billing started.
 */
@Component
public class PaymentDriver {

  /** A payment as the {@code payment} table holds it, with what the buyer was told to do. */
  public record Started(
      UUID paymentId,
      TenantId tenantId,
      Payee payee,
      ReferenceKind kind,
      String reference,
      Money amount,
      PaymentMethod method,
      String session,
      PaymentStatus status,
      Checkout checkout,
      URI returnUrl) {}

  private final JdbcClient jdbc;
  private final PaymentInbox inbox;
  private final SandboxProvider sandbox;
  private final BankTransfers transfers;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate tx;
  private final Clock clock;

  PaymentDriver(
      JdbcClient jdbc,
      PaymentInbox inbox,
      SandboxProvider sandbox,
      BankTransfers transfers,
      ApplicationEventPublisher events,
      TransactionTemplate tx,
      Clock clock) {
    this.jdbc = jdbc;
    this.inbox = inbox;
    this.sandbox = sandbox;
    this.transfers = transfers;
    this.events = events;
    this.tx = tx;
    this.clock = clock;
  }

  /** Every payment, oldest first. */
  public List<Started> started() {
    return jdbc.sql(SELECT + " ORDER BY id").query(this::row).list();
  }

  /** The latest payment started for a reference (an order id). */
  public Started forReference(String reference) {
    return jdbc.sql(SELECT + " WHERE reference = :ref ORDER BY id DESC LIMIT 1")
        .param("ref", reference)
        .query(this::row)
        .optional()
        .orElseThrow(() -> new AssertionError("no payment for " + reference));
  }

  public Started find(UUID paymentId) {
    return jdbc.sql(SELECT + " WHERE id = :id").param("id", paymentId).query(this::row).single();
  }

  /**
   * Pays: a card, wallet or PayPal checkout by the sandbox's signed "completed, paid" event through
   * the inbox; a bank transfer by recording the right amount today.
   */
  public void settle(UUID paymentId) {
    Started s = find(paymentId);
    if (s.checkout() instanceof Checkout.BankTransfer bank) {
      transfers.record(bank.creditorReference(), s.amount(), LocalDate.now(clock), "test");
    } else {
      post(
          SandboxProvider.event(
              SandboxProvider.newEventId(),
              "checkout.completed",
              s.session(),
              paymentId,
              "paid",
              null));
    }
  }

  /** The sandbox's signed "failed" event for a checkout, with the provider's reason. */
  public void fail(UUID paymentId, String reason) {
    Started s = find(paymentId);
    post(
        SandboxProvider.event(
            SandboxProvider.newEventId(), "checkout.failed", s.session(), paymentId, null, reason));
  }

  /** Posts one signed sandbox event body (the same body again is the provider repeating it). */
  public PaymentInbox.Receipt post(String body) {
    return inbox.receive(
        sandbox,
        new ProviderAccount("sandbox", null, null, null),
        body,
        Map.of(SandboxProvider.SIGNATURE_HEADER, sandbox.signatureHeader(body)));
  }

  /** Publishes any event (a forged or foreign one) inside a transaction, as the module would. */
  public void publishInTransaction(Object event) {
    tx.executeWithoutResult(t -> events.publishEvent(event));
  }

  /** Ids of the payments that were given up (cancelled). */
  public List<UUID> cancelled() {
    return jdbc.sql("SELECT id FROM payment WHERE status = 'cancelled' ORDER BY id")
        .query(UUID.class)
        .list();
  }

  public BankTransfers.Outcome record(
      String reference, Money amount, LocalDate receivedOn, String recordedBy) {
    return transfers.record(reference, amount, receivedOn, recordedBy);
  }

  private static final String SELECT =
      """
      SELECT id, tenant_id, reference_kind, reference, amount_minor, currency, method, status,
             provider_session_id, checkout_url, creditor_reference, expected_by, payee_kind,
             return_url
        FROM payment
      """;

  private Started row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    UUID id = rs.getObject("id", UUID.class);
    Money amount = Money.of(rs.getLong("amount_minor"), rs.getString("currency"));
    String reference = rs.getString("creditor_reference");
    Checkout checkout =
        reference != null
            ? new Checkout.BankTransfer(
                id, amount, "", "", "", reference, rs.getObject("expected_by", LocalDate.class))
            : new Checkout.Redirect(
                id,
                rs.getString("checkout_url") == null
                    ? null
                    : URI.create(rs.getString("checkout_url")));
    TenantId tenant = new TenantId(rs.getObject("tenant_id", UUID.class));
    return new Started(
        id,
        tenant,
        rs.getString("payee_kind").equals("operator") ? Payee.operator() : Payee.company(tenant),
        ReferenceKind.valueOf(rs.getString("reference_kind").toUpperCase(Locale.ROOT)),
        rs.getString("reference"),
        amount,
        PaymentMethod.valueOf(rs.getString("method").toUpperCase(Locale.ROOT)),
        rs.getString("provider_session_id"),
        PaymentStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        checkout,
        rs.getString("return_url") == null ? null : URI.create(rs.getString("return_url")));
  }
}
