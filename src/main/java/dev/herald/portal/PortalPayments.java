package dev.herald.portal;

import dev.herald.payment.Payee;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.ReferenceKind;
import dev.herald.work.PayingInvoices;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hears a settled payment of a customer's invoice (payee: the company) and marks the invoice paid,
 * synchronously, in the transaction that settles the payment. Moves no SMS credit: only billing
 * grants credit, and only for operator-payee SMS orders.
 */
@Component
class PortalPayments {

  private final PayingInvoices paying;

  PortalPayments(PayingInvoices paying) {
    this.paying = paying;
  }

  @EventListener
  void on(PaymentSettled settled) {
    if (settled.kind() != ReferenceKind.DOCUMENT_INVOICE
        || !(settled.payee() instanceof Payee.Company company)
        || !company.tenantId().equals(settled.tenantId())) {
      return;
    }
    UUID documentId;
    try {
      documentId = UUID.fromString(settled.reference());
    } catch (IllegalArgumentException notADocument) {
      return;
    }
    paying.paidOnline(settled.tenantId(), documentId, settled.paymentId());
  }
}
