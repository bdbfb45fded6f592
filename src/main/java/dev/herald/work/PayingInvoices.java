package dev.herald.work;

import dev.herald.notification.CompanyAlerts;
import dev.herald.shared.TenantId;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A customer paid one of the company's invoices online (in the portal, issue 11): the invoice
 * becomes paid and the company's owners and admins are told by e-mail, in the caller's transaction
 * (the one that settles the payment).
 */
@Service
public class PayingInvoices {

  private static final Logger log = LoggerFactory.getLogger(PayingInvoices.class);

  private final Documents documents;
  private final CompanyAlerts alerts;

  PayingInvoices(Documents documents, CompanyAlerts alerts) {
    this.documents = documents;
    this.alerts = alerts;
  }

  /**
   * Marks the invoice paid online; false when it was paid already (or is not a sent invoice), in
   * which case nobody is told again.
   */
  @Transactional
  public boolean paidOnline(TenantId tenant, UUID documentId) {
    return paidOnline(tenant, documentId, null);
  }

  /**
   * As {@link #paidOnline(TenantId, UUID)}; a payment that settles an invoice already paid (a
   * customer who paid in two checkouts) is money taken twice, so the company's admins are told to
   * refund one, once per payment.
   */
  @Transactional
  public boolean paidOnline(TenantId tenant, UUID documentId, UUID paymentId) {
    if (documents.find(tenant, documentId).isEmpty()) {
      log.warn("A settled portal payment names no document {} of {}", documentId, tenant);
      return false;
    }
    if (!documents.markPaid(tenant, documentId)) {
      log.info(
          "Invoice {} of {} was paid online but was not waiting for payment", documentId, tenant);
      Document already = documents.require(tenant, documentId);
      if (paymentId != null && already.status() == DocumentStatus.PAID) {
        log.warn("Invoice {} of {} paid twice online (payment {})", documentId, tenant, paymentId);
        alerts.alertAdmins(
            tenant,
            "payment.portal.mail.paidTwice",
            new Object[] {
              already.displayNumber(), already.contactName(), already.total().toString()
            },
            "invoice-paid-twice:" + paymentId);
      }
      return false;
    }
    Document paid = documents.require(tenant, documentId);
    alerts.alertAdmins(
        tenant,
        "payment.portal.mail.paid",
        new Object[] {paid.displayNumber(), paid.contactName(), paid.total().toString()},
        "invoice-paid:" + documentId);
    return true;
  }
}
