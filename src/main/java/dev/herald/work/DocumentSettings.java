package dev.herald.work;

import java.util.Currency;
import java.util.List;

/**
 * A company's settings for documents: their currency, payment terms in days, how long a portal link
 * lasts, and the overdue reminders (D3): on or off, days after the due date (invoices) or the
 * sending (quotes), how many at most, at which local hour.
 */
public record DocumentSettings(
    Currency currency,
    int paymentDays,
    int portalLinkDays,
    boolean remindersEnabled,
    List<Integer> reminderDays,
    int maxReminders,
    int reminderHour,
    int version) {

  public DocumentSettings {
    reminderDays = List.copyOf(reminderDays);
  }
}
