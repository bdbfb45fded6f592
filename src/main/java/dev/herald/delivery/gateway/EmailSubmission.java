package dev.herald.delivery.gateway;

import dev.herald.delivery.OutboundAttachment;
import dev.herald.shared.TenantId;
import java.util.List;
import java.util.UUID;

/** One e-mail to send, with its attachments (usually none). */
public record EmailSubmission(
    TenantId tenant,
    UUID messageId,
    int attempt,
    String from,
    String to,
    String subject,
    String body,
    List<OutboundAttachment> attachments) {

  public EmailSubmission {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** An e-mail without attachments. */
  public EmailSubmission(
      TenantId tenant,
      UUID messageId,
      int attempt,
      String from,
      String to,
      String subject,
      String body) {
    this(tenant, messageId, attempt, from, to, subject, body, List.of());
  }

  @Override
  public String toString() {
    // Never the body.
    return "EmailSubmission[" + messageId + "]";
  }
}
