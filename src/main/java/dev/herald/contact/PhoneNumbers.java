package dev.herald.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.List;
import java.util.Optional;

/**
 * Phone numbers as libphonenumber reads them: E.164, with the company's country as default region.
 */
public final class PhoneNumbers {

  private static final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

  /** Longer input is not a phone number, and libphonenumber need not look at it. */
  static final int MAX_INPUT = 40;

  private PhoneNumbers() {}

  /** A number that parsed and is valid for its region. */
  public record Parsed(String e164, boolean mobile) {}

  /** The number in E.164 when it is valid; {@code mobile} when it can receive SMS (C2). */
  public static Optional<Parsed> parse(String raw, String defaultRegion) {
    if (raw == null || raw.isBlank() || raw.length() > MAX_INPUT) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber number = util.parse(raw.strip(), defaultRegion);
      if (!util.isValidNumber(number)) {
        return Optional.empty();
      }
      PhoneNumberType type = util.getNumberType(number);
      // Where mobile and fixed ranges overlap (North America, Denmark) libphonenumber cannot tell.
      boolean mobile =
          type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
      String e164 = util.format(number, PhoneNumberFormat.E164);
      // libphonenumber accepts some national numbers (Germany, Austria) longer than E.164's 15
      // digits.
      // ... and a few very short ones (+49 1640): E.164 numbers that can take an SMS have at least
      // 7 digits.
      if (e164.length() > 16 || e164.length() < 8) {
        return Optional.empty();
      }
      return Optional.of(new Parsed(e164, mobile));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Countries people of Herald's companies most often have numbers in, offered first in pickers and
   * tried when a number does not fit the country it was typed for.
   */
  public static final List<String> COMMON_COUNTRIES =
      List.of(
          "DK", "SE", "NO", "DE", "FR", "GB", "NL", "BE", "CH", "ES", "IT", "PL", "FI", "IS", "FO",
          "GL", "AT", "IE", "PT", "US", "CA");

  /** The country calling code of a region ({@code 33} for FR), 0 for an unknown region. */
  public static int callingCode(String region) {
    return util.getCountryCodeForRegion(region);
  }

  /** The region (ISO 3166 code) a number in E.164 belongs to, if libphonenumber knows it. */
  public static Optional<String> regionOf(String e164) {
    try {
      String region = util.getRegionCodeForNumber(util.parse(e164, null));
      return region == null || "ZZ".equals(region) ? Optional.empty() : Optional.of(region);
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /**
   * A common country other than {@code region} in which a locally typed number is valid ("06 12 34
   * 56 78" typed for Denmark is a French mobile), to suggest it to the person.
   */
  public static Optional<String> likelyCountry(String raw, String region) {
    if (raw == null || raw.strip().startsWith("+") || raw.length() > MAX_INPUT) {
      return Optional.empty();
    }
    // A mobile reading first: "06 12 34 56 78" is a French mobile, and a Swedish landline too.
    String fallback = null;
    for (String country : COMMON_COUNTRIES) {
      if (country.equals(region)) {
        continue;
      }
      var parsed = parse(raw, country);
      if (parsed.isPresent() && parsed.get().mobile()) {
        return Optional.of(country);
      }
      if (parsed.isPresent() && fallback == null) {
        fallback = country;
      }
    }
    return Optional.ofNullable(fallback);
  }

  /** The number is written with its country code (+33 …, or 0033 …). */
  public static boolean international(String raw) {
    String s = raw == null ? "" : raw.strip();
    return s.startsWith("+") || s.startsWith("00");
  }

  /** How a person reads the number: international format. */
  public static String display(String e164) {
    try {
      return util.format(util.parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
    } catch (NumberParseException e) {
      return e164;
    }
  }
}
