package dev.herald.work;

import java.util.List;

/**
 * A document worded in one language, every value formatted: what its page, the portal and its PDF
 * show (templates/documents/sheet.html).
 */
public record DocumentSheet(
    String title,
    String number,
    String issued,
    String due,
    String dueLabel,
    String status,
    String statusCode,
    String language,
    List<String> seller,
    List<String> buyer,
    List<Row> lines,
    String subtotal,
    String taxTotal,
    String total,
    String currency,
    String note) {

  /** One line as printed. */
  public record Row(
      String description, String quantity, String unitPrice, String taxRate, String amount) {}
}
