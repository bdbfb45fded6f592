package dev.herald.work;

import java.util.List;
import java.util.UUID;

/**
 * A document as typed into the form or sent by an integrator, not yet checked: amounts, quantities
 * and rates as written ({@code 1250,50} or {@code 1250.50}), dates as ISO {@code 2026-11-30}; a
 * blank issue date is today, a blank due date follows the company's payment terms.
 */
public record DocumentInput(
    String kind,
    UUID contactId,
    String issueDate,
    String dueDate,
    String note,
    List<LineInput> lines) {

  public record LineInput(String description, String quantity, String unitPrice, String taxRate) {

    public boolean blank() {
      return isBlank(description) && isBlank(quantity) && isBlank(unitPrice) && isBlank(taxRate);
    }

    private static boolean isBlank(String s) {
      return s == null || s.isBlank();
    }
  }

  public DocumentInput {
    lines = lines == null ? List.of() : List.copyOf(lines);
  }
}
