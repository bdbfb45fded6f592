package dev.herald.delivery;

import java.util.UUID;

/** Drafts for delivery tests. */
final class DeliveryFixtures {

  private DeliveryFixtures() {}

  static OutboundDraft anSms(String number, String text) {
    return new OutboundDraft(Channel.SMS, null, number, null, text, true);
  }

  static OutboundDraft anSms(String text) {
    return anSms(
        "+4520" + String.format("%06d", Math.floorMod(UUID.randomUUID().hashCode(), 1_000_000)),
        text);
  }

  static OutboundDraft anEmail(String address, String subject, String body) {
    return new OutboundDraft(Channel.EMAIL, null, address, subject, body, false);
  }

  /** 200 GSM-7 characters: two parts of 153 and 47. */
  static String aTwoPartText() {
    return "Your appointment with Green Gardens is confirmed for Tuesday at 09:30. "
        .repeat(3)
        .substring(0, 200);
  }
}
