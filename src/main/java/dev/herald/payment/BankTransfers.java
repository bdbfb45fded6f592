package dev.herald.payment;

import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The operator's side of manual bank transfers: what is expected, and recording what arrived. */
public interface BankTransfers {

  /** A transfer Herald waits for (also after its order expired), oldest first. */
  record Expected(
      UUID paymentId,
      TenantId tenantId,
      String creditorReference,
      Money amount,
      LocalDate expectedBy,
      PaymentStatus status) {}

  /** A received transfer that did not settle a payment by itself, for the operator to settle. */
  record Flagged(
      UUID id,
      String reference,
      Money amount,
      LocalDate receivedOn,
      String reason,
      UUID paymentId) {}

  /** What recording a transfer did. */
  enum Outcome {
    /** The amount was right: the payment settled ({@link PaymentSettled} was published). */
    SETTLED,
    /** The same transfer was recorded before; nothing changed. */
    ALREADY_RECORDED,
    /** Kept with a flag (wrong amount, unknown reference, payment already settled). */
    FLAGGED
  }

  List<Expected> expected();

  List<Flagged> flagged();

  /**
   * Records a transfer the operator's bank received. The reference is read as a person types it
   * (spaces, case); the right amount settles the payment, any other amount is kept flagged.
   */
  Outcome record(String reference, Money amount, LocalDate receivedOn, String recordedBy);
}
