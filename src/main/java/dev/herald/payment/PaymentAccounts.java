package dev.herald.payment;

import dev.herald.shared.TenantId;

/** Whether a company can take its customers' payments online (its own account, or the sandbox). */
public interface PaymentAccounts {

  boolean takesOnlinePayments(TenantId company);
}
