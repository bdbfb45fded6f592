package dev.herald.billing;

import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.UUID;

/** A company's monthly-blocks subscription (B1): requested, active (with its period) or ended. */
public record SmsSubscription(
    TenantId tenantId,
    String status,
    Instant requestedAt,
    Instant startedAt,
    int period,
    Instant periodStartsAt,
    Instant periodEndsAt,
    UUID firstInvoiceId,
    Instant stopRequestedAt) {

  public boolean requested() {
    return "requested".equals(status);
  }

  public boolean active() {
    return "active".equals(status);
  }

  public boolean stopping() {
    return active() && stopRequestedAt != null;
  }
}
