package dev.herald.delivery;

import java.time.Instant;
import java.util.UUID;

/** One e-mail the embedded mail sink received instead of an SMTP server. */
public record SinkMail(
    UUID id,
    UUID messageId,
    String sender,
    String recipient,
    String subject,
    String body,
    Instant receivedAt,
    String node) {}
