package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTests {

  @Test
  void danish_numbers_without_country_code_are_read_with_the_company_region() {
    assertThat(PhoneNumbers.parse("20 12 34 56", "DK"))
        .hasValueSatisfying(p -> {
          assertThat(p.e164()).isEqualTo("+4520123456");
          assertThat(p.mobile()).as("DK ranges overlap: fixed line or mobile").isTrue();
        });
  }

  @Test
  void a_french_landline_is_not_mobile_and_a_french_mobile_is() {
    assertThat(PhoneNumbers.parse("+33 1 42 68 53 00", "DK"))
        .hasValueSatisfying(p -> assertThat(p.mobile()).isFalse());
    assertThat(PhoneNumbers.parse("06 12 34 56 78", "FR"))
        .hasValueSatisfying(p -> {
          assertThat(p.e164()).isEqualTo("+33612345678");
          assertThat(p.mobile()).isTrue();
        });
    assertThat(PhoneNumbers.parse("+44 20 7946 0000", "DK"))
        .hasValueSatisfying(p -> assertThat(p.mobile()).isFalse());
  }

  @Test
  void invalid_or_absurd_input_is_refused() {
    assertThat(PhoneNumbers.parse("12", "DK")).isEmpty();
    assertThat(PhoneNumbers.parse("", "DK")).isEmpty();
    assertThat(PhoneNumbers.parse(null, "DK")).isEmpty();
    assertThat(PhoneNumbers.parse("+45 " + "1".repeat(60), "DK")).isEmpty();
    assertThat(PhoneNumbers.parse("call me", "DK")).isEmpty();
    assertThat(PhoneNumbers.parse("+491640", "DK"))
        .as("valid to libphonenumber, too short for E.164 here")
        .isEmpty();
  }
}
