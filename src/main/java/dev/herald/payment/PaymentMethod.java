package dev.herald.payment;

/** The ways a buyer can pay; the operator chooses which of them each country offers. */
public enum PaymentMethod {
  CARD,
  APPLE_PAY,
  GOOGLE_PAY,
  PAYPAL,
  /** Manual: an open invoice with a creditor reference, settled when the operator records it. */
  BANK_TRANSFER
}
