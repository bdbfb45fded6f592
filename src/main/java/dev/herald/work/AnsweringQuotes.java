package dev.herald.work;

import dev.herald.notification.CompanyAlerts;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A customer approves or declines a quote in the portal (E2), with an optional comment; the
 * company's owners and admins are told by e-mail in the same transaction.
 */
@Service
public class AnsweringQuotes {

  private final Documents documents;
  private final CompanyAlerts alerts;

  AnsweringQuotes(Documents documents, CompanyAlerts alerts) {
    this.documents = documents;
    this.alerts = alerts;
  }

  /**
   * Answers the contact's sent quote; false when it was answered already or is not a quote waiting
   * for an answer. Another contact's document is not found.
   */
  @Transactional
  public boolean answer(
      TenantId tenant, UUID contactId, UUID documentId, boolean approved, String comment) {
    Document doc = documents.require(tenant, documentId);
    if (!doc.contactId().equals(contactId)) {
      throw new NotFoundException("Document");
    }
    if (!documents.answer(tenant, documentId, approved, comment)) {
      return false;
    }
    Document answered = documents.require(tenant, documentId);
    alerts.alertAdmins(
        tenant,
        approved ? "documents.mail.approved" : "documents.mail.declined",
        new Object[] {
          answered.displayNumber(),
          answered.contactName(),
          answered.answerComment() == null ? "-" : answered.answerComment()
        },
        "quote-answered:" + documentId);
    return true;
  }
}
