/**
 * Payments: providers behind one SPI (the sandbox, the embedded default; Stripe Checkout; manual
 * bank transfers with ISO 11649 references), a webhook inbox that applies each provider event
 * exactly once, and the payment state machine. Orders and documents are opaque references; two
 * payees: the operator (companies buying SMS) and a company (its customers paying its invoices,
 * through the company's own Stripe keys, sealed under HERALD_SECRETS_KEY). Other modules start
 * checkouts through {@link dev.herald.payment.Payments} and hear {@link
 * dev.herald.payment.PaymentSettled} / {@link dev.herald.payment.PaymentFailed} back, published
 * synchronously in the transaction that settles the payment. See docs/decisions/0012-payments.md.
 */
@ApplicationModule(
    displayName = "Payment",
    allowedDependencies = {"shared", "tenant"})
package dev.herald.payment;

import org.springframework.modulith.ApplicationModule;
