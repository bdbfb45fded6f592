package dev.herald.delivery.gateway;

import java.time.Instant;

/**
 * A mobile-originated SMS a gateway received: the sender's number (E.164 when the carrier gave an
 * international number), the number it was sent to, the text decoded.
 */
public record InboundSms(String gateway, String from, String to, String text, Instant receivedAt) {

  @Override
  public String toString() {
    // Never the text, never the full number.
    return "InboundSms[" + gateway + " from " + dev.herald.shared.PhoneNumber.mask(from) + "]";
  }
}
