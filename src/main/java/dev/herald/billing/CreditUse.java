package dev.herald.billing;

import dev.herald.shared.TenantId;
import java.util.Objects;
import java.util.UUID;

/**
 * A reservation to capture or release: the company, its reference and the units the caller expects
 * (the reservation's own units are what moves).
 */
public record CreditUse(TenantId tenantId, UUID reference, int units) {

  public CreditUse {
    Objects.requireNonNull(tenantId, "tenant");
    Objects.requireNonNull(reference, "reference");
  }
}
