package dev.herald.work;

import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.List;
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

  /** One link to ask for: a contact of the company, and the document it opens on first. */
  record Request(UUID contactId, UUID documentId) {}

  /**
   * A new link for each request, in order, all valid until {@code expiresAt}: what {@link #issue}
   * does, for a batch (the reminder run); an implementation may store them in one statement.
   */
  default List<String> issueAll(TenantId tenant, List<Request> requests, Instant expiresAt) {
    return requests.stream()
        .map(r -> issue(tenant, r.contactId(), r.documentId(), expiresAt))
        .toList();
  }
}
