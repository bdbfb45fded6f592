package dev.herald.smstext;

import static dev.herald.smstext.SmsTextFixtures.BASIC_TABLE;
import static dev.herald.smstext.SmsTextFixtures.ESCAPE;
import static dev.herald.smstext.SmsTextFixtures.EXTENSION_CHARACTERS;
import static dev.herald.smstext.SmsTextFixtures.EXTENSION_SEPTETS;
import static dev.herald.smstext.SmsTextFixtures.septetsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Gsm7AlphabetTests {

  @Test
  void every_basic_table_character_encodes_to_its_own_septet_and_decodes_back() {
    for (int septet = 0; septet < BASIC_TABLE.length; septet++) {
      if (septet == ESCAPE) {
        continue;
      }
      String text = String.valueOf(BASIC_TABLE[septet]);
      SmsAnalysis analysis = SmsTexts.analyze(text, false);

      assertThat(analysis.encoding()).as("septet 0x%02X", septet).isEqualTo(SmsEncoding.GSM_7);
      assertThat(analysis.units()).as("septet 0x%02X", septet).isEqualTo(1);
      byte[] payload = analysis.parts().getFirst().payload();
      assertThat(payload).as("septet 0x%02X", septet).containsExactly(septet);
      assertThat(SmsTexts.decode(payload, SmsEncoding.GSM_7)).isEqualTo(text);
    }
  }

  @Test
  void every_extension_character_costs_two_septets_escape_then_its_code() {
    for (int i = 0; i < EXTENSION_CHARACTERS.length; i++) {
      String text = String.valueOf(EXTENSION_CHARACTERS[i]);
      SmsAnalysis analysis = SmsTexts.analyze(text, false);

      assertThat(analysis.encoding()).as(text).isEqualTo(SmsEncoding.GSM_7);
      assertThat(analysis.characters()).as(text).isEqualTo(1);
      assertThat(analysis.units()).as(text).isEqualTo(2);
      byte[] payload = analysis.parts().getFirst().payload();
      assertThat(payload).as(text).containsExactly(ESCAPE, EXTENSION_SEPTETS[i]);
      assertThat(SmsTexts.decode(payload, SmsEncoding.GSM_7)).isEqualTo(text);
    }
  }

  @Test
  void no_character_outside_the_two_tables_is_gsm_7_and_every_one_inside_is() {
    for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
      String text = String.valueOf((char) c);
      SmsAnalysis analysis = SmsTexts.analyze(text, false);
      int expectedSeptets = septetsOf((char) c);

      if (expectedSeptets == 0) {
        assertThat(analysis.encoding()).as("U+%04X", c).isEqualTo(SmsEncoding.UCS_2);
        assertThat(analysis.unicodeCharacters()).as("U+%04X", c).containsExactly(text);
      } else {
        assertThat(analysis.encoding()).as("U+%04X", c).isEqualTo(SmsEncoding.GSM_7);
        assertThat(analysis.units()).as("U+%04X", c).isEqualTo(expectedSeptets);
        assertThat(analysis.unicodeCharacters()).as("U+%04X", c).isEmpty();
      }
    }
  }

  @Test
  void the_escape_control_character_itself_forces_ucs_2_so_it_is_never_sent_as_an_escape() {
    SmsAnalysis analysis = SmsTexts.analyze("a\u001Bb", false);

    assertThat(analysis.encoding()).isEqualTo(SmsEncoding.UCS_2);
    assertThat(analysis.unicodeCharacters()).containsExactly("\u001B");
  }

  @Test
  void greek_capitals_of_the_alphabet_are_gsm_7_but_latin_looking_ones_and_small_ones_are_not() {
    assertThat(SmsTexts.analyze("ΔΦΓΛΩΠΨΣΘΞ", false).encoding()).isEqualTo(SmsEncoding.GSM_7);
    assertThat(SmsTexts.analyze("\u0391", false).encoding()).isEqualTo(SmsEncoding.UCS_2); // Alpha
    assertThat(SmsTexts.analyze("\u03B4", false).encoding()).isEqualTo(SmsEncoding.UCS_2); // delta
  }

  @Test
  void the_whole_alphabet_round_trips_through_one_payload() {
    StringBuilder text = new StringBuilder();
    for (int septet = 0; septet < BASIC_TABLE.length; septet++) {
      if (septet != ESCAPE) {
        text.append(BASIC_TABLE[septet]);
      }
    }
    text.append(EXTENSION_CHARACTERS);
    SmsPart part = new SmsPart(text.toString(), SmsEncoding.GSM_7, 127 + 2 * 10);

    byte[] payload = part.payload();

    assertThat(payload).hasSize(147);
    assertThat(SmsTexts.decode(payload, SmsEncoding.GSM_7)).isEqualTo(text.toString());
  }

  @Test
  void decoding_a_trailing_escape_shows_a_space_as_ts_23_038_asks() {
    assertThat(SmsTexts.decode(new byte[] {0x41, ESCAPE}, SmsEncoding.GSM_7)).isEqualTo("A ");
  }

  @Test
  void decoding_an_escape_to_an_undefined_code_shows_the_basic_table_character() {
    assertThat(SmsTexts.decode(new byte[] {ESCAPE, 0x41}, SmsEncoding.GSM_7)).isEqualTo("A");
    assertThat(SmsTexts.decode(new byte[] {ESCAPE, ESCAPE}, SmsEncoding.GSM_7)).isEqualTo(" ");
  }

  @Test
  void decoding_refuses_octets_above_seven_bits_and_odd_ucs_2_payloads() {
    assertThatThrownBy(() -> SmsTexts.decode(new byte[] {0x41, (byte) 0x80}, SmsEncoding.GSM_7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x80");
    assertThatThrownBy(() -> SmsTexts.decode(new byte[] {0x00, 0x41, 0x00}, SmsEncoding.UCS_2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even");
  }

  @Test
  void encoding_a_character_outside_the_alphabet_as_gsm_7_is_refused() {
    SmsPart wronglyBuilt = new SmsPart("ç", SmsEncoding.GSM_7, 1);

    assertThatThrownBy(wronglyBuilt::payload)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+00E7");
  }

  @Test
  void data_coding_bytes_are_those_smpp_expects() {
    assertThat(SmsEncoding.GSM_7.dataCoding()).isEqualTo((byte) 0x00);
    assertThat(SmsEncoding.UCS_2.dataCoding()).isEqualTo((byte) 0x08);
  }
}
