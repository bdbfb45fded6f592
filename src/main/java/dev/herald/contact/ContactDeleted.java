package dev.herald.contact;

import dev.herald.shared.TenantId;
import java.util.UUID;

/** A contact was deleted (anonymised); published inside the deleting transaction. */
public record ContactDeleted(TenantId tenantId, UUID contactId) {}
