package dev.herald.billing;

import dev.herald.shared.TenantId;
import java.util.Currency;
import java.util.Optional;

/**
 * A company's SMS model, currency, low-credit threshold, billing details (buyer), and whether an
 * SMS that finds no credit goes by e-mail instead (on by default).
 */
public record BillingAccount(
    TenantId tenantId,
    Optional<SmsModel> model,
    Currency currency,
    int lowCreditThreshold,
    String buyerName,
    String buyerAddress,
    String buyerSubdivision,
    String buyerVatNumber,
    String buyerEmail,
    int version,
    boolean emailFallback,
    String buyerCountry) {

  public static final int DEFAULT_LOW_CREDIT_THRESHOLD = 50;
}
