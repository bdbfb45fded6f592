package dev.herald.delivery.gateway;

import java.time.Instant;

/**
 * A mobile-originated SMS a gateway received: the sender's number (E.164 when the carrier gave an
 * international number), the number it was sent to, the text decoded; for one part of a
 * concatenated SMS, which part it is (null for a whole SMS); the carrier's own id of it, when it
 * gives one (null otherwise): the same id from one gateway again is the same SMS, stored once.
 */
public record InboundSms(
    String gateway,
    String from,
    String to,
    String text,
    Instant receivedAt,
    Part part,
    String carrierId) {

  /** A whole SMS. */
  public InboundSms(String gateway, String from, String to, String text, Instant receivedAt) {
    this(gateway, from, to, text, receivedAt, null, null);
  }

  /** A whole SMS ({@code part} null) or a part of one, without a carrier's id. */
  public InboundSms(
      String gateway, String from, String to, String text, Instant receivedAt, Part part) {
    this(gateway, from, to, text, receivedAt, part, null);
  }

  /**
   * Part {@code sequence} (from 1) of {@code total} of a concatenated SMS that its sender numbered
   * {@code reference} (8 or 16 bits): the inbox joins the parts with one sender, recipient,
   * reference and total once all are there.
   */
  public record Part(int reference, int total, int sequence) {}

  @Override
  public String toString() {
    // Never the text, never the full number.
    return "InboundSms[" + gateway + " from " + dev.herald.shared.PhoneNumber.mask(from) + "]";
  }
}
