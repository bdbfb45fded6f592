package dev.herald.delivery.gateway;

import dev.herald.shared.TenantId;
import dev.herald.smstext.SmsEncoding;
import dev.herald.smstext.SmsPart;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One SMS to submit: Herald's message id, the sender (company sender name or the default), the
 * E.164 recipient, and the parts as the splitter made them. reference is the concatenation
 * reference (0..255) for the UDH of a multi-part message (see SmsPart.concatenationHeader), a
 * gateway may choose another one to keep it unique per recipient while parts are in flight;
 * validUntil (null: none) is when the carrier should stop trying (SMPP validity_period); source is
 * the from address with its kind (TON/NPI), chosen per destination country (SenderAddresses).
 */
public record SmsSubmission(
    TenantId tenant,
    UUID messageId,
    int attempt,
    String from,
    String to,
    String text,
    SmsEncoding encoding,
    List<SmsPart> parts,
    int reference,
    Instant validUntil,
    SourceAddress source) {

  public SmsSubmission {
    parts = List.copyOf(parts);
    source = source != null ? source : SourceAddress.of(from);
  }

  /** A submission whose source address is read from {@code from}. */
  public SmsSubmission(
      TenantId tenant,
      UUID messageId,
      int attempt,
      String from,
      String to,
      String text,
      SmsEncoding encoding,
      List<SmsPart> parts,
      int reference,
      Instant validUntil) {
    this(tenant, messageId, attempt, from, to, text, encoding, parts, reference, validUntil, null);
  }

  /** A submission with no validity. */
  public SmsSubmission(
      TenantId tenant,
      UUID messageId,
      int attempt,
      String from,
      String to,
      String text,
      SmsEncoding encoding,
      List<SmsPart> parts,
      int reference) {
    this(tenant, messageId, attempt, from, to, text, encoding, parts, reference, null);
  }

  @Override
  public String toString() {
    // Never the full number, never the text.
    return "SmsSubmission["
        + messageId
        + " to "
        + dev.herald.shared.PhoneNumber.mask(to)
        + ", "
        + parts.size()
        + " part(s)]";
  }
}
