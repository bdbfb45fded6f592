package dev.herald.delivery.internal;

import dev.herald.delivery.OutboundMessages;
import dev.herald.tenant.SmsStopped;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When a company may no longer send SMS (A1, B1), its SMS still waiting, retries included, are
 * cancelled in the same transaction; only a batch already handed to a gateway goes out.
 */
@Component
class SmsStops {

  private final OutboundMessages outbound;

  SmsStops(OutboundMessages outbound) {
    this.outbound = outbound;
  }

  @EventListener
  void on(SmsStopped stopped) {
    outbound.cancelQueuedSms(stopped.tenantId(), stopped.reason());
  }
}
