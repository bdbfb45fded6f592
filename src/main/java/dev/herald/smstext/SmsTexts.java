package dev.herald.smstext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Analyses, smart-encodes and decodes SMS texts: pure functions, cheap enough for a keystroke. */
public final class SmsTexts {

  private static final int NOT_GSM_7 = -1;

  private SmsTexts() {}

  /**
   * Encoding, counts and parts of the text; with smartEncoding, of its smart-encoded form when that
   * becomes GSM-7 without more segments or saves segments, else of the text unchanged.
   */
  public static SmsAnalysis analyze(String text, boolean smartEncoding) {
    Objects.requireNonNull(text, "SMS text must not be null");
    int septets = gsmSeptets(text);
    if (septets != NOT_GSM_7) {
      // Every smart-encoding key is outside GSM-7, so there is nothing it could improve.
      return analysisOf(text, SmsEncoding.GSM_7, septets, false);
    }
    boolean smartEncodingHelps = false;
    String smartText = SmartEncoding.apply(text);
    if (smartText != text) {
      int smartSeptets = gsmSeptets(smartText);
      SmsEncoding smartTextEncoding =
          smartSeptets != NOT_GSM_7 ? SmsEncoding.GSM_7 : SmsEncoding.UCS_2;
      int smartUnits = smartSeptets != NOT_GSM_7 ? smartSeptets : smartText.length();
      int smartSegments = SmsSplitter.countParts(smartText, smartTextEncoding, smartUnits);
      int segments = SmsSplitter.countParts(text, SmsEncoding.UCS_2, text.length());
      // "…" becomes "...": a long UCS-2 text could turn GSM-7 yet cost more, which is no help.
      smartEncodingHelps =
          smartSegments < segments
              || (smartSegments == segments && smartTextEncoding == SmsEncoding.GSM_7);
      if (smartEncoding && smartEncodingHelps) {
        return analysisOf(smartText, smartTextEncoding, smartUnits, true);
      }
    }
    return analysisOf(text, SmsEncoding.UCS_2, text.length(), smartEncodingHelps);
  }

  /** The text with look-alike punctuation and spaces made GSM-7; letters and digits stay. */
  public static String smartEncode(String text) {
    Objects.requireNonNull(text, "SMS text must not be null");
    return SmartEncoding.apply(text);
  }

  /** The text a part's payload carries, the inverse of {@link SmsPart#payload()}. */
  public static String decode(byte[] payload, SmsEncoding encoding) {
    Objects.requireNonNull(payload, "payload must not be null");
    Objects.requireNonNull(encoding, "encoding must not be null");
    if (encoding == SmsEncoding.GSM_7) {
      return Gsm7Alphabet.decode(payload);
    }
    if (payload.length % 2 != 0) {
      throw new IllegalArgumentException(
          "a UCS-2 payload has an even number of octets but this has " + payload.length);
    }
    char[] units = new char[payload.length / 2];
    for (int i = 0; i < units.length; i++) {
      units[i] = (char) ((payload[2 * i] & 0xFF) << 8 | payload[2 * i + 1] & 0xFF);
    }
    return new String(units);
  }

  private static SmsAnalysis analysisOf(
      String text, SmsEncoding encoding, int units, boolean smartEncodingHelps) {
    return new SmsAnalysis(
        text,
        encoding,
        text.codePointCount(0, text.length()),
        encoding == SmsEncoding.UCS_2 ? charactersForcingUcs2(text) : List.of(),
        smartEncodingHelps,
        SmsSplitter.split(text, encoding, units));
  }

  private static int gsmSeptets(String text) {
    int septets = 0;
    for (int i = 0, length = text.length(); i < length; i++) {
      int cost = Gsm7Alphabet.septets(text.charAt(i));
      if (cost == 0) {
        return NOT_GSM_7;
      }
      septets += cost;
    }
    return septets;
  }

  /** Distinct code points outside GSM-7, in order of first appearance. */
  private static List<String> charactersForcingUcs2(String text) {
    List<String> characters = new ArrayList<>();
    // Linear search: a text is a few hundred units and has few distinct non-GSM characters, and
    // this avoids boxing every code point into a set.
    int[] seen = new int[8];
    int distinct = 0;
    for (int i = 0, length = text.length(); i < length; ) {
      int codePoint = text.codePointAt(i);
      i += Character.charCount(codePoint);
      if (codePoint <= Character.MAX_VALUE && Gsm7Alphabet.septets((char) codePoint) > 0) {
        continue;
      }
      if (indexOf(seen, distinct, codePoint) < 0) {
        if (distinct == seen.length) {
          seen = Arrays.copyOf(seen, distinct * 2);
        }
        seen[distinct++] = codePoint;
        characters.add(Character.toString(codePoint));
      }
    }
    return characters;
  }

  private static int indexOf(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
