package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.GatewayMessageIds;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.smstext.SmsEncoding;
import dev.herald.smstext.SmsTexts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameter.Tag;

/**
 * Reads a deliver_sm as a delivery receipt or as an inbound SMS, tolerantly: receipts come with or
 * without the receipted_message_id and message_state TLVs, with the text in short_message or
 * message_payload, with fields missing, in any case, with vendors' own state names. The TLVs win
 * over the text when both are there.
 */
final class DeliverSmReader {

  private DeliverSmReader() {}

  /** esm_class bits 2..5: SMSC receipt, SME acks, intermediate notification. */
  private static final int RECEIPT_TYPES = 0x3C;

  private static final Pattern ID = Pattern.compile("(?i)(?:^|\\s)id:\\s*([^\\s]+)");
  private static final Pattern STAT = Pattern.compile("(?i)(?:^|\\s)stat:\\s*([^\\s]+)");
  private static final Pattern ERR = Pattern.compile("(?i)(?:^|\\s)err:\\s*([^\\s]+)");

  /** What a deliver_sm says, from its fields. */
  record Fields(
      byte esmClass,
      byte dataCoding,
      byte sourceTon,
      String source,
      byte destinationTon,
      String destination,
      byte[] shortMessage,
      OptionalParameter[] optionalParameters) {}

  /** Whether it is a receipt (by esm_class, or by a receipted_message_id TLV). */
  static boolean isReceipt(Fields f) {
    return (f.esmClass() & RECEIPT_TYPES) != 0 || tlv(f, Tag.RECEIPTED_MESSAGE_ID.code()) != null;
  }

  /** The receipt, or null when it names no message at all (nothing to match). */
  static DeliveryReceipt receipt(
      String gateway,
      Fields f,
      GatewayMessageIds.Format submitFormat,
      GatewayMessageIds.Format receiptFormat,
      Instant receivedAt) {
    String text = receiptText(f);
    String id = null;
    OptionalParameter receipted = tlv(f, Tag.RECEIPTED_MESSAGE_ID.code());
    if (receipted != null) {
      // The TLV carries the id as the submit_sm_resp gave it.
      id = GatewayMessageIds.canonical(cString(receipted), submitFormat);
    }
    if (id == null) {
      id = GatewayMessageIds.canonical(group(ID, text), receiptFormat);
    }
    if (id == null) {
      return null;
    }
    DeliveryReceipt.State state = null;
    OptionalParameter messageState = tlv(f, Tag.MESSAGE_STATE.code());
    if (messageState instanceof OptionalParameter.Byte b) {
      state = DeliveryReceipt.State.ofMessageState(b.getValue() & 0xFF);
      if (state == DeliveryReceipt.State.UNKNOWN) {
        state = null; // let the text say more
      }
    }
    if (state == null) {
      state = DeliveryReceipt.State.ofText(group(STAT, text));
    }
    String error = errorCode(f, group(ERR, text));
    if (state == DeliveryReceipt.State.DELIVERED) {
      error = null;
    }
    return new DeliveryReceipt(gateway, id, state, error, receivedAt);
  }

  /** An inbound SMS: the text decoded by its data_coding, without its UDH. */
  static InboundSms inbound(String gateway, Fields f, Instant receivedAt) {
    byte[] octets = f.shortMessage() == null ? new byte[0] : f.shortMessage();
    if (octets.length == 0) {
      OptionalParameter payload = tlv(f, Tag.MESSAGE_PAYLOAD.code());
      if (payload instanceof OptionalParameter.OctetString s) {
        octets = s.getValue();
      }
    }
    InboundSms.Part part = concatenation(f, octets);
    if ((f.esmClass() & SmppPayloads.ESM_CLASS_UDHI) != 0 && octets.length > 0) {
      int udh = (octets[0] & 0xFF) + 1;
      octets = udh < octets.length ? Arrays.copyOfRange(octets, udh, octets.length) : new byte[0];
    }
    return new InboundSms(
        gateway,
        SmppAddresses.toHerald(f.source(), f.sourceTon()),
        SmppAddresses.toHerald(f.destination(), f.destinationTon()),
        decode(octets, f.dataCoding()),
        receivedAt,
        part);
  }

  /**
   * Which part of a concatenated SMS this is: from the UDH's concatenation element (8-bit
   * reference, IEI 0x00, or 16-bit, IEI 0x08; 3GPP TS 23.040 9.2.3.24) or from SMPP's own sar_
   * TLVs; null for a whole SMS.
   */
  static InboundSms.Part concatenation(Fields f, byte[] octets) {
    if ((f.esmClass() & SmppPayloads.ESM_CLASS_UDHI) != 0 && octets.length > 0) {
      int end = Math.min(1 + (octets[0] & 0xFF), octets.length);
      int i = 1;
      while (i + 1 < end) {
        int iei = octets[i] & 0xFF;
        int length = octets[i + 1] & 0xFF;
        int v = i + 2;
        if (v + length > end) {
          break;
        }
        if (iei == 0x00 && length == 3) {
          return part(octets[v] & 0xFF, octets[v + 1] & 0xFF, octets[v + 2] & 0xFF);
        }
        if (iei == 0x08 && length == 4) {
          return part(
              (octets[v] & 0xFF) << 8 | (octets[v + 1] & 0xFF),
              octets[v + 2] & 0xFF,
              octets[v + 3] & 0xFF);
        }
        i = v + length;
      }
    }
    if (tlv(f, Tag.SAR_MSG_REF_NUM.code()) instanceof OptionalParameter.Short reference
        && tlv(f, Tag.SAR_TOTAL_SEGMENTS.code()) instanceof OptionalParameter.Byte total
        && tlv(f, Tag.SAR_SEGMENT_SEQNUM.code()) instanceof OptionalParameter.Byte sequence) {
      return part(
          reference.getValue() & 0xFFFF, total.getValue() & 0xFF, sequence.getValue() & 0xFF);
    }
    return null;
  }

  private static InboundSms.Part part(int reference, int total, int sequence) {
    return total > 1 && sequence >= 1 && sequence <= total
        ? new InboundSms.Part(reference, total, sequence)
        : null;
  }

  static String decode(byte[] octets, byte dataCoding) {
    int coding = dataCoding & 0xFF;
    // Some SMSCs pass the handset's GSM 03.38 DCS through (SMPP 3.4 reserves 0x10..0xBF): with a
    // message class (0x10..0x1F) bits 3..2 name the alphabet, in 0xF0..0xFF bit 2 does.
    if ((coding & 0xF0) == 0x10) {
      coding =
          switch ((coding >> 2) & 0x03) {
            case 0 -> 0x00;
            case 2 -> 0x08;
            default -> 0x04;
          };
    } else if ((coding & 0xF0) == 0xF0) {
      coding = (coding & 0x04) == 0 ? 0x00 : 0x04;
    } else if (coding >= 0xC0) {
      // message waiting indication groups: GSM text, or UCS-2 for 0xE0..0xEF
      coding = coding >= 0xE0 ? 0x08 : 0x00;
    }
    if (coding == 0x08) {
      return SmsTexts.decode(
          octets.length % 2 == 0 ? octets : Arrays.copyOf(octets, octets.length - 1),
          SmsEncoding.UCS_2);
    }
    if (coding == 0x00) {
      try {
        return SmsTexts.decode(octets, SmsEncoding.GSM_7);
      } catch (IllegalArgumentException notSeptets) {
        // an SMSC that sends Latin-1 under its default alphabet
        return new String(octets, StandardCharsets.ISO_8859_1);
      }
    }
    if (coding == 0x01) {
      return new String(octets, StandardCharsets.US_ASCII);
    }
    return new String(octets, StandardCharsets.ISO_8859_1);
  }

  private static String receiptText(Fields f) {
    byte[] octets = f.shortMessage();
    if (octets == null || octets.length == 0) {
      OptionalParameter payload = tlv(f, Tag.MESSAGE_PAYLOAD.code());
      octets = payload instanceof OptionalParameter.OctetString s ? s.getValue() : new byte[0];
    }
    // Receipt texts are ASCII; whatever else is in them must not stop the fields from reading.
    return new String(octets, StandardCharsets.ISO_8859_1);
  }

  private static String errorCode(Fields f, String textError) {
    OptionalParameter network = tlv(f, Tag.NETWORK_ERROR_CODE.code());
    if (network instanceof OptionalParameter.OctetString s && s.getValue().length == 3) {
      byte[] v = s.getValue();
      int code = (v[1] & 0xFF) << 8 | (v[2] & 0xFF);
      if (code != 0) {
        return "NET_%d_%d".formatted(v[0] & 0xFF, code);
      }
    }
    if (textError == null || textError.chars().allMatch(c -> c == '0')) {
      return textError == null ? null : "000";
    }
    return textError;
  }

  private static OptionalParameter tlv(Fields f, short tag) {
    if (f.optionalParameters() == null) {
      return null;
    }
    for (OptionalParameter p : f.optionalParameters()) {
      if (p != null && p.tag == tag) {
        return p;
      }
    }
    return null;
  }

  private static String cString(OptionalParameter p) {
    if (p instanceof OptionalParameter.OctetString s) {
      byte[] v = s.getValue();
      int end = v.length;
      while (end > 0 && v[end - 1] == 0) {
        end--;
      }
      return new String(v, 0, end, StandardCharsets.ISO_8859_1);
    }
    return null;
  }

  private static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
