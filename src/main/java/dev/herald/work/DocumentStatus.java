package dev.herald.work;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a document stands. Stored: draft, sent, viewed, approved and declined (quotes), paid
 * (invoices). Overdue is never stored: it is a sent or viewed invoice past its due date, as of the
 * company's today.
 */
public enum DocumentStatus {
  DRAFT,
  SENT,
  VIEWED,
  APPROVED,
  DECLINED,
  PAID,
  OVERDUE;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Sent or viewed: waiting for the customer's answer or payment. */
  public boolean waiting() {
    return this == SENT || this == VIEWED || this == OVERDUE;
  }

  public static Optional<DocumentStatus> fromCode(String code) {
    for (DocumentStatus status : values()) {
      if (status.code().equalsIgnoreCase(code == null ? "" : code.strip())) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
