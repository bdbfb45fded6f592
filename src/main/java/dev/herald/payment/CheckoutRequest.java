package dev.herald.payment;

import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A request to take a payment.
 *
 * @param tenantId the company the payment concerns (the buyer of SMS, or the company whose customer
 *     pays)
 * @param payee who receives the money
 * @param kind what is paid for
 * @param reference the caller's opaque reference (an order id, a document id)
 * @param amount the amount, taxes included, frozen by the caller from its own prices
 * @param description one line the buyer sees on the checkout page and statement
 * @param method the method the buyer chose
 * @param buyerCountry ISO 3166-1 alpha-2 country of the buyer
 * @param buyerEmail where the provider may send a receipt, or empty
 * @param locale the buyer's language for the checkout page
 * @param returnUrl where the buyer comes back to after the checkout (paid, failed or cancelled)
 * @param idempotencyKey the same key answers the same checkout, never a second one
 */
public record CheckoutRequest(
    TenantId tenantId,
    Payee payee,
    ReferenceKind kind,
    String reference,
    Money amount,
    String description,
    PaymentMethod method,
    String buyerCountry,
    String buyerEmail,
    Locale locale,
    URI returnUrl,
    String idempotencyKey) {

  public CheckoutRequest {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (amount.minorUnits() <= 0) {
      throw new IllegalArgumentException("A payment is for a positive amount");
    }
  }
}
