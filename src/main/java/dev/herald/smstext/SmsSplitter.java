package dev.herald.smstext;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy split into parts that never end inside an escape sequence or a surrogate pair. Counting
 * and splitting walk the same boundaries, so the count shown is the count sent.
 */
final class SmsSplitter {

  private SmsSplitter() {}

  static int countParts(String text, SmsEncoding encoding, int units) {
    if (text.isEmpty()) {
      return 0;
    }
    if (units <= encoding.unitsInSinglePart()) {
      return 1;
    }
    int parts = 0;
    for (int start = 0; start < text.length(); start = end(nextPart(text, start, encoding))) {
      parts++;
    }
    return parts;
  }

  static List<SmsPart> split(String text, SmsEncoding encoding, int units) {
    if (text.isEmpty()) {
      return List.of();
    }
    if (units <= encoding.unitsInSinglePart()) {
      return List.of(new SmsPart(text, encoding, units));
    }
    List<SmsPart> parts = new ArrayList<>(units / encoding.unitsPerConcatenatedPart() + 1);
    int start = 0;
    while (start < text.length()) {
      long part = nextPart(text, start, encoding);
      int end = end(part);
      parts.add(new SmsPart(text.substring(start, end), encoding, units(part)));
      start = end;
    }
    return parts;
  }

  /** The end index and units of the concatenated part starting at start, packed in one long. */
  private static long nextPart(String text, int start, SmsEncoding encoding) {
    int limit = encoding.unitsPerConcatenatedPart();
    int length = text.length();
    int units = 0;
    int i = start;
    if (encoding == SmsEncoding.GSM_7) {
      while (i < length) {
        int cost = Gsm7Alphabet.septets(text.charAt(i));
        if (units + cost > limit) {
          break;
        }
        units += cost;
        i++;
      }
    } else {
      while (i < length) {
        int cost =
            Character.isHighSurrogate(text.charAt(i))
                    && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))
                ? 2
                : 1;
        if (units + cost > limit) {
          break;
        }
        units += cost;
        i += cost;
      }
    }
    return (long) i << 32 | units;
  }

  private static int end(long part) {
    return (int) (part >>> 32);
  }

  private static int units(long part) {
    return (int) part;
  }
}
