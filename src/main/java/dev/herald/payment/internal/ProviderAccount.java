package dev.herald.payment.internal;

import dev.herald.shared.TenantId;

/**
 * A provider account: the operator's (from the environment) or a company's own (from its settings).
 * {@code inbox} names it in the webhook inbox ({@code operator} or {@code company:<id>}), so a
 * company's webhook can only move that company's own payments.
 */
public record ProviderAccount(
    String provider, TenantId company, String secretKey, String webhookSecret) {

  public boolean operator() {
    return company == null;
  }

  public String inbox() {
    return company == null ? "operator" : "company:" + company.value();
  }

  @Override
  public String toString() {
    return provider + "/" + inbox();
  }
}
