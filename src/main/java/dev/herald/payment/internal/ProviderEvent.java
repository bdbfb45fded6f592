package dev.herald.payment.internal;

import java.util.UUID;

/**
 * A provider's event as Herald reads it: which session (and, when it says, which payment), and what
 * it means for the payment.
 */
public record ProviderEvent(
    String eventId, String type, String sessionId, UUID paymentId, Outcome outcome, String reason) {

  /** What an event means for its payment. */
  public enum Outcome {
    /** The money arrived. */
    SETTLED,
    /** The buyer finished; the money is on its way. */
    PROCESSING,
    /** Declined or failed. */
    FAILED,
    /** The checkout expired unpaid. */
    EXPIRED,
    /** An event Herald does not act on. */
    IGNORED
  }
}
