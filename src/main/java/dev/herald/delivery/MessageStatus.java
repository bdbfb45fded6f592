package dev.herald.delivery;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The one list of message statuses for database, API and UI (ARCHITECTURE.md). */
public enum MessageStatus {
  QUEUED,
  SENDING,
  SENT,
  DELIVERED,
  FAILED,
  EXPIRED,
  CANCELLED,
  NO_CREDIT;

  /** The database and API form: the lower-case name, e.g. {@code no_credit}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MessageStatus> fromCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    return Arrays.stream(values())
        .filter(s -> s.code().equals(code.strip().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
