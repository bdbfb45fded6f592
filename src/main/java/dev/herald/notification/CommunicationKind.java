package dev.herald.notification;

import java.util.Locale;
import java.util.Optional;

/** What a templated communication to a customer is for (F1); one template per kind and language. */
public enum CommunicationKind {
  QUOTE_SENT(false),
  INVOICE_SENT(false),
  QUOTE_REMINDER(true),
  INVOICE_REMINDER(true);

  private final boolean reminder;

  CommunicationKind(boolean reminder) {
    this.reminder = reminder;
  }

  public boolean reminder() {
    return reminder;
  }

  /** The database and URL form: {@code quote_sent}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CommunicationKind> fromCode(String code) {
    for (CommunicationKind kind : values()) {
      if (kind.code().equals(code)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
