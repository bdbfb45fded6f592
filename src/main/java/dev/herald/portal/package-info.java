/**
 * Customer portal behind per-contact tokens. A customer pays an invoice through payment's API
 * (payee: the company; the company's own Stripe account, or the sandbox in the embedded default);
 * {@code PortalPayments} hears PaymentSettled of kind DOCUMENT_INVOICE and marks the document paid
 * through work's {@code PayingInvoices}, which mails the company. It moves no SMS credit.
 */
@ApplicationModule(
    displayName = "Portal",
    allowedDependencies = {"shared", "tenant", "work", "conversation", "contact", "payment"})
package dev.herald.portal;

import org.springframework.modulith.ApplicationModule;
