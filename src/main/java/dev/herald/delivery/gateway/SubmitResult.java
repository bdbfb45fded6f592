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
   * Refused for good (invalid number, barred, rejected content): the message fails with this code.
   */
  record PermanentFailure(String code, String message) implements SubmitResult {}
}
