package dev.herald.tenant;

import dev.herald.shared.TenantId;

/**
 * A company may no longer send SMS (locked, or moved to a plan without SMS); published in that
 * transaction.
 */
public record SmsStopped(TenantId tenantId, String reason) {}
