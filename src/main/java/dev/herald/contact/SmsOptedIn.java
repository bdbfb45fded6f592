package dev.herald.contact;

import dev.herald.shared.TenantId;

/** A number that had opted out takes SMS again (START); published inside that transaction. */
public record SmsOptedIn(TenantId tenantId, String number, String source) {}
