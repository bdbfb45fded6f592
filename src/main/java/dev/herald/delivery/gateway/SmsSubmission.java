package dev.herald.delivery.gateway;

import dev.herald.shared.TenantId;
import dev.herald.smstext.SmsEncoding;
import dev.herald.smstext.SmsPart;
import java.util.List;
import java.util.UUID;

/**
 * One SMS to submit: Herald's message id, the sender (company sender name or the default), the
 * E.164 recipient, and the parts as the splitter made them. reference is the concatenation
 * reference (0..255) for the UDH of a multi-part message (see SmsPart.concatenationHeader).
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
    int reference) {

  public SmsSubmission {
    parts = List.copyOf(parts);
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
