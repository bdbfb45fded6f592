package dev.herald.billing;

import dev.herald.shared.TenantId;
import java.util.UUID;

/** The operator recorded the payment of an invoice; published in that transaction. */
public record InvoicePaid(TenantId tenantId, UUID invoiceId) {}
