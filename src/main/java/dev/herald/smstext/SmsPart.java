package dev.herald.smstext;

import java.util.Objects;

/** One part of an SMS as the gateway sends it: text, encoding, size in septets or UTF-16 units. */
public record SmsPart(String text, SmsEncoding encoding, int units) {

  private static final int CONCATENATION_HEADER_LENGTH = 6;

  public SmsPart {
    Objects.requireNonNull(text, "text must not be null");
    Objects.requireNonNull(encoding, "encoding must not be null");
  }

  /** The short_message octets: unpacked septets (GSM-7) or UTF-16BE (UCS-2); new on each call. */
  public byte[] payload() {
    int length = text.length();
    if (encoding == SmsEncoding.GSM_7) {
      byte[] septets = new byte[units];
      int offset = 0;
      for (int i = 0; i < length; i++) {
        offset = Gsm7Alphabet.encode(text.charAt(i), septets, offset);
      }
      return septets;
    }
    // Written unit by unit rather than with getBytes(UTF_16BE), which would turn a lone
    // surrogate into '?' and so send something other than what was counted.
    byte[] octets = new byte[length * 2];
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      octets[2 * i] = (byte) (c >>> 8);
      octets[2 * i + 1] = (byte) c;
    }
    return octets;
  }

  /** Octets the text takes on air: septets packed 7 bits each for GSM-7, 2 per unit for UCS-2. */
  public int packedOctets() {
    return encoding == SmsEncoding.GSM_7 ? (units * 7 + 7) / 8 : units * 2;
  }

  /** The 6-byte concatenation UDH (05 00 03 reference total sequence), sequence counting from 1. */
  public static byte[] concatenationHeader(int reference, int total, int sequence) {
    if (reference < 0 || reference > 0xFF) {
      throw new IllegalArgumentException("reference must be 0..255 but was " + reference);
    }
    if (total < 1 || total > 0xFF) {
      throw new IllegalArgumentException("total must be 1..255 but was " + total);
    }
    if (sequence < 1 || sequence > total) {
      throw new IllegalArgumentException(
          "sequence must be 1..%d but was %d".formatted(total, sequence));
    }
    byte[] header = new byte[CONCATENATION_HEADER_LENGTH];
    header[0] = 0x05; // length of what follows
    header[1] = 0x00; // IEI: concatenated short messages, 8-bit reference
    header[2] = 0x03; // length of the IE data
    header[3] = (byte) reference;
    header[4] = (byte) total;
    header[5] = (byte) sequence;
    return header;
  }
}
