package dev.herald.contact;

import dev.herald.shared.TenantId;

/**
 * A number opted out of the company's SMS (C5); published inside the transaction that records it.
 */
public record SmsOptedOut(TenantId tenantId, String number, String source) {}
