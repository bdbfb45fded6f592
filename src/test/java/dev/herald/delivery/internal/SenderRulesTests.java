package dev.herald.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.gateway.SourceAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address an SMS goes from, per destination country and kind of message. */
class SenderRulesTests {

  static final List<SenderRules.Number> NUMBERS =
      List.of(
          new SenderRules.Number("+14155550100", "US"),
          new SenderRules.Number("+4532123456", "DK"),
          new SenderRules.Number("1919", "DK"));

  @Test
  void a_reminder_to_denmark_goes_from_the_alphanumeric_name() {
    SourceAddress s = SenderRules.choose("Nordlys", OutboundKind.REMINDER, "+4521000001", NUMBERS);
    assertThat(s).isEqualTo(new SourceAddress("Nordlys", SourceAddress.Type.ALPHANUMERIC));
    assertThat(s.type().ton()).isEqualTo(5);
    assertThat(s.type().npi()).isZero();
  }

  @Test
  void the_united_states_and_canada_get_a_number_even_for_a_reminder() {
    assertThat(SenderRules.choose("Nordlys", OutboundKind.REMINDER, "+12025550123", NUMBERS))
        .isEqualTo(new SourceAddress("+14155550100", SourceAddress.Type.INTERNATIONAL));
    // Canada shares +1; a US long number is the company's best there (no Canadian one).
    assertThat(SenderRules.choose("Nordlys", OutboundKind.BULK, "+14165550123", NUMBERS).address())
        .isEqualTo("+14155550100");
    assertThat(SenderRules.countryOf("+14165550123")).isEqualTo("CA");
  }

  @Test
  void a_message_the_customer_may_answer_goes_from_the_countrys_short_code_first() {
    SourceAddress s = SenderRules.choose("Nordlys", OutboundKind.DIRECT, "+4521000001", NUMBERS);
    assertThat(s).isEqualTo(new SourceAddress("1919", SourceAddress.Type.SHORT_CODE));
    assertThat(s.type().ton()).isEqualTo(3);
    assertThat(
            SenderRules.choose("Nordlys", OutboundKind.REPLY, "+4521000001", NUMBERS.subList(0, 2)))
        .isEqualTo(new SourceAddress("+4532123456", SourceAddress.Type.INTERNATIONAL));
  }

  @Test
  void the_answers_to_stop_start_and_help_go_from_a_number_since_they_say_what_to_text_back() {
    for (OutboundKind answer : List.of(OutboundKind.KEYWORD_ANSWER, OutboundKind.OPT_OUT_ANSWER)) {
      assertThat(
              SenderRules.choose("Nordlys", answer, "+4521000001", NUMBERS.subList(0, 2)).address())
          .as(answer.name())
          .isEqualTo("+4532123456");
    }
    assertThat(SenderRules.choose("Nordlys", OutboundKind.BULK, "+4521000001", NUMBERS).address())
        .isEqualTo("Nordlys");
  }

  @Test
  void a_short_code_never_leaves_its_country_and_without_a_number_the_name_is_used() {
    List<SenderRules.Number> danishShortCode = List.of(new SenderRules.Number("1919", "DK"));
    assertThat(SenderRules.choose("Nordlys", OutboundKind.REPLY, "+33612345678", danishShortCode))
        .isEqualTo(new SourceAddress("Nordlys", SourceAddress.Type.ALPHANUMERIC));
    assertThat(SenderRules.choose("Nordlys", OutboundKind.REMINDER, "+12025550123", List.of()))
        .isEqualTo(new SourceAddress("Nordlys", SourceAddress.Type.ALPHANUMERIC));
  }

  @Test
  void the_kind_of_a_sender_string_is_read_from_its_form() {
    assertThat(SourceAddress.of("+4570000000").type()).isEqualTo(SourceAddress.Type.INTERNATIONAL);
    assertThat(SourceAddress.of("+4570000000").digitsOrName()).isEqualTo("4570000000");
    assertThat(SourceAddress.of("12345").type()).isEqualTo(SourceAddress.Type.SHORT_CODE);
    assertThat(SourceAddress.of("70000000000").type()).isEqualTo(SourceAddress.Type.NATIONAL);
    assertThat(SourceAddress.of("Herald").type()).isEqualTo(SourceAddress.Type.ALPHANUMERIC);
  }
}
