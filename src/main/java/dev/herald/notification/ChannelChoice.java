package dev.herald.notification;

import dev.herald.contact.Contact;
import dev.herald.contact.ContactPhone;
import dev.herald.delivery.Channel;
import dev.herald.tenant.Company;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which channels a communication to a contact goes out on (C3) and why the others do not: the
 * contact's Email and SMS boxes, SMS only when the company may send it (A1, B1), only to a Mobile
 * number (C2) that has not opted out (C5, which overrides every preference).
 */
public record ChannelChoice(Optional<String> email, Optional<String> sms, List<Skipped> skipped) {

  /** A channel left out, with its reason. */
  public record Skipped(Channel channel, SkipReason reason) {}

  /**
   * The channels a person may tick in a send window (D1): the contact's boxes only pre-tick them,
   * so only what cannot apply (no address, no mobile, opted out, SMS locked) is left out.
   */
  public static ChannelChoice possible(Company company, Contact contact) {
    return of(
        company,
        new Contact(
            contact.id(),
            contact.name(),
            contact.language(),
            contact.timeZone(),
            contact.emails(),
            contact.phones(),
            new Contact.Preferences(true, true, contact.preferences().reminders()),
            contact.version(),
            contact.createdAt(),
            contact.updatedAt()));
  }

  public static ChannelChoice of(Company company, Contact contact) {
    List<Skipped> skipped = new ArrayList<>();

    Optional<String> email = Optional.empty();
    if (!contact.preferences().email()) {
      skipped.add(new Skipped(Channel.EMAIL, SkipReason.PREFERENCE_OFF));
    } else if (contact.emails().isEmpty()) {
      skipped.add(new Skipped(Channel.EMAIL, SkipReason.NO_EMAIL_ADDRESS));
    } else {
      email = Optional.of(contact.emails().get(0));
    }

    Optional<String> sms = Optional.empty();
    if (!contact.preferences().sms()) {
      skipped.add(new Skipped(Channel.SMS, SkipReason.PREFERENCE_OFF));
    } else if (!company.smsAvailable()) {
      skipped.add(new Skipped(Channel.SMS, SkipReason.SMS_LOCKED));
    } else if (!contact.hasMobile()) {
      skipped.add(new Skipped(Channel.SMS, SkipReason.NO_MOBILE_NUMBER));
    } else {
      sms = contact.textableMobile().map(ContactPhone::number);
      if (sms.isEmpty()) {
        skipped.add(new Skipped(Channel.SMS, SkipReason.OPTED_OUT));
      }
    }
    return new ChannelChoice(email, sms, List.copyOf(skipped));
  }
}
