package dev.herald.contact;

import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.shared.EmailAddresses;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.RegionName;
import dev.herald.shared.Text;
import dev.herald.shared.TimeZones;
import dev.herald.tenant.Company;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks a contact as typed (C1, C2, C3); every problem is reported at once, at its field. */
final class ContactRules {

  static final int MAX_NAME = 200;
  static final int MAX_EMAILS = 5;
  static final int MAX_PHONES = 5;

  private ContactRules() {}

  /** A phone number that passed: type and E.164. */
  record CheckedPhone(PhoneType type, String number) {}

  record Checked(
      String name,
      Language language,
      ZoneId timeZone,
      List<String> emails,
      List<CheckedPhone> phones,
      Boolean email,
      Boolean sms,
      Boolean reminders) {

    boolean hasMobile() {
      return phones.stream().anyMatch(p -> p.type() == PhoneType.MOBILE);
    }
  }

  static Checked check(ContactInput in, Company company) {
    List<FieldProblem> problems = new ArrayList<>();

    String name = in.name() == null ? "" : in.name().strip();
    if (name.isEmpty()) {
      problems.add(FieldProblem.of("name", "contact.name.required"));
    } else if (Text.problem(name, false).isPresent()) {
      problems.add(FieldProblem.of("name", Text.problem(name, false).get()));
    } else if (name.codePointCount(0, name.length()) > MAX_NAME) {
      problems.add(FieldProblem.of("name", "contact.name.tooLong", MAX_NAME));
    }

    Language language = company.language();
    if (in.language() != null && !in.language().isBlank()) {
      language = Language.fromCode(in.language()).orElse(null);
      if (language == null) {
        problems.add(FieldProblem.of("language", "language.invalid"));
      }
    }

    ZoneId zone = null;
    if (in.timeZone() != null && !in.timeZone().isBlank()) {
      zone = TimeZones.parse(in.timeZone()).orElse(null);
      if (zone == null) {
        problems.add(FieldProblem.of("timeZone", "timeZone.invalid", in.timeZone().strip()));
      }
    }

    List<String> emails = new ArrayList<>();
    List<String> rawEmails = in.emails() == null ? List.of() : in.emails();
    if (rawEmails.size() > MAX_EMAILS) {
      problems.add(FieldProblem.of("emails", "contact.emails.tooMany", MAX_EMAILS));
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < rawEmails.size(); i++) {
        String email = rawEmails.get(i) == null ? "" : rawEmails.get(i).strip();
        if (!EmailAddresses.isValid(email)) {
          problems.add(FieldProblem.of("emails[" + i + "]", "email.invalid", email));
        } else if (!seen.add(email.toLowerCase(Locale.ROOT))) {
          problems.add(FieldProblem.of("emails[" + i + "]", "contact.email.duplicate", email));
        } else {
          emails.add(email);
        }
      }
    }

    List<CheckedPhone> phones = new ArrayList<>();
    List<PhoneInput> rawPhones = in.phones() == null ? List.of() : in.phones();
    if (rawPhones.size() > MAX_PHONES) {
      problems.add(FieldProblem.of("phones", "contact.phones.tooMany", MAX_PHONES));
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < rawPhones.size(); i++) {
        checkPhone(rawPhones.get(i), i, company.country(), seen, phones, problems);
      }
    }

    if (Boolean.TRUE.equals(in.sms())
        && phones.stream().noneMatch(p -> p.type() == PhoneType.MOBILE)
        && problems.stream().noneMatch(p -> p.field().startsWith("phones"))) {
      problems.add(FieldProblem.of("preferences.sms", "contact.sms.needsMobile"));
    }

    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new Checked(name, language, zone, emails, phones, in.email(), in.sms(), in.reminders());
  }

  private static void checkPhone(
      PhoneInput phone,
      int i,
      String region,
      Set<String> seen,
      List<CheckedPhone> phones,
      List<FieldProblem> problems) {
    String field = "phones[" + i + "]";
    if (phone == null) {
      problems.add(FieldProblem.of(field + ".number", "contact.phone.required"));
      return;
    }
    PhoneType type = null;
    try {
      type = PhoneType.valueOf(String.valueOf(phone.type()).strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(FieldProblem.of(field + ".type", "contact.phone.type.invalid"));
    }
    String raw = phone.number() == null ? "" : phone.number().strip();
    if (raw.isEmpty()) {
      problems.add(FieldProblem.of(field + ".number", "contact.phone.required"));
      return;
    }
    String country =
        phone.country() == null || phone.country().isBlank()
            ? region
            : phone.country().strip().toUpperCase(Locale.ROOT);
    if (PhoneNumbers.callingCode(country) == 0) {
      problems.add(FieldProblem.of(field + ".country", "contact.phone.country.invalid"));
      return;
    }
    var parsed = PhoneNumbers.parse(raw, country);
    if (parsed.isEmpty()) {
      problems.add(invalidNumber(field + ".number", raw, country));
      return;
    }
    if (type == PhoneType.MOBILE && !parsed.get().mobile()) {
      problems.add(
          FieldProblem.of(
              field + ".number",
              "contact.phone.notMobile",
              PhoneNumbers.display(parsed.get().e164())));
      return;
    }
    if (!seen.add(parsed.get().e164())) {
      problems.add(
          FieldProblem.of(
              field + ".number",
              "contact.phone.duplicate",
              PhoneNumbers.display(parsed.get().e164())));
      return;
    }
    if (type != null) {
      phones.add(new CheckedPhone(type, parsed.get().e164()));
    }
  }

  /** Says how to fix a number: check the digits, or choose the country it really belongs to. */
  private static FieldProblem invalidNumber(String field, String raw, String country) {
    if (PhoneNumbers.international(raw)) {
      return FieldProblem.of(field, "contact.phone.invalidInternational", raw);
    }
    var likely = PhoneNumbers.likelyCountry(raw, country);
    if (likely.isPresent()) {
      return FieldProblem.of(
          field,
          "contact.phone.invalidSuggest",
          raw,
          new RegionName(country),
          new RegionName(likely.get()),
          "+" + PhoneNumbers.callingCode(likely.get()));
    }
    return FieldProblem.of(
        field,
        "contact.phone.invalid",
        raw,
        new RegionName(country),
        "+" + PhoneNumbers.callingCode(country));
  }
}
