package dev.herald.contact.web;

import dev.herald.contact.Contact;
import dev.herald.contact.ContactInput;
import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.contact.ContactPhone;
import dev.herald.contact.PhoneNumbers;
import java.util.ArrayList;
import java.util.List;

/** The contact form as typed; blank rows are left out, everything typed comes back on error. */
public class ContactForm {

  static final int ROWS = 3;
  static final int MAX_ROWS = 5;

  private String name = "";
  private String language = "";
  private String timeZone = "";
  private String timeZoneSearch = "";
  private List<String> emails = new ArrayList<>();
  private List<PhoneRow> phones = new ArrayList<>();
  private boolean email = true;
  private boolean sms;

  /** The SMS box was ticked by the company's default (B3), not by the person. */
  private boolean smsDefault;

  private boolean reminders = true;
  private int version;

  /** One phone row of the form. */
  public static class PhoneRow {
    private String type = "MOBILE";
    private String number = "";

    /** The country the number is typed for; blank: the company's. */
    private String country = "";

    public PhoneRow() {}

    PhoneRow(String type, String number, String country) {
      this.type = type;
      this.number = number;
      this.country = country;
    }

    public String getCountry() {
      return country;
    }

    public void setCountry(String country) {
      this.country = country;
    }

    public String getType() {
      return type;
    }

    public void setType(String type) {
      this.type = type;
    }

    public String getNumber() {
      return number;
    }

    public void setNumber(String number) {
      this.number = number;
    }
  }

  static ContactForm blank(String language, boolean smsTicked) {
    ContactForm form = new ContactForm();
    form.language = language;
    form.sms = smsTicked;
    form.smsDefault = smsTicked;
    return form.padded();
  }

  static ContactForm of(Contact c) {
    ContactForm form = new ContactForm();
    form.name = c.name();
    form.language = c.language().code();
    form.timeZone = c.timeZone() == null ? "" : c.timeZone().getId();
    form.emails = new ArrayList<>(c.emails());
    for (ContactPhone p : c.phones()) {
      form.phones.add(
          new PhoneRow(
              p.type().name(),
              PhoneNumbers.display(p.number()),
              PhoneNumbers.regionOf(p.number()).orElse("")));
    }
    form.email = c.preferences().email();
    form.sms = c.preferences().sms();
    form.reminders = c.preferences().reminders();
    form.version = c.version();
    return form.padded();
  }

  /**
   * What the form says. Blank rows are dropped; the field names of problems still match the form
   * because rows keep their position, so the form is compacted first.
   */
  ContactInput toInput() {
    compact();
    // B3: the default ticks SMS only for contacts with a mobile number; left as it came, the box
    // says nothing for a contact without one, so the default decides (and leaves it off).
    boolean mobileTyped = phones.stream().anyMatch(p -> "MOBILE".equalsIgnoreCase(p.getType()));
    Boolean smsChoice = smsDefault && sms && !mobileTyped ? null : sms;
    return new ContactInput(
        name,
        language,
        timeZoneSearch == null || timeZoneSearch.isBlank() ? timeZone : timeZoneSearch.strip(),
        List.copyOf(emails),
        phones.stream()
            .map(p -> new PhoneInput(p.getType(), p.getNumber(), p.getCountry()))
            .toList(),
        email,
        smsChoice,
        reminders);
  }

  /** Drops blank rows so that row i of the form is item i of the input. */
  private void compact() {
    emails = new ArrayList<>(emails.stream().filter(e -> e != null && !e.isBlank()).toList());
    phones =
        new ArrayList<>(
            phones.stream()
                .filter(p -> p.getNumber() != null && !p.getNumber().isBlank())
                .toList());
  }

  /** Blank rows to type into, so that no script is needed to add a number. */
  ContactForm padded() {
    int emailRows = Math.min(MAX_ROWS, Math.max(ROWS, emails.size() + 1));
    while (emails.size() < emailRows) {
      emails.add("");
    }
    int phoneRows = Math.min(MAX_ROWS, Math.max(ROWS, phones.size() + 1));
    while (phones.size() < phoneRows) {
      phones.add(new PhoneRow());
    }
    return this;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getLanguage() {
    return language;
  }

  public void setLanguage(String language) {
    this.language = language;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getTimeZoneSearch() {
    return timeZoneSearch;
  }

  public void setTimeZoneSearch(String timeZoneSearch) {
    this.timeZoneSearch = timeZoneSearch;
  }

  public List<String> getEmails() {
    return emails;
  }

  public void setEmails(List<String> emails) {
    this.emails = emails;
  }

  public List<PhoneRow> getPhones() {
    return phones;
  }

  public void setPhones(List<PhoneRow> phones) {
    this.phones = phones;
  }

  public boolean isEmail() {
    return email;
  }

  public void setEmail(boolean email) {
    this.email = email;
  }

  public boolean isSms() {
    return sms;
  }

  public void setSms(boolean sms) {
    this.sms = sms;
  }

  public boolean isReminders() {
    return reminders;
  }

  public void setReminders(boolean reminders) {
    this.reminders = reminders;
  }

  public boolean isSmsDefault() {
    return smsDefault;
  }

  public void setSmsDefault(boolean smsDefault) {
    this.smsDefault = smsDefault;
  }

  public int getVersion() {
    return version;
  }

  public void setVersion(int version) {
    this.version = version;
  }
}
