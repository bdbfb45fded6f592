package dev.herald.payment;

import dev.herald.shared.Money;
import java.net.URI;
import java.time.LocalDate;
import java.util.UUID;

/** What the buyer does next to pay: go to a hosted checkout page, or make a bank transfer. */
public sealed interface Checkout {

  UUID paymentId();

  /** Card, wallets and PayPal: the provider's (or the sandbox's) hosted checkout page. */
  record Redirect(UUID paymentId, URI url) implements Checkout {}

  /**
   * Bank transfer: the payee's bank details and an ISO 11649 creditor reference ("RF" + check
   * digits) that the buyer types into their bank; expected to arrive by {@code expectedBy}.
   */
  record BankTransfer(
      UUID paymentId,
      Money amount,
      String accountHolder,
      String iban,
      String bic,
      String creditorReference,
      LocalDate expectedBy)
      implements Checkout {}
}
