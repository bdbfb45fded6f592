package dev.herald.delivery.gateway;

import java.util.concurrent.CompletableFuture;

/**
 * An SMS gateway, shaped for windowed asynchronous submits: {@link #submit} hands one message over
 * and returns at once; the future completes when the gateway answers (an SMPP submit_sm_resp, an
 * HTTP response). The dispatcher submits a whole batch, calls {@link #flush}, and waits for the
 * answers with a timeout; a future that never completes is an unknown outcome.
 *
 * <p>Delivery receipts (G4) come back through {@link GatewayInbox} with the gateway message ids of
 * {@link SubmitResult.Accepted}, which the dispatcher stores per part: a gateway gives both in the
 * same canonical form ({@link GatewayMessageIds}).
 */
public interface SmsGateway {

  /**
   * The name configuration chooses it by ({@code herald.delivery.sms.gateway}), also its rate-limit
   * key.
   */
  String name();

  CompletableFuture<SubmitResult> submit(SmsSubmission submission);

  /** Everything submitted so far should go out now (a batching gateway sends what it buffered). */
  default void flush() {}
}
