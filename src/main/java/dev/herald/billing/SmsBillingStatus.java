package dev.herald.billing;

import dev.herald.shared.Money;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a company stands (H1, H2): its model, and either its prepaid balance or this period's
 * usage, blocks, overage so far and the next invoice's estimate (before tax).
 */
public record SmsBillingStatus(
    Optional<SmsModel> model,
    String currency,
    int lowCreditThreshold,
    long balance,
    Optional<SmsSubscription> subscription,
    int blockSize,
    Money blockPrice,
    Instant periodStart,
    Instant periodEnd,
    long used,
    long blocksStarted,
    long overageBlocks,
    Money overageSoFar,
    Money nextInvoiceEstimate) {

  public boolean packs() {
    return model.isPresent() && model.get() == SmsModel.PACKS;
  }

  public boolean blocks() {
    return model.isPresent() && model.get() == SmsModel.BLOCKS;
  }

  /** Prepaid credit is used up: SMS stop until credit is added. */
  public boolean usedUp() {
    return packs() && balance == 0;
  }

  /** Prepaid credit is at or below the admin's threshold, not yet zero. */
  public boolean low() {
    return packs() && balance > 0 && balance <= lowCreditThreshold;
  }
}
