package dev.herald.work;

import dev.herald.shared.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A quote or invoice of a company to one of its contacts, with its lines and totals. */
public record Document(
    UUID id,
    DocumentKind kind,
    int number,
    UUID contactId,
    String contactName,
    LocalDate issueDate,
    LocalDate dueDate,
    DocumentStatus status,
    String note,
    List<Line> lines,
    Money subtotal,
    Money taxTotal,
    Money total,
    Instant sentAt,
    Instant viewedAt,
    Instant answeredAt,
    String answerComment,
    Instant paidAt,
    int version,
    Instant createdAt) {

  /** A line: quantity times unit price is the net amount; its tax is rounded half-even. */
  public record Line(
      String description,
      BigDecimal quantity,
      Money unitPrice,
      BigDecimal taxRate,
      Money net,
      Money tax) {}

  /** The number as printed: {@code INV-00042}. */
  public String displayNumber() {
    return kind.format(number);
  }

  /** The status people see on {@code today} (the company's date): overdue is worked out. */
  public DocumentStatus shownStatus(LocalDate today) {
    if (kind == DocumentKind.INVOICE && status.waiting() && dueDate.isBefore(today)) {
      return DocumentStatus.OVERDUE;
    }
    return status;
  }

  public boolean editable() {
    return status == DocumentStatus.DRAFT;
  }
}
