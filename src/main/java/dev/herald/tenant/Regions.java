package dev.herald.tenant;

import com.ibm.icu.text.TimeZoneNames;
import com.ibm.icu.util.ULocale;
import java.text.Collator;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Countries and time zones to choose from, named and sorted in the reader's language: common ones
 * first, the rest behind a search.
 */
public final class Regions {

  /** Zones of places (Area/City): no SystemV/AST4, Zulu, W-SU or Etc/GMT+3 aliases. */
  private static final Pattern PLACE =
      Pattern.compile(
          "(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_/-]+");

  private static final List<String> PLACES =
      ZoneId.getAvailableZoneIds().stream()
          .filter(z -> PLACE.matcher(z).matches())
          .filter(z -> !z.startsWith("America/Argentina/Com")) // an alias of Cordoba
          .sorted()
          .toList();

  /** The common zones, grouped by region (message key {@code timeZone.group.<name>}). */
  private static final List<Group> COMMON =
      List.of(
          new Group(
              "Europe",
              List.of(
                  "Europe/Copenhagen",
                  "Europe/Paris",
                  "Europe/London",
                  "Europe/Dublin",
                  "Europe/Lisbon",
                  "Europe/Madrid",
                  "Europe/Brussels",
                  "Europe/Amsterdam",
                  "Europe/Berlin",
                  "Europe/Zurich",
                  "Europe/Vienna",
                  "Europe/Rome",
                  "Europe/Oslo",
                  "Europe/Stockholm",
                  "Europe/Helsinki",
                  "Europe/Warsaw",
                  "Europe/Athens",
                  "Atlantic/Reykjavik",
                  "Atlantic/Faroe",
                  "America/Nuuk")),
          new Group(
              "America",
              List.of(
                  "America/New_York",
                  "America/Chicago",
                  "America/Denver",
                  "America/Los_Angeles",
                  "America/Toronto",
                  "America/Vancouver",
                  "America/Mexico_City",
                  "America/Sao_Paulo")),
          new Group(
              "Africa",
              List.of(
                  "Africa/Casablanca",
                  "Africa/Lagos",
                  "Africa/Cairo",
                  "Africa/Nairobi",
                  "Africa/Johannesburg")),
          new Group(
              "AsiaPacific",
              List.of(
                  "Asia/Dubai",
                  "Asia/Kolkata",
                  "Asia/Bangkok",
                  "Asia/Singapore",
                  "Asia/Shanghai",
                  "Asia/Tokyo",
                  "Australia/Sydney",
                  "Pacific/Auckland")));

  private Regions() {}

  /** An ISO 3166 country code and its name. */
  public record Country(String code, String name) {}

  /** A group of zone ids under a heading (a message key suffix). */
  record Group(String name, List<String> zones) {}

  /** A time zone to choose: its IANA id and how a person reads it ("Copenhagen · UTC+1"). */
  public record Zone(String id, String label) {}

  /** A heading ({@code timeZone.group.<name>}) and its zones. */
  public record ZoneGroup(String name, List<Zone> zones) {}

  /** Every country, sorted by a {@link Collator} of the reader's language. */
  public static List<Country> countries(Locale locale) {
    Collator collator = Collator.getInstance(locale);
    return Stream.of(Locale.getISOCountries())
        .map(code -> new Country(code, Locale.of("", code).getDisplayCountry(locale)))
        .sorted(Comparator.comparing(Country::name, collator))
        .toList();
  }

  /** The countries that come first in pickers, in this order. */
  public static List<Country> commonCountries(List<String> codes, Locale locale) {
    return codes.stream()
        .map(code -> new Country(code, Locale.of("", code).getDisplayCountry(locale)))
        .toList();
  }

  /**
   * The short list: {@code first} (the company's zone, or the value being edited) on its own, then
   * the common zones by region, then UTC. A zone not in the list is found with the search.
   */
  public static List<ZoneGroup> commonZones(List<String> first, Locale locale) {
    TimeZoneNames names = TimeZoneNames.getInstance(ULocale.forLocale(locale));
    List<ZoneGroup> groups = new ArrayList<>();
    Set<String> firstIds = new LinkedHashSet<>();
    first.stream().filter(z -> z != null && !z.isBlank()).forEach(firstIds::add);
    if (!firstIds.isEmpty()) {
      groups.add(new ZoneGroup("first", firstIds.stream().map(z -> zone(z, names)).toList()));
    }
    for (Group group : COMMON) {
      groups.add(
          new ZoneGroup(
              group.name(),
              group.zones().stream()
                  .filter(z -> !firstIds.contains(z))
                  .map(z -> zone(z, names))
                  .toList()));
    }
    groups.add(new ZoneGroup("other", List.of(new Zone("UTC", "UTC"))));
    return groups;
  }

  /** Every zone of a place, for the search, sorted by label in the reader's language. */
  public static List<Zone> allZones(Locale locale) {
    TimeZoneNames names = TimeZoneNames.getInstance(ULocale.forLocale(locale));
    Collator collator = Collator.getInstance(locale);
    return PLACES.stream()
        .map(z -> zone(z, names))
        .sorted(Comparator.comparing(Zone::label, collator))
        .toList();
  }

  /** The zone ids the search offers: places and UTC. */
  public static List<String> timeZones() {
    return PLACES;
  }

  private static Zone zone(String id, TimeZoneNames names) {
    if ("UTC".equals(id)) {
      return new Zone(id, "UTC");
    }
    String place = names.getExemplarLocationName(id);
    if (place == null || place.isBlank()) {
      place = id.substring(id.lastIndexOf('/') + 1).replace('_', ' ');
    }
    return new Zone(id, place + " · " + offset(id) + " · " + id);
  }

  /** The zone's standard offset ("UTC+1", "UTC-3:30"); summer time is not shown. */
  private static String offset(String id) {
    int minutes = TimeZone.getTimeZone(id).getRawOffset() / 60_000;
    String sign = minutes < 0 ? "-" : "+";
    int abs = Math.abs(minutes);
    return abs == 0
        ? "UTC"
        : "UTC" + sign + abs / 60 + (abs % 60 == 0 ? "" : String.format(":%02d", abs % 60));
  }
}
