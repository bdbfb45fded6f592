package dev.herald.payment.internal;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The operator's bank account that transfers go to: {@code herald.payment.bank.*}, or demo values
 * in the embedded default. A production start without them offers no bank transfer.
 */
@Component
public class BankDetails {

  /** An account a buyer transfers to. */
  public record Account(String holder, String iban, String bic) {}

  private final Account operator;

  BankDetails(PaymentSettings settings, Environment env) {
    PaymentSettings.Bank bank = settings.bank();
    if (bank.iban() != null && !bank.iban().isBlank()) {
      this.operator =
          new Account(
              bank.accountHolder() == null ? "" : bank.accountHolder(),
              bank.iban(),
              bank.bic() == null ? "" : bank.bic());
    } else if (env.getProperty("herald.embedded-database.active", Boolean.class, false)) {
      this.operator = new Account("Herald Demo ApS", "DK50 0040 0440 1162 43", "NDEADKKK");
    } else {
      this.operator = null;
    }
  }

  public boolean available() {
    return operator != null;
  }

  public Account operator() {
    if (operator == null) {
      throw new IllegalStateException(
          "No bank account for transfers: set HERALD_PAYMENT_BANK_IBAN (and _ACCOUNTHOLDER, _BIC)");
    }
    return operator;
  }
}
