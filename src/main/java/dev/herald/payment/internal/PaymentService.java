package dev.herald.payment.internal;

import dev.herald.payment.Checkout;
import dev.herald.payment.CheckoutRequest;
import dev.herald.payment.Payee;
import dev.herald.payment.PaymentAccounts;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentStatus;
import dev.herald.payment.PaymentView;
import dev.herald.payment.Payments;
import dev.herald.payment.ReferenceKind;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Payments for other modules: a checkout with the payee's provider (a bank transfer is always
 * manual), the payment's state, a re-check with the provider, and giving up a checkout.
 */
@Service
public class PaymentService implements Payments, PaymentAccounts {

  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

  /** Working days (Monday to Friday) a bank transfer takes at most. */
  static final int TRANSFER_WORKING_DAYS = 5;

  private final JdbcClient jdbc;
  private final ProviderRegistry registry;
  private final ProviderCalls calls;
  private final PaymentTransitions transitions;
  private final BankDetails bank;
  private final Companies companies;
  private final TransactionTemplate tx;
  private final Clock clock;

  PaymentService(
      JdbcClient jdbc,
      ProviderRegistry registry,
      ProviderCalls calls,
      PaymentTransitions transitions,
      BankDetails bank,
      Companies companies,
      TransactionTemplate tx,
      Clock clock) {
    this.jdbc = jdbc;
    this.registry = registry;
    this.calls = calls;
    this.transitions = transitions;
    this.bank = bank;
    this.companies = companies;
    this.tx = tx;
    this.clock = clock;
  }

  @Override
  public boolean takesOnlinePayments(TenantId company) {
    return registry.accountFor(company, Payee.company(company)).isPresent();
  }

  @Override
  public Checkout startCheckout(CheckoutRequest request) {
    checkPayee(request);
    Optional<PaymentRow> existing = byKey(request.tenantId(), request.idempotencyKey());
    if (existing.isPresent()) {
      return checkoutOf(existing.get());
    }
    return request.method() == PaymentMethod.BANK_TRANSFER
        ? startTransfer(request)
        : startHosted(request);
  }

  private void checkPayee(CheckoutRequest request) {
    if (request.payee() instanceof Payee.Company company
        && !company.tenantId().equals(request.tenantId())) {
      throw new IllegalArgumentException("A company is paid only for its own payments");
    }
    boolean operator = request.payee() instanceof Payee.Operator;
    if ((request.kind() == ReferenceKind.SMS_ORDER) != operator) {
      throw new IllegalArgumentException(
          "SMS orders are paid to the operator, customers' invoices to the company");
    }
  }

  private Checkout startHosted(CheckoutRequest request) {
    ProviderAccount account =
        registry
            .accountFor(request.tenantId(), request.payee())
            .orElseThrow(
                () -> new InvalidInputException(FieldProblem.of("method", "payment.noAccount")));
    PaymentProvider provider = registry.provider(account.provider());
    UUID id = Ids.next();
    Locale locale = request.locale() == null ? Locale.ENGLISH : request.locale();
    PaymentProvider.Session session =
        calls.call(
            provider.name() + " checkout for " + id,
            () ->
                provider.createCheckout(
                    account,
                    new PaymentProvider.NewCheckout(
                        id,
                        request.tenantId().toString(),
                        request.amount(),
                        description(request),
                        request.method(),
                        blankToNull(request.buyerEmail()),
                        locale,
                        request.returnUrl(),
                        request.tenantId() + ":" + request.idempotencyKey())));
    boolean inserted = insert(request, id, provider.name(), account, session, null, null, locale);
    if (!inserted) {
      // Another request with the same key won the race: answer its checkout, never a second one.
      return checkoutOf(byKey(request.tenantId(), request.idempotencyKey()).orElseThrow());
    }
    return new Checkout.Redirect(id, session.url());
  }

  private Checkout startTransfer(CheckoutRequest request) {
    if (!(request.payee() instanceof Payee.Operator)) {
      throw new InvalidInputException(FieldProblem.of("method", "payment.transfer.operatorOnly"));
    }
    if (!bank.available()) {
      throw new InvalidInputException(FieldProblem.of("method", "payment.transfer.unavailable"));
    }
    LocalDate expectedBy = workingDaysAfter(today(request.tenantId()), TRANSFER_WORKING_DAYS);
    UUID id = Ids.next();
    Locale locale = request.locale() == null ? Locale.ENGLISH : request.locale();
    for (int attempt = 0; attempt < 5; attempt++) {
      String reference = CreditorReferences.generate();
      if (insert(request, id, "bank_transfer", null, null, reference, expectedBy, locale)) {
        return checkoutOf(byKey(request.tenantId(), request.idempotencyKey()).orElseThrow());
      }
      Optional<PaymentRow> raced = byKey(request.tenantId(), request.idempotencyKey());
      if (raced.isPresent()) {
        return checkoutOf(raced.get());
      }
      // The random reference was taken already: draw another.
    }
    throw new IllegalStateException("No free creditor reference after 5 draws");
  }

  private boolean insert(
      CheckoutRequest r,
      UUID id,
      String provider,
      ProviderAccount account,
      PaymentProvider.Session session,
      String creditorReference,
      LocalDate expectedBy,
      Locale locale) {
    Timestamp now = Timestamp.from(clock.instant());
    return jdbc.sql(
                """
                INSERT INTO payment (tenant_id, id, payee_kind, payee_tenant_id, reference_kind, reference,
                    amount_minor, currency, method, provider, account, provider_session_id, checkout_url,
                    creditor_reference, expected_by, description, buyer_email, locale, return_url, status,
                    idempotency_key, created_at, updated_at)
                VALUES (:tenant, :id, :payeeKind, :payeeTenant, :kind, :reference, :amount, :currency,
                    :method, :provider, :account, :session, :url, :creditor, :expected, :description,
                    :email, :locale, :returnUrl, 'pending', :key, :now, :now)
                ON CONFLICT DO NOTHING
                """)
            .param("tenant", r.tenantId().value())
            .param("id", id)
            .param("payeeKind", r.payee() instanceof Payee.Operator ? "operator" : "company")
            .param(
                "payeeTenant",
                r.payee() instanceof Payee.Company c ? c.tenantId().value() : null,
                java.sql.Types.OTHER)
            .param("kind", PaymentRow.code(r.kind()))
            .param("reference", r.reference())
            .param("amount", r.amount().minorUnits())
            .param("currency", r.amount().currency().getCurrencyCode())
            .param("method", PaymentRow.code(r.method()))
            .param("provider", provider)
            .param("account", account == null || account.operator() ? "operator" : "company")
            .param("session", session == null ? null : session.sessionId(), java.sql.Types.VARCHAR)
            .param("url", session == null ? null : session.url().toString(), java.sql.Types.VARCHAR)
            .param("creditor", creditorReference, java.sql.Types.VARCHAR)
            .param(
                "expected",
                expectedBy == null ? null : java.sql.Date.valueOf(expectedBy),
                java.sql.Types.DATE)
            .param("description", description(r))
            .param("email", blankToNull(r.buyerEmail()), java.sql.Types.VARCHAR)
            .param("locale", locale.toLanguageTag())
            .param(
                "returnUrl",
                r.returnUrl() == null ? null : r.returnUrl().toString(),
                java.sql.Types.VARCHAR)
            .param("key", r.idempotencyKey())
            .param("now", now)
            .update()
        == 1;
  }

  private Checkout checkoutOf(PaymentRow p) {
    if (p.provider().equals("bank_transfer")) {
      BankDetails.Account account = bank.operator();
      return new Checkout.BankTransfer(
          p.id(),
          p.amount(),
          account.holder(),
          account.iban(),
          account.bic(),
          p.creditorReference(),
          p.expectedBy());
    }
    return new Checkout.Redirect(p.id(), p.checkoutUrl());
  }

  @Override
  public Optional<PaymentView> find(TenantId tenantId, UUID paymentId) {
    return row(tenantId, paymentId).map(PaymentRow::view);
  }

  public Optional<PaymentRow> row(TenantId tenantId, UUID paymentId) {
    return jdbc.sql(
            "SELECT " + PaymentRow.COLUMNS + " FROM payment WHERE tenant_id = :tenant AND id = :id")
        .param("tenant", tenantId.value())
        .param("id", paymentId)
        .query(PaymentRow::map)
        .optional();
  }

  private Optional<PaymentRow> byKey(TenantId tenantId, String key) {
    return jdbc.sql(
            "SELECT "
                + PaymentRow.COLUMNS
                + " FROM payment WHERE tenant_id = :tenant AND idempotency_key = :key")
        .param("tenant", tenantId.value())
        .param("key", key)
        .query(PaymentRow::map)
        .optional();
  }

  @Override
  public PaymentStatus refresh(TenantId tenantId, UUID paymentId) {
    PaymentRow payment =
        row(tenantId, paymentId)
            .orElseThrow(() -> new dev.herald.shared.NotFoundException("Payment"));
    if (!payment.open() || payment.provider().equals("bank_transfer")) {
      return payment.status();
    }
    if (payment.provider().equals("sandbox") && !registry.sandboxActive()) {
      // a Herald that takes real money now: no sandbox payment settles any more (as its webhook)
      return payment.status();
    }
    Optional<ProviderAccount> account = registry.accountOf(payment);
    if (account.isEmpty()) {
      return payment.status();
    }
    PaymentProvider provider = registry.provider(payment.provider());
    Optional<ProviderEvent.Outcome> outcome =
        calls.call(
            provider.name() + " status of " + paymentId,
            () -> provider.fetch(account.get(), payment.sessionId()));
    if (outcome.isEmpty()) {
      return payment.status();
    }
    return tx.execute(status -> {
      PaymentRow locked = transitions.lock(tenantId, paymentId).orElseThrow();
      apply(locked, outcome.get(), null, "refresh");
      return transitions.lock(tenantId, paymentId).orElseThrow().status();
    });
  }

  @Override
  public void cancel(TenantId tenantId, UUID paymentId) {
    PaymentRow payment =
        row(tenantId, paymentId)
            .orElseThrow(() -> new dev.herald.shared.NotFoundException("Payment"));
    if (!payment.open()) {
      return;
    }
    if (!payment.provider().equals("bank_transfer") && payment.sessionId() != null) {
      try {
        registry
            .accountOf(payment)
            .ifPresent(account ->
                calls.call(
                    payment.provider() + " expiry of " + paymentId,
                    () -> {
                      registry.provider(payment.provider()).expire(account, payment.sessionId());
                      return null;
                    }));
      } catch (ProviderCalls.ProviderUnavailable e) {
        // The session expires by itself at the provider; money that still arrives settles the
        // cancelled payment (cancelled -> settled).
        log.warn("Could not expire the checkout of payment {}: {}", paymentId, e.getMessage());
      }
    }
    tx.executeWithoutResult(status ->
        transitions
            .lock(tenantId, paymentId)
            .ifPresent(locked ->
                transitions.move(locked, PaymentStatus.CANCELLED, "cancelled", "cancel")));
  }

  /** Applies what a provider said about a locked payment; true when its state changed. */
  boolean apply(PaymentRow locked, ProviderEvent.Outcome outcome, String reason, String cause) {
    return switch (outcome) {
      case SETTLED -> transitions.move(locked, PaymentStatus.SETTLED, null, cause);
      case PROCESSING -> transitions.move(locked, PaymentStatus.PROCESSING, null, cause);
      case FAILED ->
          transitions.move(
              locked, PaymentStatus.FAILED, reason == null ? "declined" : reason, cause);
      case EXPIRED -> transitions.move(locked, PaymentStatus.FAILED, "expired", cause);
      case IGNORED -> false;
    };
  }

  private LocalDate today(TenantId tenant) {
    return LocalDate.ofInstant(clock.instant(), companies.require(tenant).timeZone());
  }

  /** The date {@code days} working days (Monday to Friday) after {@code from}. */
  static LocalDate workingDaysAfter(LocalDate from, int days) {
    LocalDate d = from;
    int left = days;
    while (left > 0) {
      d = d.plusDays(1);
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        left--;
      }
    }
    return d;
  }

  private static String description(CheckoutRequest r) {
    String d = r.description() == null ? "" : r.description().strip();
    return d.length() > 200 ? d.substring(0, 200) : d;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  Instant now() {
    return clock.instant();
  }
}
