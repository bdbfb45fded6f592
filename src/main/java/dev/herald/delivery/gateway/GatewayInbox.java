package dev.herald.delivery.gateway;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where gateways hand what carriers send back: delivery receipts, inbound SMS, and answers that
 * came after the dispatcher stopped waiting. Each future completes once what it carries is stored
 * durably, so a gateway acknowledges the carrier only then (a receipt lost in a crash is resent by
 * the carrier, not forgotten).
 */
public interface GatewayInbox {

  CompletableFuture<Void> receipts(List<DeliveryReceipt> receipts);

  CompletableFuture<Void> inbound(List<InboundSms> messages);

  /**
   * The carrier accepted a submission after the dispatcher had stopped waiting for its answer (its
   * outcome is unknown): this is news that settles it, and the ids let its receipts match.
   */
  void lateAccepted(String gateway, SmsSubmission submission, List<String> gatewayMessageIds);
}
