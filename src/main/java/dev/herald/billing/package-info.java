/**
 * SMS plans (blocks, packs), credit wallet and ledger, usage meter, orders and invoices.
 *
 * <p>Orders (issue 10): {@code billing} owns them and their state ({@link
 * dev.herald.billing.Orders}: draft, awaiting payment with the price and taxes frozen from the
 * server's price list, paid, failed, cancelled, expired). It calls {@code payment} to start a
 * checkout, the order's id being the payment's opaque reference with the operator as payee, and
 * hears back through {@code PaymentSettled} / {@code PaymentFailed}; only an operator-payee
 * settlement of kind {@code SMS_ORDER} pays an order, and grants credit for a pack (an order of the
 * monthly subscription's first block grants none: it pays that block's invoice and starts the
 * subscription). {@code payment} never depends on {@code billing}.
 */
@ApplicationModule(
    displayName = "Billing",
    allowedDependencies = {"shared", "tenant", "payment"})
package dev.herald.billing;

import org.springframework.modulith.ApplicationModule;
