package dev.herald.contact;

import java.util.List;

/**
 * A contact as typed into the form or sent to the API, not yet checked. A null preference means
 * "not said": email on, SMS from the company's default (B3), reminders on.
 */
public record ContactInput(
    String name,
    String language,
    String timeZone,
    List<String> emails,
    List<PhoneInput> phones,
    Boolean email,
    Boolean sms,
    Boolean reminders) {

  /**
   * A phone number as typed, with its type name (MOBILE, HOME, WORK, OTHER) and the country it is
   * typed for (ISO 3166 code; null or blank: the company's country). A number starting with + or 00
   * carries its own country.
   */
  public record PhoneInput(String type, String number, String country) {

    public PhoneInput(String type, String number) {
      this(type, number, null);
    }
  }
}
