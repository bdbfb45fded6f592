package dev.herald.billing;

import dev.herald.shared.TenantId;
import java.util.UUID;

/** A company's prepaid credit fell to or below its low-credit threshold; once per crossing. */
public record CreditLow(UUID alertId, TenantId tenantId, long balance, int threshold) {}
