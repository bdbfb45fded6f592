package dev.herald.contact;

import dev.herald.shared.Language;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A customer of a company, with what decides what they receive (C1 to C4). */
public record Contact(
    UUID id,
    String name,
    Language language,
    ZoneId timeZone,
    List<String> emails,
    List<ContactPhone> phones,
    Preferences preferences,
    int version,
    Instant createdAt,
    Instant updatedAt) {

  /** The Email and SMS boxes (C3) and the automatic-reminders switch (C4). */
  public record Preferences(boolean email, boolean sms, boolean reminders) {}

  /** The first number SMS may go to, if any. */
  public Optional<ContactPhone> textableMobile() {
    return phones.stream().filter(ContactPhone::textable).findFirst();
  }

  public boolean hasMobile() {
    return phones.stream().anyMatch(p -> p.type() == PhoneType.MOBILE);
  }
}
