package dev.herald.payment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** ISO 11649 creditor references: check digits, reading what people type, printing. */
class CreditorReferencesTests {

  @Test
  void the_standards_examples_are_valid_as_typed() {
    assertThat(CreditorReferences.valid("RF18 5390 0754 7034")).contains("RF18539007547034");
    assertThat(CreditorReferences.valid("rf18539007547034")).contains("RF18539007547034");
    assertThat(CreditorReferences.valid("rf33 4567 89ab cdef")).contains("RF33456789ABCDEF");
  }

  @Test
  void a_wrong_check_digit_or_a_changed_character_is_refused() {
    assertThat(CreditorReferences.valid("RF19 5390 0754 7034")).isEmpty();
    assertThat(CreditorReferences.valid("RF18 5390 0754 7043")).isEmpty();
    assertThat(CreditorReferences.valid("RF18")).isEmpty();
    assertThat(CreditorReferences.valid("XX18 5390 0754 7034")).isEmpty();
    assertThat(CreditorReferences.valid("RF18 5390 0754 703!")).isEmpty();
    assertThat(CreditorReferences.valid(null)).isEmpty();
  }

  @Test
  void check_digits_are_computed_as_the_standard_does() {
    assertThat(CreditorReferences.of("539007547034")).isEqualTo("RF18539007547034");
    assertThat(CreditorReferences.of("1")).isEqualTo("RF741");
    assertThat(CreditorReferences.printed("RF18539007547034")).isEqualTo("RF18 5390 0754 7034");
    assertThatThrownBy(() -> CreditorReferences.of(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @RepeatedTest(50)
  void a_generated_reference_is_valid_and_survives_being_typed_with_spaces_in_lower_case() {
    String ref = CreditorReferences.generate();
    assertThat(ref).matches("RF[0-9]{2}[0-9]{12}");
    assertThat(CreditorReferences.valid(CreditorReferences.printed(ref).toLowerCase()))
        .contains(ref);
  }

  @Test
  void five_working_days_skip_the_weekend() {
    // Friday 2026-11-27 + 5 working days = Friday 2026-12-04; Monday + 5 = next Monday.
    assertThat(PaymentService.workingDaysAfter(java.time.LocalDate.of(2026, 11, 27), 5))
        .isEqualTo(java.time.LocalDate.of(2026, 12, 4));
    assertThat(PaymentService.workingDaysAfter(java.time.LocalDate.of(2026, 11, 30), 5))
        .isEqualTo(java.time.LocalDate.of(2026, 12, 7));
  }
}
