package dev.herald.delivery;

import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.UUID;

/**
 * An SMS a person sent to a number a company sends from (G5): from is the sender's number (E.164
 * when the carrier gave an international one), to the number it was sent to. Published once per
 * company it reached, inside the transaction that records it; at least once (inboundId is the same
 * each time). shared: the number it was sent to reached several companies (a shared number).
 */
public record InboundSmsReceived(
    TenantId tenant,
    UUID inboundId,
    String gateway,
    String from,
    String to,
    String text,
    Instant receivedAt,
    boolean shared) {

  /** An inbound SMS to a number of this company alone. */
  public InboundSmsReceived(
      TenantId tenant,
      UUID inboundId,
      String gateway,
      String from,
      String to,
      String text,
      Instant receivedAt) {
    this(tenant, inboundId, gateway, from, to, text, receivedAt, false);
  }

  @Override
  public String toString() {
    // Never the text, never the full number.
    return "InboundSmsReceived["
        + tenant
        + ", "
        + inboundId
        + " from "
        + dev.herald.shared.PhoneNumber.mask(from)
        + "]";
  }
}
