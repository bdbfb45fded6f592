package dev.herald.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One SMS the built-in simulator received: what a carrier would have been given, recipient masked.
 */
public record SimulatedSms(
    UUID id,
    UUID messageId,
    String sender,
    String maskedRecipient,
    String text,
    String encoding,
    int parts,
    List<String> gatewayMessageIds,
    Instant submittedAt,
    String node) {}
