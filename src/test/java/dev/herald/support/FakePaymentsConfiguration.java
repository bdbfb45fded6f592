package dev.herald.support;

import dev.herald.payment.BankTransfers;
import dev.herald.payment.Checkout;
import dev.herald.payment.CheckoutRequest;
import dev.herald.payment.PaymentFailed;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.PaymentStatus;
import dev.herald.payment.PaymentView;
import dev.herald.payment.Payments;
import dev.herald.shared.Ids;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * TEST ONLY, until the {@code payment} module's implementation lands (branch {@code payment}): a
 * fake {@link Payments} and {@link BankTransfers} that records checkouts and lets a test publish
 * {@link PaymentSettled} / {@link PaymentFailed} inside a transaction, as the real module does. A
 * card checkout "redirects" back to the request's return URL. Not a @TestConfiguration: child
 * Herald processes scan the test classpath and need a Payments bean too. On merge, delete this
 * class and switch the tests that use {@link FakePayments} to the real module (sandbox webhook,
 * BankTransfers.record).
 */
@Configuration(proxyBeanMethods = false)
public class FakePaymentsConfiguration {

  @Bean
  FakePayments fakePayments(
      ApplicationEventPublisher events, PlatformTransactionManager transactions, Clock clock) {
    return new FakePayments(events, new TransactionTemplate(transactions), clock);
  }

  /** The fake: every checkout it started, and the means to settle or fail them. */
  public static class FakePayments implements Payments, BankTransfers {

    /** A checkout as the fake keeps it. */
    public record Started(
        UUID paymentId, CheckoutRequest request, Checkout checkout, PaymentStatus status) {}

    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Map<String, Started> byKey = new ConcurrentHashMap<>();
    private final Map<UUID, Started> byId = new ConcurrentHashMap<>();
    private final List<UUID> refreshed = new CopyOnWriteArrayList<>();
    private final List<UUID> cancelled = new CopyOnWriteArrayList<>();
    private final List<Flagged> flagged = new CopyOnWriteArrayList<>();
    private final Map<String, Outcome> recorded = new ConcurrentHashMap<>();

    FakePayments(ApplicationEventPublisher events, TransactionTemplate tx, Clock clock) {
      this.events = events;
      this.tx = tx;
      this.clock = clock;
    }

    @Override
    public synchronized Checkout startCheckout(CheckoutRequest request) {
      Started earlier = byKey.get(request.idempotencyKey());
      if (earlier != null) {
        return earlier.checkout();
      }
      UUID id = Ids.next();
      Checkout checkout =
          request.method() == PaymentMethod.BANK_TRANSFER
              ? new Checkout.BankTransfer(
                  id,
                  request.amount(),
                  "Herald ApS",
                  "DK5000400440116243",
                  "DABADKKK",
                  creditorReference(id),
                  LocalDate.now(clock).plusDays(5))
              : new Checkout.Redirect(
                  id, request.returnUrl() == null ? URI.create("/") : request.returnUrl());
      Started started = new Started(id, request, checkout, PaymentStatus.PENDING);
      byKey.put(request.idempotencyKey(), started);
      byId.put(id, started);
      return checkout;
    }

    @Override
    public Optional<PaymentView> find(TenantId tenantId, UUID paymentId) {
      return Optional.ofNullable(byId.get(paymentId))
          .filter(s -> s.request().tenantId().equals(tenantId))
          .map(s ->
              new PaymentView(
                  s.paymentId(),
                  tenantId,
                  s.request().payee(),
                  s.request().kind(),
                  s.request().reference(),
                  s.request().amount(),
                  s.request().method(),
                  "fake",
                  s.status(),
                  Optional.empty(),
                  clock.instant()));
    }

    @Override
    public PaymentStatus refresh(TenantId tenantId, UUID paymentId) {
      refreshed.add(paymentId);
      Started s = byId.get(paymentId);
      return s == null ? PaymentStatus.FAILED : s.status();
    }

    @Override
    public void cancel(TenantId tenantId, UUID paymentId) {
      cancelled.add(paymentId);
    }

    /** Every checkout started, oldest first. */
    public List<Started> started() {
      return byId.values().stream()
          .sorted((a, b) -> a.paymentId().compareTo(b.paymentId()))
          .toList();
    }

    /** The checkout started for a reference (an order id). */
    public Started forReference(String reference) {
      return byId.values().stream()
          .filter(s -> s.request().reference().equals(reference))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no checkout for " + reference));
    }

    public List<UUID> refreshed() {
      return List.copyOf(refreshed);
    }

    public List<UUID> cancelled() {
      return List.copyOf(cancelled);
    }

    /** Publishes the payment's settlement inside a transaction, as the real module does. */
    public void settle(UUID paymentId) {
      Started s = byId.get(paymentId);
      settle(s, s.request().amount());
    }

    /** Publishes a settlement of any event (a forged or foreign one) inside a transaction. */
    public void publishInTransaction(Object event) {
      tx.executeWithoutResult(t -> events.publishEvent(event));
    }

    private void settle(Started s, Money amount) {
      byId.put(s.paymentId(), withStatus(s, PaymentStatus.SETTLED));
      publishInTransaction(
          new PaymentSettled(
              s.paymentId(),
              s.request().tenantId(),
              s.request().payee(),
              s.request().kind(),
              s.request().reference(),
              amount,
              s.request().method(),
              clock.instant()));
    }

    /** Publishes the payment's failure inside a transaction. */
    public void fail(UUID paymentId, String reason) {
      Started s = byId.get(paymentId);
      byId.put(paymentId, withStatus(s, PaymentStatus.FAILED));
      publishInTransaction(
          new PaymentFailed(
              s.paymentId(),
              s.request().tenantId(),
              s.request().payee(),
              s.request().kind(),
              s.request().reference(),
              reason,
              clock.instant()));
    }

    private static Started withStatus(Started s, PaymentStatus status) {
      return new Started(s.paymentId(), s.request(), s.checkout(), status);
    }

    @Override
    public List<Expected> expected() {
      List<Expected> list = new ArrayList<>();
      for (Started s : started()) {
        if (s.checkout() instanceof Checkout.BankTransfer b
            && s.status() == PaymentStatus.PENDING) {
          list.add(
              new Expected(
                  s.paymentId(),
                  s.request().tenantId(),
                  b.creditorReference(),
                  b.amount(),
                  b.expectedBy(),
                  s.status()));
        }
      }
      return list;
    }

    @Override
    public List<Flagged> flagged() {
      return List.copyOf(flagged);
    }

    @Override
    public synchronized Outcome record(
        String reference, Money amount, LocalDate receivedOn, String recordedBy) {
      String ref = reference.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
      String key = ref + "|" + amount + "|" + receivedOn;
      if (recorded.containsKey(key)) {
        return Outcome.ALREADY_RECORDED;
      }
      Optional<Started> match =
          byId.values().stream()
              .filter(s ->
                  s.checkout() instanceof Checkout.BankTransfer b
                      && b.creditorReference().equals(ref))
              .findFirst();
      Outcome outcome;
      if (match.isPresent()
          && match.get().status() != PaymentStatus.SETTLED
          && match.get().request().amount().equals(amount)) {
        settle(match.get(), amount);
        outcome = Outcome.SETTLED;
      } else {
        flagged.add(
            new Flagged(
                Ids.next(),
                ref,
                amount,
                receivedOn,
                match.isEmpty() ? "unknown reference" : "wrong amount",
                match.map(Started::paymentId).orElse(null)));
        outcome = Outcome.FLAGGED;
      }
      recorded.put(key, outcome);
      return outcome;
    }

    /** ISO 11649: "RF" + two check digits + the reference (here from the payment id). */
    static String creditorReference(UUID id) {
      String body =
          Long.toString(Math.abs(id.getLeastSignificantBits() % 1_000_000_000_000L), 36)
              .toUpperCase(Locale.ROOT);
      StringBuilder digits = new StringBuilder();
      for (char c : (body + "RF00").toCharArray()) {
        digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
      }
      int check = 98 - new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue();
      return "RF" + String.format("%02d", check) + body;
    }
  }
}
