package dev.herald.notification;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.Text;
import java.util.List;
import java.util.Optional;

/**
 * What an SMS text costs for a company and whether it may be sent (F2 to F4): counts of the text as
 * it would go out (smart-encoded when that was applied), and the company's segment cap.
 *
 * <p>Plain values only, so that modules using this one need no dependency on {@code smstext}.
 *
 * @param text the text that would be sent: smart-encoded when {@code smartEncodingApplied}
 * @param encoding {@code GSM_7} or {@code UCS_2}
 * @param characters code points, as a person counts them
 * @param units encoded length: septets (escapes count twice) for GSM-7, UTF-16 units for UCS-2
 * @param segments parts the splitter makes; 0 for an empty text
 * @param unicodeCharacters distinct characters of {@code text} that force UCS-2, in order
 * @param smartEncodingHelps smart encoding makes the text GSM-7 or saves segments
 * @param smartEncodingApplied {@code text} is the smart-encoded form of what was written
 * @param segmentCap the most segments the company allows one message
 */
public record SmsPreview(
    String text,
    String encoding,
    int characters,
    int units,
    int segments,
    List<String> unicodeCharacters,
    boolean smartEncodingHelps,
    boolean smartEncodingApplied,
    int segmentCap) {

  public SmsPreview {
    unicodeCharacters = List.copyOf(unicodeCharacters);
  }

  public boolean withinCap() {
    return segments <= segmentCap;
  }

  /** The text is blank: nothing worth sending. */
  public boolean blank() {
    return text.isBlank();
  }

  /** Why this text may not be sent, as a problem at {@code field}; empty when it may be sent. */
  public Optional<FieldProblem> problem(String field) {
    if (blank()) {
      return Optional.of(FieldProblem.of(field, "sms.text.empty"));
    }
    // A lone surrogate would be stored as '?', and the count would no longer be the count sent.
    Optional<String> unfit = Text.problem(text, true);
    if (unfit.isPresent()) {
      return Optional.of(FieldProblem.of(field, unfit.get()));
    }
    if (!withinCap()) {
      return Optional.of(FieldProblem.of(field, "sms.text.overCap", segments, segmentCap));
    }
    return Optional.empty();
  }
}
