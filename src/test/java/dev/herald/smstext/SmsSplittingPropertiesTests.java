package dev.herald.smstext;

import static dev.herald.smstext.SmsTextFixtures.BASIC_TABLE;
import static dev.herald.smstext.SmsTextFixtures.ESCAPE;
import static dev.herald.smstext.SmsTextFixtures.EXTENSION_CHARACTERS;
import static dev.herald.smstext.SmsTextFixtures.LOOK_ALIKES;
import static dev.herald.smstext.SmsTextFixtures.septetsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class SmsSplittingPropertiesTests {

  // ---- generators: token pools mixed so that part boundaries often fall on escapes and pairs

  private static Arbitrary<String> gsmBasic() {
    List<String> characters = new ArrayList<>();
    for (int septet = 0; septet < BASIC_TABLE.length; septet++) {
      if (septet != ESCAPE) {
        characters.add(String.valueOf(BASIC_TABLE[septet]));
      }
    }
    return Arbitraries.of(characters);
  }

  private static Arbitrary<String> gsmExtension() {
    List<String> characters = new ArrayList<>();
    for (char c : EXTENSION_CHARACTERS) {
      characters.add(String.valueOf(c));
    }
    return Arbitraries.of(characters);
  }

  private static Arbitrary<String> accentedOutsideGsm() {
    return Arbitraries.of("ç", "ê", "ô", "À", "â", "î", "ï", "û", "œ", "ł");
  }

  private static Arbitrary<String> astral() {
    return Arbitraries.oneOf(
        Arbitraries.of("\uD83D\uDE00", "\uD83D\uDC4D", "\uD83C\uDF89", "\uD834\uDD1E"),
        Arbitraries.integers().between(0x1F300, 0x1FAFF).map(Character::toString),
        Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString));
  }

  private static Arbitrary<String> loneSurrogates() {
    return Arbitraries.of("\uD83D", "\uDE00");
  }

  private static Arbitrary<String> lookAlikes() {
    return Arbitraries.of(LOOK_ALIKES.stream().map(pair -> pair[0]).toList());
  }

  private static Arbitrary<String> textOf(List<Tuple.Tuple2<Integer, Arbitrary<String>>> pools) {
    return Arbitraries.frequencyOf(pools)
        .list()
        .ofMaxSize(400)
        .map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        textOf(List.of(Tuple.of(8, gsmBasic()), Tuple.of(2, gsmExtension()))),
        textOf(
            List.of(
                Tuple.of(30, gsmBasic()), Tuple.of(8, gsmExtension()), Tuple.of(1, lookAlikes()))),
        textOf(
            List.of(
                Tuple.of(40, gsmBasic()),
                Tuple.of(5, gsmExtension()),
                Tuple.of(1, accentedOutsideGsm()),
                Tuple.of(1, astral()),
                Tuple.of(2, lookAlikes()))),
        textOf(
            List.of(
                Tuple.of(4, gsmBasic()),
                Tuple.of(4, astral()),
                Tuple.of(2, accentedOutsideGsm()),
                Tuple.of(1, loneSurrogates()))),
        Arbitraries.strings().all().ofMaxLength(300));
  }

  @Provide
  Arbitrary<String> lookAlikeTexts() {
    return lookAlikes().list().ofMaxSize(200).map(tokens -> String.join("", tokens));
  }

  // ---- properties

  @Property
  void joining_the_parts_gives_back_the_text_sent(
      @ForAll("texts") String text, @ForAll boolean smartEncoding) {
    SmsAnalysis analysis = SmsTexts.analyze(text, smartEncoding);

    String joined = String.join("", analysis.parts().stream().map(SmsPart::text).toList());
    assertThat(joined).isEqualTo(analysis.text());
    if (smartEncoding && analysis.smartEncodingHelps()) {
      assertThat(analysis.text()).isEqualTo(SmsTexts.smartEncode(text));
    } else {
      assertThat(analysis.text()).isEqualTo(text);
    }
  }

  @Property
  void no_part_is_empty_or_over_its_limit(
      @ForAll("texts") String text, @ForAll boolean smartEncoding) {
    SmsAnalysis analysis = SmsTexts.analyze(text, smartEncoding);
    SmsEncoding encoding = analysis.encoding();
    int limit =
        analysis.segments() == 1
            ? encoding.unitsInSinglePart()
            : encoding.unitsPerConcatenatedPart();

    for (SmsPart part : analysis.parts()) {
      assertThat(part.text()).isNotEmpty();
      assertThat(part.encoding()).isEqualTo(encoding);
      assertThat(part.units()).isEqualTo(unitsOf(part.text(), encoding)).isLessThanOrEqualTo(limit);
    }
    assertThat(analysis.segments()).isEqualTo(analysis.parts().size());
    assertThat(analysis.segments() == 0).isEqualTo(analysis.text().isEmpty());
  }

  @Property
  void every_concatenated_part_but_the_last_is_full_up_to_the_next_character(
      @ForAll("texts") String text, @ForAll boolean smartEncoding) {
    SmsAnalysis analysis = SmsTexts.analyze(text, smartEncoding);
    List<SmsPart> parts = analysis.parts();
    int limit = analysis.encoding().unitsPerConcatenatedPart();

    // Filling each part as far as the next whole character allows gives the fewest parts, so the
    // count shown is the least that can be sent.
    for (int i = 0; i + 1 < parts.size(); i++) {
      String next = parts.get(i + 1).text();
      String firstCharacter = next.substring(0, Character.charCount(next.codePointAt(0)));
      if (analysis.encoding() == SmsEncoding.UCS_2 && firstCharacter.length() == 1) {
        // A lone low surrogate after a part ending in a high one would have paired up with it.
        assertThat(
                Character.isHighSurrogate(lastChar(parts.get(i).text()))
                    && Character.isLowSurrogate(firstCharacter.charAt(0)))
            .as("a surrogate pair split between parts %d and %d", i + 1, i + 2)
            .isFalse();
      }
      assertThat(parts.get(i).units() + unitsOf(firstCharacter, analysis.encoding()))
          .isGreaterThan(limit);
    }
  }

  @Property
  void the_segment_count_is_never_below_the_units_divided_by_the_part_size(
      @ForAll("texts") String text) {
    SmsAnalysis analysis = SmsTexts.analyze(text, false);
    SmsEncoding encoding = analysis.encoding();

    if (analysis.units() > encoding.unitsInSinglePart()) {
      int divided = Math.ceilDiv(analysis.units(), encoding.unitsPerConcatenatedPart());
      assertThat(analysis.segments()).isGreaterThanOrEqualTo(divided);
    } else {
      assertThat(analysis.segments()).isEqualTo(text.isEmpty() ? 0 : 1);
    }
  }

  @Property
  void every_payload_decodes_back_to_its_part_text(
      @ForAll("texts") String text, @ForAll boolean smartEncoding) {
    SmsAnalysis analysis = SmsTexts.analyze(text, smartEncoding);

    for (SmsPart part : analysis.parts()) {
      byte[] payload = part.payload();
      int octetsPerUnit = part.encoding() == SmsEncoding.GSM_7 ? 1 : 2;
      assertThat(payload).hasSize(part.units() * octetsPerUnit);
      assertThat(SmsTexts.decode(payload, part.encoding())).isEqualTo(part.text());
    }
  }

  @Property
  void characters_are_code_points_and_the_unicode_ones_are_exactly_those_outside_gsm_7(
      @ForAll("texts") String text, @ForAll boolean smartEncoding) {
    SmsAnalysis analysis = SmsTexts.analyze(text, smartEncoding);
    String sent = analysis.text();

    assertThat(analysis.characters()).isEqualTo((int) sent.codePoints().count());
    List<String> outsideGsm =
        sent.codePoints()
            .filter(c -> c > Character.MAX_VALUE || septetsOf((char) c) == 0)
            .distinct()
            .mapToObj(Character::toString)
            .toList();
    assertThat(analysis.unicodeCharacters()).containsExactlyElementsOf(outsideGsm);
    assertThat(analysis.encoding())
        .isEqualTo(outsideGsm.isEmpty() ? SmsEncoding.GSM_7 : SmsEncoding.UCS_2);
  }

  @Property
  void smart_encoding_helps_exactly_when_it_saves_segments_or_turns_gsm_7_at_no_cost(
      @ForAll("texts") String text) {
    SmsAnalysis plain = SmsTexts.analyze(text, false);
    SmsAnalysis smartTextAlone = SmsTexts.analyze(SmsTexts.smartEncode(text), false);
    SmsAnalysis smart = SmsTexts.analyze(text, true);

    boolean expected =
        smartTextAlone.segments() < plain.segments()
            || (smartTextAlone.segments() == plain.segments()
                && plain.encoding() == SmsEncoding.UCS_2
                && smartTextAlone.encoding() == SmsEncoding.GSM_7);
    assertThat(plain.smartEncodingHelps()).isEqualTo(expected);
    assertThat(smart.smartEncodingHelps()).isEqualTo(expected);
    assertThat(smart.segments()).isLessThanOrEqualTo(plain.segments());
  }

  @Property
  void smart_encoding_keeps_every_letter_and_digit_in_order(@ForAll("texts") String text) {
    String encoded = SmsTexts.smartEncode(text);

    assertThat(lettersAndDigitsOf(encoded)).isEqualTo(lettersAndDigitsOf(text));
  }

  @Property
  void smart_encoding_keeps_every_letter_and_digit_of_any_string(@ForAll String text) {
    assertThat(lettersAndDigitsOf(SmsTexts.smartEncode(text))).isEqualTo(lettersAndDigitsOf(text));
  }

  @Property
  void a_text_of_look_alikes_only_is_gsm_7_once_smart_encoded(
      @ForAll("lookAlikeTexts") String text) {
    SmsAnalysis analysis = SmsTexts.analyze(SmsTexts.smartEncode(text), false);

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.GSM_7);
  }

  // ---- independent reference computations

  private static int unitsOf(String text, SmsEncoding encoding) {
    if (encoding == SmsEncoding.UCS_2) {
      return text.length();
    }
    int septets = 0;
    for (char c : text.toCharArray()) {
      septets += septetsOf(c);
    }
    return septets;
  }

  private static char lastChar(String text) {
    return text.charAt(text.length() - 1);
  }

  private static List<Integer> lettersAndDigitsOf(String text) {
    return text.codePoints().filter(Character::isLetterOrDigit).boxed().toList();
  }
}
