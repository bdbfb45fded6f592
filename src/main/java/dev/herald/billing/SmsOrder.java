package dev.herald.billing;

import dev.herald.payment.PaymentMethod;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/**
 * A company's order of an SMS pack, or of the monthly subscription's first block (H3, H1). Amounts
 * are empty while it is a draft: they are frozen from the server's price list when it moves to
 * awaiting payment.
 */
public record SmsOrder(
    TenantId tenantId,
    UUID id,
    Status status,
    Kind kind,
    UUID packId,
    int sms,
    java.util.Currency currency,
    String buyerName,
    String buyerAddress,
    String buyerCountry,
    String buyerVatNumber,
    String buyerEmail,
    Optional<PaymentMethod> method,
    Optional<Money> subtotal,
    Optional<Money> taxTotal,
    Optional<Money> total,
    boolean reverseCharge,
    UUID paymentId,
    UUID invoiceId,
    String checkoutUrl,
    BankDetails bank,
    String failureReason,
    Instant createdAt,
    Instant expiresAt,
    Instant paidAt) {

  /**
   * The order's states; paid, failed, cancelled and expired end it (a late transfer still pays).
   */
  public enum Status {
    DRAFT,
    AWAITING_PAYMENT,
    PAID,
    FAILED,
    CANCELLED,
    EXPIRED;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Status fromCode(String code) {
      return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** What is bought: a pack of prepaid credit, or the monthly subscription's first block. */
  public enum Kind {
    PACK,
    FIRST_BLOCK;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Kind fromCode(String code) {
      return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Where a bank transfer goes, with its creditor reference and expected date; null otherwise. */
  public record BankDetails(
      String accountHolder,
      String iban,
      String bic,
      String creditorReference,
      LocalDate expectedBy) {}

  public boolean draft() {
    return status == Status.DRAFT;
  }

  public boolean awaitingPayment() {
    return status == Status.AWAITING_PAYMENT;
  }

  public boolean paid() {
    return status == Status.PAID;
  }

  public boolean firstBlock() {
    return kind == Kind.FIRST_BLOCK;
  }

  public boolean byBankTransfer() {
    return method.isPresent() && method.get() == PaymentMethod.BANK_TRANSFER;
  }

  /** The details step was done: the order may go on to the method and the confirmation. */
  public boolean hasDetails() {
    return buyerName != null && buyerCountry != null && buyerEmail != null;
  }
}
