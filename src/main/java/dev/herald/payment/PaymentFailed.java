package dev.herald.payment;

import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A payment failed, was declined, or its checkout expired; published like {@link PaymentSettled},
 * inside the transaction that records it. {@code reason} is a short code ({@code declined}, {@code
 * expired}, {@code cancelled}, {@code async_failed}, or a provider's code).
 */
public record PaymentFailed(
    UUID paymentId,
    TenantId tenantId,
    Payee payee,
    ReferenceKind kind,
    String reference,
    String reason,
    Instant failedAt) {}
