package dev.herald.delivery.gateway;

import java.util.List;

/** A gateway's answer to one submission. */
public sealed interface SubmitResult {

  /** Taken: the gateway's id of each part, in part order (for delivery receipts). */
  record Accepted(List<String> gatewayMessageIds) implements SubmitResult {
    public Accepted {
      gatewayMessageIds = List.copyOf(gatewayMessageIds);
    }
  }

  /** Not taken this time (throttled, busy, disconnected, timed out): try again later. */
  record TransientFailure(String code, String message) implements SubmitResult {}

  /**
   * No answer, or an answer lost (a timeout, a session that dropped after the submit): the gateway
   * may have the message. Not retried at once: the message waits for news (a receipt, a status
   * query) for the gateway's window, then is resubmitted or failed by its policy.
   */
  record Unknown(String code, String message) implements SubmitResult {}

  /**
   * Refused for good (invalid number, barred, rejected content): the message fails with this code.
   * gatewayCannot: the refusal says "this gateway cannot" (its account is refused or out of funds,
   * the destination is not served), not "this message cannot": routing hands the message to the
   * next gateway of its route, and fails it only when none is left.
   */
  record PermanentFailure(String code, String message, boolean gatewayCannot)
      implements SubmitResult {

    public PermanentFailure(String code, String message) {
      this(code, message, false);
    }

    /** A refusal that means "this gateway cannot": another gateway may take the message. */
    public static PermanentFailure gatewayCannot(String code, String message) {
      return new PermanentFailure(code, message, true);
    }
  }
}
