package dev.herald.smstext;

import java.util.List;
import java.util.Objects;

/**
 * What an SMS text costs: the text that would be sent, its encoding, the code points a person
 * counts, the characters forcing UCS-2, whether smart encoding helps, and the parts it splits into.
 */
public record SmsAnalysis(
    String text,
    SmsEncoding encoding,
    int characters,
    List<String> unicodeCharacters,
    boolean smartEncodingHelps,
    List<SmsPart> parts) {

  public SmsAnalysis {
    Objects.requireNonNull(text, "text must not be null");
    Objects.requireNonNull(encoding, "encoding must not be null");
    unicodeCharacters = List.copyOf(unicodeCharacters);
    parts = List.copyOf(parts);
  }

  /** Segments billed and sent: the number of parts the splitter made, 0 for an empty text. */
  public int segments() {
    return parts.size();
  }

  /** Encoded length: septets (escapes included) for GSM-7, UTF-16 units for UCS-2. */
  public int units() {
    int units = 0;
    for (SmsPart part : parts) {
      units += part.units();
    }
    return units;
  }
}
