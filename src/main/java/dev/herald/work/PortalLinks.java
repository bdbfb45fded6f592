package dev.herald.work;

import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * Links into the customer portal (E1), issued in the caller's transaction for each sending. The
 * portal module implements it; documents only ask for a link.
 */
public interface PortalLinks {

  /**
   * A new link for one contact of the company, opening first on the document, valid until {@code
   * expiresAt}; the token in it is stored only hashed.
   */
  String issue(TenantId tenant, UUID contactId, UUID documentId, Instant expiresAt);
}
