package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.shared.Language;
import dev.herald.shared.Money;
import dev.herald.smstext.SmsAnalysis;
import dev.herald.smstext.SmsEncoding;
import dev.herald.smstext.SmsTexts;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** F1: Herald's own texts stay GSM-7 and short, and merge fields are written per language. */
class DefaultTemplatesTests {

  static final String COMPANY_30 = "Jardins et Paysages Lemaitre A"; // 30 characters
  static final String CUSTOMER_30 = "Marie-Christine Vandenberghe A"; // 30 characters
  static final String BASE_URL_30 = "https://portal.jardins-lem.com"; // 30 characters

  @ParameterizedTest
  @EnumSource(Language.class)
  void every_default_sms_fits_two_gsm7_segments_with_long_names_and_a_long_address(
      Language language) {
    assertThat(COMPANY_30).hasSize(30);
    assertThat(CUSTOMER_30).hasSize(30);
    assertThat(BASE_URL_30).hasSize(30);
    MergeValues values =
        new MergeValues(
            CUSTOMER_30,
            COMPANY_30,
            "INV-00123",
            Money.of(123_456_789, language == Language.DA ? "DKK" : "EUR"),
            LocalDate.of(2026, 12, 31),
            BASE_URL_30 + MessageTemplates.PORTAL_PATH + "A".repeat(22));
    for (CommunicationKind kind : CommunicationKind.values()) {
      String sms =
          MergeFields.render(DefaultTemplates.of(kind, language).smsText(), values, language);
      SmsAnalysis analysis = SmsTexts.analyze(sms, false);
      assertThat(analysis.encoding())
          .as("%s %s: %s", kind, language, sms)
          .isEqualTo(SmsEncoding.GSM_7);
      assertThat(analysis.segments()).as("%s %s: %s", kind, language, sms).isLessThanOrEqualTo(2);
      assertThat(sms)
          .doesNotContain("{")
          .contains(CUSTOMER_30, COMPANY_30, "INV-00123", BASE_URL_30);
    }
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void every_default_text_names_only_known_merge_fields(Language language) {
    for (CommunicationKind kind : CommunicationKind.values()) {
      MessageTemplate t = DefaultTemplates.of(kind, language);
      assertThat(MergeFields.unknown(t.smsText() + t.emailSubject() + t.emailBody())).isEmpty();
      assertThat(t.smsText()).contains("{link}");
      assertThat(t.emailBody()).contains("{link}");
    }
  }

  @Test
  void amounts_and_dates_are_written_per_language_in_plain_gsm7() {
    Money amount = Money.of(125_050, "DKK");
    assertThat(MergeFields.amount(amount, Language.DA)).isEqualTo("1.250,50 kr.");
    assertThat(MergeFields.amount(Money.of(125_050, "EUR"), Language.FR)).isEqualTo("1 250,50 €");
    assertThat(MergeFields.amount(Money.of(125_050, "EUR"), Language.EN)).isEqualTo("€1,250.50");
    LocalDate date = LocalDate.of(2026, 3, 5);
    assertThat(MergeFields.date(date, Language.EN)).isEqualTo("05/03/2026");
    assertThat(MergeFields.date(date, Language.FR)).isEqualTo("05/03/2026");
    assertThat(MergeFields.date(date, Language.DA)).isEqualTo("05.03.2026");
  }

  @Test
  void unknown_merge_fields_are_found_by_name_and_known_ones_rendered() {
    assertThat(MergeFields.unknown("Hi {customer}, pay {amout} by {dueDate} {amout} {x1}"))
        .containsExactly("amout", "x1");
    assertThat(
            MergeFields.render(
                "Hi {customer}, {number}: {link} {unknown}",
                new MergeValues("Ann", "Co", "Q-00001", null, null, "http://h/p/x"),
                Language.EN))
        .isEqualTo("Hi Ann, Q-00001: http://h/p/x {unknown}");
  }
}
