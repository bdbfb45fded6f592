package dev.herald.delivery;

import java.util.UUID;

/**
 * What the notification module asks to send; recipient is E.164 for SMS, an e-mail address for
 * EMAIL. The subject is for e-mail only; smartEncoding applies to SMS only (F3).
 */
public record OutboundDraft(
    Channel channel,
    UUID contactId,
    String recipient,
    String subject,
    String body,
    boolean smartEncoding) {}
