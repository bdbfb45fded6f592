package dev.herald.payment;

import dev.herald.shared.TenantId;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes payments for other modules; they hear back through {@link PaymentSettled} and {@link
 * PaymentFailed}.
 */
public interface Payments {

  /**
   * Starts (or, for a repeated idempotency key, answers again) a checkout with the payee's provider
   * for the method; a bank transfer is always manual. Called with a timeout; a provider that does
   * not answer is an error, and nothing is half-stored.
   */
  Checkout startCheckout(CheckoutRequest request);

  /** The payment of a company, or empty when it is not that company's. */
  Optional<PaymentView> find(TenantId tenantId, UUID paymentId);

  /**
   * Asks the provider again about a payment still pending (the re-check of orders that wait too
   * long); a changed state is applied exactly as its webhook would be.
   */
  PaymentStatus refresh(TenantId tenantId, UUID paymentId);

  /**
   * Gives up a pending checkout (its order expired or was cancelled). A bank transfer that arrives
   * later is still matched by its reference and settles the payment.
   */
  void cancel(TenantId tenantId, UUID paymentId);
}
