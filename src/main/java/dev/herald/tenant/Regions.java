package dev.herald.tenant;

import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Countries and IANA time zones to choose from, countries named in the reader's language. */
public final class Regions {

  private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

  private Regions() {}

  /** An ISO 3166 country code and its name. */
  public record Country(String code, String name) {}

  public static List<Country> countries(Locale locale) {
    return Stream.of(Locale.getISOCountries())
        .map(code -> new Country(code, Locale.of("", code).getDisplayCountry(locale)))
        .sorted(Comparator.comparing(Country::name))
        .toList();
  }

  public static List<String> timeZones() {
    return ZONES;
  }
}
