package dev.herald.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * What the notification module asks to send; recipient is E.164 for SMS, an e-mail address for
 * EMAIL. The subject is for e-mail only; smartEncoding applies to SMS only (F3). kind sets priority
 * and default validity; validUntil (optional) overrides that validity; dedupeKey (optional) makes
 * the enqueue idempotent per company, key and channel, for callers that may act twice on one event.
 */
public record OutboundDraft(
    Channel channel,
    UUID contactId,
    String recipient,
    String subject,
    String body,
    boolean smartEncoding,
    OutboundKind kind,
    String dedupeKey,
    Instant validUntil) {

  public OutboundDraft {
    kind = kind == null ? OutboundKind.DIRECT : kind;
  }

  /** A direct message with its kind's default validity and no dedupe key. */
  public OutboundDraft(
      Channel channel,
      UUID contactId,
      String recipient,
      String subject,
      String body,
      boolean smartEncoding) {
    this(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        OutboundKind.DIRECT,
        null,
        null);
  }

  public OutboundDraft withKind(OutboundKind newKind) {
    return new OutboundDraft(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        newKind,
        dedupeKey,
        validUntil);
  }

  public OutboundDraft withDedupeKey(String key) {
    return new OutboundDraft(
        channel, contactId, recipient, subject, body, smartEncoding, kind, key, validUntil);
  }

  public OutboundDraft withValidUntil(Instant until) {
    return new OutboundDraft(
        channel, contactId, recipient, subject, body, smartEncoding, kind, dedupeKey, until);
  }
}
