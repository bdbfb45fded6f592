package dev.herald.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * One e-mail the embedded mail sink received instead of an SMTP server; account is true for an
 * account e-mail (a password reset link), whose text pages do not show to the company's users;
 * attachments names the files it carried.
 */
public record SinkMail(
    UUID id,
    UUID messageId,
    String sender,
    String recipient,
    String subject,
    String body,
    Instant receivedAt,
    String node,
    boolean account,
    java.util.List<String> attachments) {}
