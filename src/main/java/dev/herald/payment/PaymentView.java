package dev.herald.payment;

import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A payment as its starter sees it. */
public record PaymentView(
    UUID id,
    TenantId tenantId,
    Payee payee,
    ReferenceKind kind,
    String reference,
    Money amount,
    PaymentMethod method,
    String provider,
    PaymentStatus status,
    Optional<String> failureReason,
    Instant createdAt) {}
