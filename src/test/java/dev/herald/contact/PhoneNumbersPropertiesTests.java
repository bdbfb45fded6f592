package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PhoneNumbersPropertiesTests {

  @Property(tries = 2000)
  void any_input_is_either_refused_or_a_valid_e164_that_parses_to_itself(
      @ForAll("phoneish") String raw, @ForAll("regions") String region) {
    PhoneNumbers.parse(raw, region)
        .ifPresent(parsed -> {
          assertThat(parsed.e164()).matches("\\+[1-9][0-9]{6,14}");
          assertThat(PhoneNumbers.parse(parsed.e164(), "US")).contains(parsed);
        });
  }

  @Provide
  Arbitrary<String> phoneish() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(50),
        Arbitraries.strings().withChars("0123456789 +-().").ofMaxLength(22),
        Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(12).map(d -> "+45" + d),
        Arbitraries.strings().numeric().ofLength(8));
  }

  @Provide
  Arbitrary<String> regions() {
    return Arbitraries.of("DK", "FR", "GB", "US", "DE", "XX", "ZZ");
  }
}
