package dev.herald.billing;

import dev.herald.shared.Language;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** One of Herald's invoices to a company (H4), as issued: details are copies, never live. */
public record Invoice(
    TenantId tenantId,
    UUID id,
    String number,
    String kind,
    String status,
    Language language,
    Instant issuedAt,
    Instant paidAt,
    Party seller,
    Party buyer,
    boolean reverseCharge,
    List<Line> lines,
    List<Tax> taxes,
    Money subtotal,
    Money taxTotal,
    Money total,
    PaymentInstructions payment) {

  /** Where to transfer the money, with the creditor reference; null when not paid by transfer. */
  public record PaymentInstructions(
      String accountHolder, String iban, String bic, String reference, LocalDate payBy) {}

  public record Party(
      String name, String address, String country, String subdivision, String taxNumbers) {}

  /** kind: block, overage or pack; quantity blocks or packs of {@code sms} SMS each. */
  public record Line(
      String kind,
      int quantity,
      long sms,
      Money unitPrice,
      Money amount,
      LocalDate periodStart,
      LocalDate periodEnd) {}

  public record Tax(String name, BigDecimal rate, Money amount) {}

  public boolean open() {
    return "open".equals(status);
  }
}
