package dev.herald.delivery.smpp;

import dev.herald.smstext.SmsEncoding;
import dev.herald.smstext.SmsPart;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The octets of a submit_sm: data_coding, short_message (with the concatenation UDH for a part of a
 * multi-part message), esm_class, validity_period.
 */
final class SmppPayloads {

  private SmppPayloads() {}

  static final byte ESM_CLASS_UDHI = 0x40;
  static final byte DATA_CODING_UCS2 = 0x08;

  private static final DateTimeFormatter ABSOLUTE =
      DateTimeFormatter.ofPattern("yyMMddHHmmss").withZone(ZoneOffset.UTC);

  /** The data_coding of a part: UCS-2 is 8; GSM 03.38 text is the gateway's gsmCoding. */
  static byte dataCoding(SmsEncoding encoding, byte gsmCoding) {
    return encoding == SmsEncoding.UCS_2 ? DATA_CODING_UCS2 : gsmCoding;
  }

  /**
   * The short_message of part {@code sequence} (from 1) of {@code total}: the UDH first when there
   * are several parts, then the text in the octets its data_coding says.
   */
  static byte[] shortMessage(
      SmsPart part, byte dataCoding, int reference, int total, int sequence) {
    byte[] text = textOctets(part, dataCoding);
    if (total <= 1) {
      return text;
    }
    byte[] udh = SmsPart.concatenationHeader(reference, total, sequence);
    return ByteBuffer.allocate(udh.length + text.length).put(udh).put(text).array();
  }

  private static byte[] textOctets(SmsPart part, byte dataCoding) {
    return switch (dataCoding) {
      case 0x01 -> lossy(part.text(), StandardCharsets.US_ASCII);
      case 0x03 -> lossy(part.text(), StandardCharsets.ISO_8859_1);
      // GSM 03.38 septets, one per octet (unpacked), as SMPP carries them; or UCS-2 big-endian
      default -> part.payload();
    };
  }

  /**
   * GSM text in an SMSC's other default alphabet: what that alphabet lacks (€, Greek capitals) goes
   * out as '?', as with any ESME for such an SMSC; the setting's documentation says so.
   */
  private static byte[] lossy(String text, Charset charset) {
    CharsetEncoder encoder =
        charset
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      ByteBuffer out = encoder.encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[out.remaining()];
      out.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The validity_period for a message valid until {@code validUntil}: relative to the SMSC's
   * receipt ({@code YYMMDDhhmmss000R}, so the SMSC's clock does not matter), or absolute in UTC
   * ({@code YYMMDDhhmmss000+}); null when the message has no validity or the gateway sends none. At
   * least one minute; relative periods are capped at 99 days.
   */
  static String validityPeriod(Instant validUntil, Instant now, String mode) {
    if (validUntil == null || mode.equals("none")) {
      return null;
    }
    if (mode.equals("absolute")) {
      Instant at = validUntil.isBefore(now.plusSeconds(60)) ? now.plusSeconds(60) : validUntil;
      return ABSOLUTE.format(at) + "000+";
    }
    Duration left = Duration.between(now, validUntil);
    if (left.compareTo(Duration.ofMinutes(1)) < 0) {
      left = Duration.ofMinutes(1);
    }
    if (left.compareTo(Duration.ofDays(99)) > 0) {
      left = Duration.ofDays(99);
    }
    // YYMMDDhhmmsstnnp with years and months 0: built by hand, it runs for every part submitted
    StringBuilder b = new StringBuilder(16).append("0000");
    twoDigits(b, left.toDays());
    twoDigits(b, left.toHoursPart());
    twoDigits(b, left.toMinutesPart());
    twoDigits(b, left.toSecondsPart());
    return b.append("000R").toString();
  }

  private static void twoDigits(StringBuilder b, long n) {
    b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }
}
