package dev.herald.billing;

import java.util.Set;
import java.util.UUID;

/**
 * The answer of a reservation: which references got credit (the rest are {@code no_credit}), why
 * none did when SMS is not available to the company at all, and whether the company wants an SMS
 * without credit sent by e-mail instead (its setting, on by default).
 */
public record CreditReservation(
    Set<UUID> reserved, long units, Refusal refusal, boolean emailFallback) {

  /** Why a whole reservation was refused before any credit was looked at. */
  public enum Refusal {
    NONE,
    /** No SMS model chosen, a plan without SMS (Free), or SMS locked. */
    NO_SMS
  }

  public CreditReservation {
    reserved = Set.copyOf(reserved);
  }

  static CreditReservation noSms() {
    return new CreditReservation(Set.of(), 0, Refusal.NO_SMS, false);
  }

  public boolean isReserved(UUID reference) {
    return reserved.contains(reference);
  }
}
