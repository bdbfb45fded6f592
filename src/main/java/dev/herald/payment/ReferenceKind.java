package dev.herald.payment;

/**
 * What a payment pays for. {@code payment} keeps the reference opaque; the module that started the
 * checkout reads it back. Only an operator-payee payment of an {@link #SMS_ORDER} may grant SMS
 * credit.
 */
public enum ReferenceKind {
  /** A company's order of SMS (a pack or a subscription) from {@code billing}; payee: operator. */
  SMS_ORDER,
  /** A company's customer paying one of the company's invoices in the portal; payee: company. */
  DOCUMENT_INVOICE
}
