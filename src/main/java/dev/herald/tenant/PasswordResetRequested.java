package dev.herald.tenant;

import dev.herald.shared.Language;
import dev.herald.shared.TenantId;

/**
 * A company user asked for a password reset link (or an owner sent one): the link must reach {@code
 * email}. Published inside the transaction that stored the token, so the e-mail is queued exactly
 * when the token exists. Carries the link itself: never log or store this event.
 */
public record PasswordResetRequested(
    TenantId tenantId, String email, String displayName, Language language, String link) {

  @Override
  public String toString() {
    return "PasswordResetRequested[" + tenantId + "]";
  }
}
