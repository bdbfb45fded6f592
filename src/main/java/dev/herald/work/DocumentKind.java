package dev.herald.work;

import java.util.Locale;
import java.util.Optional;

/** A quote (to approve or decline) or an invoice (to pay) that a company sends its customer. */
public enum DocumentKind {
  QUOTE("Q-"),
  INVOICE("INV-");

  private final String prefix;

  DocumentKind(String prefix) {
    this.prefix = prefix;
  }

  /** The database, URL and API form: {@code quote}, {@code invoice}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The number as printed: {@code Q-00042}, {@code INV-00042}. */
  public String format(int number) {
    return prefix + String.format(Locale.ROOT, "%05d", number);
  }

  public static Optional<DocumentKind> fromCode(String code) {
    for (DocumentKind kind : values()) {
      if (kind.code().equalsIgnoreCase(code == null ? "" : code.strip())) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
