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
    Instant validUntil,
    EmailFallback fallback,
    ReplyFrom replyFrom) {

  /**
   * The number a customer wrote to and the gateway their SMS came in by: an answer to that SMS (a
   * keyword's) goes from that very number, by that gateway while it takes messages, so that the
   * customer can write back to the same number (START after STOP).
   */
  public record ReplyFrom(String number, String gateway) {
    public ReplyFrom {
      if (number == null || number.isBlank() || number.strip().length() > 32) {
        throw new IllegalArgumentException("A reply needs the number it answers from");
      }
      number = number.strip();
      gateway = gateway == null || gateway.isBlank() ? null : gateway.strip();
    }
  }

  /**
   * The e-mail that goes instead of an SMS that finds no credit (H2), when the company keeps that
   * choice on: built by the caller, which knows the contact's address and the communication.
   */
  public record EmailFallback(String recipient, String subject, String body) {
    public EmailFallback {
      if (recipient == null || recipient.strip().indexOf('@') < 1) {
        throw new IllegalArgumentException("Not an e-mail address");
      }
      if (body == null || body.isBlank()) {
        throw new IllegalArgumentException("A message needs a body");
      }
    }
  }

  public OutboundDraft {
    kind = kind == null ? OutboundKind.DIRECT : kind;
    if (fallback != null && channel != Channel.SMS) {
      throw new IllegalArgumentException("only an SMS has an e-mail fallback");
    }
    if (replyFrom != null && channel != Channel.SMS) {
      throw new IllegalArgumentException("only an SMS answers from a number");
    }
  }

  public OutboundDraft(
      Channel channel,
      UUID contactId,
      String recipient,
      String subject,
      String body,
      boolean smartEncoding,
      OutboundKind kind,
      String dedupeKey,
      Instant validUntil,
      EmailFallback fallback) {
    this(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        kind,
        dedupeKey,
        validUntil,
        fallback,
        null);
  }

  public OutboundDraft(
      Channel channel,
      UUID contactId,
      String recipient,
      String subject,
      String body,
      boolean smartEncoding,
      OutboundKind kind,
      String dedupeKey,
      Instant validUntil) {
    this(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        kind,
        dedupeKey,
        validUntil,
        null);
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
        validUntil,
        fallback,
        replyFrom);
  }

  public OutboundDraft withDedupeKey(String key) {
    return new OutboundDraft(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        kind,
        key,
        validUntil,
        fallback,
        replyFrom);
  }

  public OutboundDraft withValidUntil(Instant until) {
    return new OutboundDraft(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        kind,
        dedupeKey,
        until,
        fallback,
        replyFrom);
  }

  /** This SMS with the e-mail that goes instead when it finds no credit. */
  public OutboundDraft withFallback(EmailFallback emailFallback) {
    return new OutboundDraft(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        kind,
        dedupeKey,
        validUntil,
        emailFallback,
        replyFrom);
  }

  /** This SMS, answering a customer's SMS: from the number they wrote to, by its gateway. */
  public OutboundDraft withReplyFrom(ReplyFrom from) {
    return new OutboundDraft(
        channel,
        contactId,
        recipient,
        subject,
        body,
        smartEncoding,
        kind,
        dedupeKey,
        validUntil,
        fallback,
        from);
  }
}
