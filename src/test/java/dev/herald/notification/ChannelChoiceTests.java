package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.contact.Contact;
import dev.herald.contact.Contact.Preferences;
import dev.herald.contact.ContactPhone;
import dev.herald.contact.PhoneType;
import dev.herald.delivery.Channel;
import dev.herald.notification.ChannelChoice.Skipped;
import dev.herald.shared.Language;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Company;
import dev.herald.tenant.Plan;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChannelChoiceTests {

  static Company company(boolean smsUnlocked, Plan plan) {
    return new Company(
        new TenantId(UUID.randomUUID()),
        "Co",
        plan,
        "DK",
        ZoneId.of("Europe/Copenhagen"),
        Language.DA,
        "Co",
        smsUnlocked,
        false,
        0,
        Instant.EPOCH,
        false,
        10);
  }

  static Contact contact(
      boolean email, boolean sms, List<String> emails, List<ContactPhone> phones) {
    return new Contact(
        UUID.randomUUID(),
        "C",
        Language.DA,
        null,
        emails,
        phones,
        new Preferences(email, sms, true),
        0,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  static final ContactPhone MOBILE = new ContactPhone(PhoneType.MOBILE, "+4520123456", false);
  static final ContactPhone OPTED_OUT = new ContactPhone(PhoneType.MOBILE, "+4520123457", true);
  static final ContactPhone HOME = new ContactPhone(PhoneType.HOME, "+4533123456", false);

  @Test
  void both_boxes_ticked_give_both_channels() {
    ChannelChoice choice =
        ChannelChoice.of(
            company(true, Plan.STANDARD), contact(true, true, List.of("a@b.dk"), List.of(MOBILE)));
    assertThat(choice.email()).contains("a@b.dk");
    assertThat(choice.sms()).contains("+4520123456");
    assertThat(choice.skipped()).isEmpty();
  }

  @Test
  void only_email_or_only_sms() {
    ChannelChoice emailOnly =
        ChannelChoice.of(
            company(true, Plan.STANDARD), contact(true, false, List.of("a@b.dk"), List.of(MOBILE)));
    assertThat(emailOnly.sms()).isEmpty();
    assertThat(emailOnly.skipped())
        .containsExactly(new Skipped(Channel.SMS, SkipReason.PREFERENCE_OFF));

    ChannelChoice smsOnly =
        ChannelChoice.of(
            company(true, Plan.STANDARD), contact(false, true, List.of("a@b.dk"), List.of(MOBILE)));
    assertThat(smsOnly.email()).isEmpty();
    assertThat(smsOnly.sms()).isPresent();
    assertThat(smsOnly.skipped())
        .containsExactly(new Skipped(Channel.EMAIL, SkipReason.PREFERENCE_OFF));
  }

  @Test
  void no_box_ticked_sends_nothing_and_says_why() {
    ChannelChoice none =
        ChannelChoice.of(
            company(true, Plan.STANDARD),
            contact(false, false, List.of("a@b.dk"), List.of(MOBILE)));
    assertThat(none.email()).isEmpty();
    assertThat(none.sms()).isEmpty();
    assertThat(none.skipped())
        .extracting(Skipped::reason)
        .containsExactly(SkipReason.PREFERENCE_OFF, SkipReason.PREFERENCE_OFF);
  }

  @Test
  void each_sms_reason() {
    assertThat(
            ChannelChoice.of(
                    company(false, Plan.STANDARD), contact(false, true, List.of(), List.of(MOBILE)))
                .skipped())
        .contains(new Skipped(Channel.SMS, SkipReason.SMS_LOCKED));
    assertThat(
            ChannelChoice.of(
                    company(true, Plan.FREE), contact(false, true, List.of(), List.of(MOBILE)))
                .skipped())
        .as("a Free plan stops SMS")
        .contains(new Skipped(Channel.SMS, SkipReason.SMS_LOCKED));
    assertThat(
            ChannelChoice.of(
                    company(true, Plan.STANDARD), contact(false, true, List.of(), List.of(HOME)))
                .skipped())
        .contains(new Skipped(Channel.SMS, SkipReason.NO_MOBILE_NUMBER));
    assertThat(
            ChannelChoice.of(
                    company(true, Plan.STANDARD),
                    contact(false, true, List.of(), List.of(OPTED_OUT)))
                .skipped())
        .contains(new Skipped(Channel.SMS, SkipReason.OPTED_OUT));
    assertThat(
            ChannelChoice.of(
                    company(true, Plan.STANDARD),
                    contact(true, true, List.of(), List.of(OPTED_OUT, MOBILE)))
                .sms())
        .as("the first number that has not opted out")
        .contains("+4520123456");
    assertThat(
            ChannelChoice.of(
                    company(true, Plan.STANDARD), contact(true, false, List.of(), List.of()))
                .skipped())
        .contains(new Skipped(Channel.EMAIL, SkipReason.NO_EMAIL_ADDRESS));
  }
}
