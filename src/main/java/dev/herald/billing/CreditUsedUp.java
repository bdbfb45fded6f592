package dev.herald.billing;

import dev.herald.shared.TenantId;
import java.util.UUID;

/** A company's prepaid credit reached zero: SMS stop until credit is added; once per depletion. */
public record CreditUsedUp(UUID alertId, TenantId tenantId) {}
