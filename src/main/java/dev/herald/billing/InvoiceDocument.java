package dev.herald.billing;

import java.util.List;

/**
 * An invoice worded and formatted in one language: what the page and the PDF both show, from one
 * template fragment.
 */
public record InvoiceDocument(
    String number,
    String status,
    String statusCode,
    String issued,
    String language,
    List<String> seller,
    List<String> buyer,
    List<Row> lines,
    List<Row> taxes,
    String subtotal,
    String taxTotal,
    String total,
    String currency,
    String reverseChargeMention,
    List<String> paymentInstructions) {

  /** A line or a tax: what, how many (lines only), unit price (lines only), amount. */
  public record Row(String label, String quantity, String unitPrice, String amount) {}
}
