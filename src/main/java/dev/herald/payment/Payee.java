package dev.herald.payment;

import dev.herald.shared.TenantId;
import java.util.Objects;

/**
 * Who receives a payment: the operator (a company buying SMS from Herald) or a company (its own
 * customer paying one of its invoices, through the company's own provider account).
 */
public sealed interface Payee {

  /** The operator running Herald; its provider account comes from the environment. */
  record Operator() implements Payee {}

  /** A company; its provider account is the one stored in its settings. */
  record Company(TenantId tenantId) implements Payee {
    public Company {
      Objects.requireNonNull(tenantId, "tenantId");
    }
  }

  static Payee operator() {
    return new Operator();
  }

  static Payee company(TenantId tenantId) {
    return new Company(tenantId);
  }
}
