package dev.herald.payment;

/** A payment's state; {@code settled}, {@code failed} and {@code cancelled} are final. */
public enum PaymentStatus {
  /** Started; the buyer has not finished the checkout, or a transfer has not arrived. */
  PENDING,
  /** The buyer finished, and the money is on its way (an asynchronous method). */
  PROCESSING,
  SETTLED,
  FAILED,
  CANCELLED
}
