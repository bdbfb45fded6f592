package dev.herald.smstext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmsSplittingTests {

  private static final String EMOJI = "\uD83D\uDE00"; // 😀, one character, two UTF-16 units

  private static SmsAnalysis analyze(String text) {
    return SmsTexts.analyze(text, false);
  }

  private static List<String> textsOf(SmsAnalysis analysis) {
    return analysis.parts().stream().map(SmsPart::text).toList();
  }

  private static List<Integer> unitsOf(SmsAnalysis analysis) {
    return analysis.parts().stream().map(SmsPart::units).toList();
  }

  @Test
  void an_empty_text_is_gsm_7_with_no_segment_to_send() {
    SmsAnalysis analysis = analyze("");

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.GSM_7);
    assertThat(analysis.characters()).isZero();
    assertThat(analysis.units()).isZero();
    assertThat(analysis.segments()).isZero();
    assertThat(analysis.parts()).isEmpty();
  }

  @Test
  void a_null_text_is_refused_with_a_message() {
    assertThatThrownBy(() -> SmsTexts.analyze(null, false))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("SMS text must not be null");
    assertThatThrownBy(() -> SmsTexts.smartEncode(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("SMS text must not be null");
  }

  @Test
  void one_hundred_and_sixty_septets_fit_one_segment() {
    SmsAnalysis analysis = analyze("a".repeat(160));

    assertThat(analysis.segments()).isEqualTo(1);
    assertThat(analysis.units()).isEqualTo(160);
    assertThat(analysis.parts().getFirst().text()).isEqualTo("a".repeat(160));
  }

  @Test
  void one_hundred_and_sixty_one_septets_split_into_153_and_8() {
    SmsAnalysis analysis = analyze("a".repeat(161));

    assertThat(analysis.segments()).isEqualTo(2);
    assertThat(unitsOf(analysis)).containsExactly(153, 8);
  }

  @Test
  void an_escape_character_counts_twice_towards_the_single_segment_limit() {
    assertThat(analyze("a".repeat(158) + "€").segments()).isEqualTo(1);
    assertThat(analyze("a".repeat(159) + "€").segments()).isEqualTo(2);
    assertThat(analyze("a".repeat(159) + "€").units()).isEqualTo(161);
    assertThat(analyze("a".repeat(159) + "€").characters()).isEqualTo(160);
  }

  @Test
  void an_escape_character_that_fits_exactly_ends_the_first_part() {
    SmsAnalysis analysis = analyze("a".repeat(151) + "€" + "b".repeat(10));

    assertThat(textsOf(analysis)).containsExactly("a".repeat(151) + "€", "b".repeat(10));
    assertThat(unitsOf(analysis)).containsExactly(153, 10);
  }

  @Test
  void an_escape_character_at_septet_153_moves_whole_to_the_next_part() {
    SmsAnalysis analysis = analyze("a".repeat(152) + "€" + "b".repeat(10));

    assertThat(textsOf(analysis)).containsExactly("a".repeat(152), "€" + "b".repeat(10));
    assertThat(unitsOf(analysis)).containsExactly(152, 12);
    byte[] secondPayload = analysis.parts().get(1).payload();
    assertThat(secondPayload[0]).isEqualTo((byte) 0x1B);
    assertThat(secondPayload[1]).isEqualTo((byte) 0x65);
  }

  @Test
  void the_segment_count_is_the_parts_made_not_the_septets_divided_by_153() {
    // 306 septets divide into 2 parts of 153, but the € cannot be cut, so 3 parts go out.
    SmsAnalysis analysis = analyze("a".repeat(152) + "€" + "a".repeat(152));

    assertThat(analysis.units()).isEqualTo(306);
    assertThat(analysis.segments()).isEqualTo(3);
    assertThat(unitsOf(analysis)).containsExactly(152, 153, 1);
  }

  @Test
  void seventy_ucs_2_units_fit_one_segment_and_seventy_one_split_into_67_and_4() {
    assertThat(unitsOf(analyze("ê".repeat(70)))).containsExactly(70);
    assertThat(unitsOf(analyze("ê".repeat(71)))).containsExactly(67, 4);
  }

  @Test
  void thirty_five_emoji_are_seventy_units_in_one_segment_and_one_more_letter_splits_them() {
    SmsAnalysis single = analyze(EMOJI.repeat(35));
    SmsAnalysis split = analyze(EMOJI.repeat(35) + "a");

    assertThat(single.characters()).isEqualTo(35);
    assertThat(single.units()).isEqualTo(70);
    assertThat(single.segments()).isEqualTo(1);
    // 33 emoji are 66 units; a 34th would straddle unit 67, so it opens the second part.
    assertThat(textsOf(split)).containsExactly(EMOJI.repeat(33), EMOJI.repeat(2) + "a");
    assertThat(unitsOf(split)).containsExactly(66, 5);
  }

  @Test
  void an_emoji_across_unit_67_moves_whole_to_the_next_part() {
    SmsAnalysis analysis = analyze("ê".repeat(66) + EMOJI + "ê".repeat(10));

    assertThat(textsOf(analysis)).containsExactly("ê".repeat(66), EMOJI + "ê".repeat(10));
    assertThat(unitsOf(analysis)).containsExactly(66, 12);
  }

  @Test
  void an_emoji_that_fits_exactly_ends_the_first_part() {
    SmsAnalysis analysis = analyze("ê".repeat(65) + EMOJI + "ê".repeat(10));

    assertThat(textsOf(analysis)).containsExactly("ê".repeat(65) + EMOJI, "ê".repeat(10));
    assertThat(unitsOf(analysis)).containsExactly(67, 10);
  }

  @Test
  void the_ucs_2_segment_count_is_the_parts_made_not_the_units_divided_by_67() {
    // 67 emoji are 134 units, 2 x 67, but each part holds only 33 whole emoji.
    SmsAnalysis analysis = analyze(EMOJI.repeat(67));

    assertThat(analysis.units()).isEqualTo(134);
    assertThat(analysis.segments()).isEqualTo(3);
    assertThat(unitsOf(analysis)).containsExactly(66, 66, 2);
  }

  @Test
  void danish_letters_are_all_gsm_7() {
    String text = "Hej Søren! Din tid hos tandlægen er på fredag kl. 14:30. Mvh Åse, Æble & Ørsted";
    SmsAnalysis analysis = analyze(text);

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.GSM_7);
    assertThat(analysis.characters()).isEqualTo(text.length());
    assertThat(analysis.units()).isEqualTo(text.length());
    assertThat(analysis.segments()).isEqualTo(1);
    assertThat(analysis.unicodeCharacters()).isEmpty();
  }

  @Test
  void french_e_acute_e_grave_a_grave_and_c_cedilla_capital_are_gsm_7() {
    SmsAnalysis analysis = analyze("Ça y est : très bien, votre rendez-vous est confirmé à 10h.");

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.GSM_7);
  }

  @Test
  void french_c_cedilla_and_e_circumflex_force_ucs_2_and_are_named() {
    SmsAnalysis analysis = analyze("Leçon de français à la fête, leçon bien reçue");

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(analysis.unicodeCharacters()).containsExactly("ç", "ê");
    assertThat(analysis.units()).isEqualTo(analysis.text().length());
  }

  @Test
  void a_capital_a_grave_is_not_gsm_7_although_the_small_one_is() {
    assertThat(analyze("à").encoding()).isEqualTo(SmsEncoding.GSM_7);
    assertThat(analyze("À bientôt").unicodeCharacters()).containsExactly("À", "ô");
  }

  @Test
  void an_emoji_is_one_character_two_units_and_one_entry_among_the_unicode_characters() {
    SmsAnalysis analysis = analyze("See you " + EMOJI + " " + EMOJI + " ç");

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(analysis.characters()).isEqualTo(13);
    assertThat(analysis.units()).isEqualTo(15);
    assertThat(analysis.unicodeCharacters()).containsExactly(EMOJI, "ç");
  }

  @Test
  void a_lone_surrogate_is_sent_as_it_is_and_counted_as_one_character() {
    SmsAnalysis analysis = analyze("a\uD83D");

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(analysis.characters()).isEqualTo(2);
    assertThat(analysis.unicodeCharacters()).containsExactly("\uD83D");
    assertThat(analysis.parts().getFirst().payload()).containsExactly(0x00, 0x61, 0xD8, 0x3D);
  }

  @Test
  void a_gsm_7_payload_is_unpacked_septets_with_escapes() {
    SmsPart part = analyze("Hi €[Ø]@").parts().getFirst();

    assertThat(part.payload())
        .containsExactly(0x48, 0x69, 0x20, 0x1B, 0x65, 0x1B, 0x3C, 0x0B, 0x1B, 0x3E, 0x00);
    assertThat(part.units()).isEqualTo(11);
  }

  @Test
  void a_ucs_2_payload_is_utf_16_big_endian() {
    SmsPart part = analyze("ç" + EMOJI).parts().getFirst();

    assertThat(part.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(part.payload()).containsExactly(0x00, 0xE7, 0xD8, 0x3D, 0xDE, 0x00);
  }

  @Test
  void each_payload_call_returns_a_fresh_array() {
    SmsPart part = analyze("Hello").parts().getFirst();
    byte[] first = part.payload();
    first[0] = 0;

    assertThat(part.payload()[0]).isEqualTo((byte) 'H');
  }

  @Test
  void packed_octets_give_the_on_air_size() {
    assertThat(analyze("a".repeat(160)).parts().getFirst().packedOctets()).isEqualTo(140);
    assertThat(analyze("a".repeat(161)).parts().get(0).packedOctets()).isEqualTo(134);
    assertThat(analyze("a".repeat(161)).parts().get(1).packedOctets()).isEqualTo(7);
    assertThat(analyze("ê".repeat(70)).parts().getFirst().packedOctets()).isEqualTo(140);
  }

  @Test
  void the_concatenation_header_is_05_00_03_reference_total_sequence() {
    assertThat(SmsPart.concatenationHeader(0xA7, 3, 2))
        .containsExactly(0x05, 0x00, 0x03, 0xA7, 0x03, 0x02);
    assertThat(SmsPart.concatenationHeader(0, 255, 255))
        .containsExactly(0x05, 0x00, 0x03, 0x00, 0xFF, 0xFF);
  }

  @Test
  void a_concatenation_header_outside_the_8_bit_scheme_is_refused() {
    assertThatThrownBy(() -> SmsPart.concatenationHeader(256, 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference");
    assertThatThrownBy(() -> SmsPart.concatenationHeader(1, 256, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total");
    assertThatThrownBy(() -> SmsPart.concatenationHeader(1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequence");
    assertThatThrownBy(() -> SmsPart.concatenationHeader(1, 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequence");
  }

  @Test
  void the_analysis_lists_cannot_be_changed_by_a_caller() {
    SmsAnalysis analysis = analyze("ç".repeat(100));

    assertThatThrownBy(() -> analysis.parts().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> analysis.unicodeCharacters().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
