package dev.herald.smstext;

import static dev.herald.smstext.SmsTextFixtures.LOOK_ALIKES;
import static dev.herald.smstext.SmsTextFixtures.septetsOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmartEncodingTests {

  @Test
  void every_look_alike_the_issue_names_gets_its_gsm_7_stand_in() {
    for (String[] lookAlike : LOOK_ALIKES) {
      assertThat(SmsTexts.smartEncode("a" + lookAlike[0] + "b"))
          .as("U+%04X", (int) lookAlike[0].charAt(0))
          .isEqualTo("a" + lookAlike[1] + "b");
    }
  }

  @Test
  void every_character_smart_encoding_changes_is_outside_gsm_7_no_letter_or_digit_and_ends_gsm_7() {
    int changed = 0;
    for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
      String text = String.valueOf((char) c);
      String encoded = SmsTexts.smartEncode(text);
      if (encoded.equals(text)) {
        continue;
      }
      changed++;
      assertThat(Character.isLetterOrDigit(c)).as("U+%04X is a letter or digit", c).isFalse();
      assertThat(septetsOf((char) c)).as("U+%04X is already GSM-7", c).isZero();
      for (char replacement : encoded.toCharArray()) {
        assertThat(septetsOf(replacement)).as("stand-in for U+%04X", c).isPositive();
      }
    }
    assertThat(changed).isGreaterThanOrEqualTo(LOOK_ALIKES.size());
  }

  @Test
  void curly_quotes_dashes_and_ellipsis_turn_a_message_gsm_7() {
    String text = "It\u2019s \u201Cfine\u201D \u2013 really\u2026";

    SmsAnalysis plain = SmsTexts.analyze(text, false);
    SmsAnalysis smart = SmsTexts.analyze(text, true);

    assertThat(plain.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(plain.text()).isEqualTo(text);
    assertThat(plain.unicodeCharacters())
        .containsExactly("\u2019", "\u201C", "\u201D", "\u2013", "\u2026");
    assertThat(plain.smartEncodingHelps()).isTrue();
    assertThat(smart.encoding()).isEqualTo(SmsEncoding.GSM_7);
    assertThat(smart.text()).isEqualTo("It's \"fine\" - really...");
    assertThat(smart.characters()).isEqualTo(23);
    assertThat(smart.unicodeCharacters()).isEmpty();
    assertThat(smart.smartEncodingHelps()).isTrue();
  }

  @Test
  void guillemets_become_straight_double_quotes() {
    SmsAnalysis analysis = SmsTexts.analyze("Il a dit \u00ABoui\u00BB", true);

    assertThat(analysis.text()).isEqualTo("Il a dit \"oui\"");
    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.GSM_7);
  }

  @Test
  void an_accented_letter_outside_gsm_7_keeps_the_message_ucs_2_and_the_text_unchanged() {
    String text = "Le\u00E7on d\u2019hier \u2013 f\u00EAte";

    SmsAnalysis smart = SmsTexts.analyze(text, true);

    assertThat(SmsTexts.smartEncode(text)).isEqualTo("Le\u00E7on d'hier - f\u00EAte");
    assertThat(smart.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(smart.text()).isEqualTo(text);
    assertThat(smart.smartEncodingHelps()).isFalse();
    assertThat(smart.unicodeCharacters()).containsExactly("\u00E7", "\u2019", "\u2013", "\u00EA");
  }

  @Test
  void smart_encoding_that_would_cost_more_segments_is_not_applied() {
    // 70 ellipses are one UCS-2 segment; as 210 dots they would be two GSM-7 segments.
    String text = "\u2026".repeat(70);

    SmsAnalysis smart = SmsTexts.analyze(text, true);

    assertThat(smart.smartEncodingHelps()).isFalse();
    assertThat(smart.text()).isEqualTo(text);
    assertThat(smart.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(smart.segments()).isEqualTo(1);
  }

  @Test
  void smart_encoding_that_saves_segments_is_applied_even_when_the_text_stays_ucs_2() {
    String text = "f\u00EAte" + "\u200B".repeat(70);

    SmsAnalysis plain = SmsTexts.analyze(text, false);
    SmsAnalysis smart = SmsTexts.analyze(text, true);

    assertThat(plain.segments()).isEqualTo(2);
    assertThat(plain.smartEncodingHelps()).isTrue();
    assertThat(smart.text()).isEqualTo("f\u00EAte");
    assertThat(smart.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(smart.segments()).isEqualTo(1);
  }

  @Test
  void smart_encoding_is_not_applied_when_the_option_is_off() {
    String text = "\u201CHi\u201D";

    SmsAnalysis plain = SmsTexts.analyze(text, false);

    assertThat(plain.text()).isEqualTo(text);
    assertThat(plain.encoding()).isEqualTo(SmsEncoding.UCS_2);
  }

  @Test
  void a_gsm_7_text_gains_nothing_from_smart_encoding() {
    SmsAnalysis analysis = SmsTexts.analyze("Plain text, nothing to replace.", true);

    assertThat(analysis.smartEncodingHelps()).isFalse();
    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.GSM_7);
  }

  @Test
  void letters_that_look_like_punctuation_or_are_fullwidth_are_left_alone() {
    // Modifier letter apostrophe, okina, fullwidth A and 1, ligature fi, oe, a circumflex.
    String text = "\u02BC\u02BB\uFF21\uFF11\uFB01\u0153\u00E2";

    assertThat(SmsTexts.smartEncode(text)).isSameAs(text);
  }

  @Test
  void joiners_inside_emoji_sequences_are_kept() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";

    assertThat(SmsTexts.smartEncode(family)).isEqualTo(family);
  }

  @Test
  void a_text_with_nothing_to_replace_comes_back_as_the_same_instance() {
    String text = "\u00E7a va \uD83D\uDE00";

    assertThat(SmsTexts.smartEncode(text)).isSameAs(text);
  }
}
