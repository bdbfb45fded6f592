package dev.herald.payment;

import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * A payment's money arrived. Published (with Spring's event publisher) inside the transaction that
 * marks the provider event or the recorded bank transfer done, so the listener's whole effect (an
 * order paid, credit granted, a document paid) commits with it or not at all. Listeners are plain
 * synchronous {@code @EventListener}s and idempotent: a payment settles once, but a listener must
 * not rely on it.
 */
public record PaymentSettled(
    UUID paymentId,
    TenantId tenantId,
    Payee payee,
    ReferenceKind kind,
    String reference,
    Money amount,
    PaymentMethod method,
    Instant settledAt) {}
