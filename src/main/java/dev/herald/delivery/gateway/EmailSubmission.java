package dev.herald.delivery.gateway;

import dev.herald.shared.TenantId;
import java.util.UUID;

/** One e-mail to send. */
public record EmailSubmission(
    TenantId tenant,
    UUID messageId,
    int attempt,
    String from,
    String to,
    String subject,
    String body) {

  @Override
  public String toString() {
    // Never the body.
    return "EmailSubmission[" + messageId + "]";
  }
}
