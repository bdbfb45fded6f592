package dev.herald.notification;

import dev.herald.contact.SmsOptedIn;
import dev.herald.contact.SmsOptedOut;
import dev.herald.delivery.Channel;
import dev.herald.delivery.Suppressions;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps delivery's suppression list equal to the contacts' SMS opt-outs, in the transaction that
 * records the opt-out: from its commit on, nothing more goes to that number (waiting messages are
 * cancelled, and a retry or a message in flight is not submitted again).
 */
@Component
class OptOutSuppressions {

  static final String OPTED_OUT = "recipient opted out";

  private final Suppressions suppressions;

  OptOutSuppressions(Suppressions suppressions) {
    this.suppressions = suppressions;
  }

  @EventListener
  void on(SmsOptedOut event) {
    suppressions.suppress(event.tenantId(), Channel.SMS, event.number(), OPTED_OUT);
  }

  @EventListener
  void on(SmsOptedIn event) {
    suppressions.lift(event.tenantId(), Channel.SMS, event.number());
  }
}
