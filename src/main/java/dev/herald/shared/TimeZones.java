package dev.herald.shared;

import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/** IANA time zones ({@code Europe/Copenhagen}); offsets such as {@code +05:00} are not places. */
public final class TimeZones {

  private static final Set<String> IANA = ZoneId.getAvailableZoneIds();

  private TimeZones() {}

  public static Optional<ZoneId> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String trimmed = id.strip();
    return IANA.contains(trimmed) ? Optional.of(ZoneId.of(trimmed)) : Optional.empty();
  }
}
