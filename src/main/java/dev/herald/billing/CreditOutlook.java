package dev.herald.billing;

import java.util.Set;
import java.util.UUID;

/**
 * What a reservation would do now (see {@link Credits#outlook}): which references credit would
 * cover and how many units, whether the company may send SMS at all, its prepaid balance (packs),
 * and whether an SMS without credit would go by e-mail instead.
 */
public record CreditOutlook(
    Set<UUID> covered,
    long units,
    boolean smsAvailable,
    long balance,
    boolean prepaid,
    boolean emailFallback) {

  public CreditOutlook {
    covered = Set.copyOf(covered);
  }

  /** The prepaid balance after these units (packs); 0 on a postpaid model. */
  public long balanceAfter() {
    return prepaid ? balance - units : 0;
  }
}
