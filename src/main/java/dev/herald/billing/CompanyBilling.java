package dev.herald.billing;

import dev.herald.shared.TenantId;
import java.time.Instant;

/** One company's billing at a glance, for the operator console. */
public record CompanyBilling(
    TenantId tenantId,
    String model,
    String currency,
    long balance,
    String subscription,
    Instant periodStart,
    long usedThisPeriod) {}
