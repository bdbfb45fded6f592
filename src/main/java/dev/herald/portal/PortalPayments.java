package dev.herald.portal;

import dev.herald.payment.Payee;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.ReferenceKind;
import dev.herald.tenant.Notices;
import dev.herald.work.Document;
import dev.herald.work.Documents;
import dev.herald.work.PayingInvoices;
import java.util.List;
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
  private final Documents documents;
  private final Notices notices;

  PortalPayments(PayingInvoices paying, Documents documents, Notices notices) {
    this.paying = paying;
    this.documents = documents;
    this.notices = notices;
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
    if (paying.paidOnline(settled.tenantId(), documentId, settled.paymentId())) {
      // E2: the company sees it in the app too (the e-mail goes from PayingInvoices).
      Document paid = documents.require(settled.tenantId(), documentId);
      notices.raise(
          settled.tenantId(),
          "portal.notice.paid",
          List.of(paid.displayNumber(), paid.contactName()),
          "/documents/" + documentId,
          "invoice-paid:" + documentId);
    }
  }
}
