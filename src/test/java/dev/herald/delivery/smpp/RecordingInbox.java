package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.GatewayInbox;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.delivery.gateway.SmsSubmission;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An inbox that keeps what a gateway hands it in memory, or refuses to store it. */
final class RecordingInbox implements GatewayInbox {

  record Late(String gateway, SmsSubmission submission, List<String> ids) {}

  final List<DeliveryReceipt> receipts = new CopyOnWriteArrayList<>();
  final List<InboundSms> inbound = new CopyOnWriteArrayList<>();
  final List<Late> late = new CopyOnWriteArrayList<>();
  volatile boolean failing;

  @Override
  public CompletableFuture<Void> receipts(List<DeliveryReceipt> list) {
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("database down"));
    }
    receipts.addAll(list);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> inbound(List<InboundSms> messages) {
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("database down"));
    }
    inbound.addAll(messages);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void lateAccepted(String gateway, SmsSubmission submission, List<String> ids) {
    late.add(new Late(gateway, submission, ids));
  }
}
