package dev.herald.smstext;

import java.util.Arrays;

/**
 * The 3GPP TS 23.038 default alphabet (basic table) and its extension table, as lookups that
 * neither box nor allocate: they run for every character of every keystroke and every message.
 */
final class Gsm7Alphabet {

  static final int ESCAPE = 0x1B;

  /** Lookup result for a character that is not in the alphabet. */
  static final int ABSENT = -1;

  // Index = septet. 0x1B is the escape to the extension table, not a character: '\u001B' in a
  // text must not encode to it, so the lookup table below skips it.
  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  private static final String EXTENSION_CHARACTERS = "\f^{}\\[~]|€";
  private static final byte[] EXTENSION_SEPTETS = {
    0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65
  };

  private static final char EURO = '€';

  // Every character of both tables except the euro sign is below U+0400, so one small array
  // covers them. Value: the septet for the basic table, EXTENDED | septet for the extension.
  private static final int EXTENDED = 0x100;
  private static final int LOOKUP_SIZE = 0x400;
  private static final short[] LOOKUP = new short[LOOKUP_SIZE];
  private static final char[] BASIC_BY_SEPTET = BASIC.toCharArray();
  private static final char[] EXTENSION_BY_SEPTET = new char[128];

  static {
    if (BASIC.length() != 128) {
      throw new IllegalStateException("GSM 03.38 basic table must have 128 entries");
    }
    Arrays.fill(LOOKUP, (short) ABSENT);
    for (int septet = 0; septet < 128; septet++) {
      if (septet != ESCAPE) {
        LOOKUP[BASIC.charAt(septet)] = (short) septet;
      }
    }
    for (int i = 0; i < EXTENSION_SEPTETS.length; i++) {
      char c = EXTENSION_CHARACTERS.charAt(i);
      EXTENSION_BY_SEPTET[EXTENSION_SEPTETS[i]] = c;
      if (c != EURO) {
        LOOKUP[c] = (short) (EXTENDED | EXTENSION_SEPTETS[i]);
      }
    }
  }

  private Gsm7Alphabet() {}

  /** The septet code, EXTENDED-flagged for the extension table, or ABSENT. */
  private static int lookup(char c) {
    if (c < LOOKUP_SIZE) {
      return LOOKUP[c];
    }
    return c == EURO ? EXTENDED | 0x65 : ABSENT;
  }

  /** Septets the character costs on air: 1, 2 (escape + code), or 0 when it is not GSM-7. */
  static int septets(char c) {
    int code = lookup(c);
    if (code == ABSENT) {
      return 0;
    }
    return code >= EXTENDED ? 2 : 1;
  }

  /** Writes the character's septet(s) at offset and returns the offset after them. */
  static int encode(char c, byte[] septets, int offset) {
    int code = lookup(c);
    if (code == ABSENT) {
      throw new IllegalArgumentException(
          "U+%04X is not in the GSM 03.38 alphabet".formatted((int) c));
    }
    if (code >= EXTENDED) {
      septets[offset++] = ESCAPE;
      code &= 0x7F;
    }
    septets[offset++] = (byte) code;
    return offset;
  }

  /** Decodes unpacked septets, one per octet, as SMPP data_coding 0x00 carries them. */
  static String decode(byte[] septets) {
    StringBuilder text = new StringBuilder(septets.length);
    for (int i = 0; i < septets.length; i++) {
      int septet = septets[i];
      if (septet < 0) {
        throw new IllegalArgumentException(
            "octet %d is 0x%02X, above the 7-bit range".formatted(i, septet & 0xFF));
      }
      if (septet != ESCAPE) {
        text.append(BASIC_BY_SEPTET[septet]);
      } else if (i + 1 == septets.length) {
        // TS 23.038 6.2.1.1: a receiver that cannot use an escape shows it as a space.
        text.append(' ');
      } else {
        int code = septets[++i];
        if (code < 0) {
          throw new IllegalArgumentException(
              "octet %d is 0x%02X, above the 7-bit range".formatted(i, code & 0xFF));
        }
        char extension = EXTENSION_BY_SEPTET[code];
        if (extension != 0) {
          text.append(extension);
        } else if (code == ESCAPE) {
          // A second escape would lead to a further table that TS 23.038 leaves undefined.
          text.append(' ');
        } else {
          // TS 23.038 6.2.1.1: an escape to an undefined code shows the basic-table character.
          text.append(BASIC_BY_SEPTET[code]);
        }
      }
    }
    return text.toString();
  }
}
