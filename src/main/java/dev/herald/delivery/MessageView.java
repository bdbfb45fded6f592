package dev.herald.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message as the UI and API show it: the status with its reason and attempts; kind, validity, and
 * the node and gateway of its last attempt. {@code maskedRecipient} is for lists, logs and
 * integrators; {@code recipient} (as stored: already masked once the contact was deleted) only for
 * the company's own users on a message's page.
 */
public record MessageView(
    UUID id,
    UUID contactId,
    Channel channel,
    String maskedRecipient,
    String subject,
    String body,
    String encoding,
    int segments,
    MessageStatus status,
    String statusReason,
    String errorCode,
    int attempts,
    Instant createdAt,
    Instant sentAt,
    Instant nextAttemptAt,
    List<AttemptView> attemptHistory,
    OutboundKind kind,
    Instant validUntil,
    String node,
    String gateway,
    String recipient) {}
