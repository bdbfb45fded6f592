package dev.herald.notification.web;

/**
 * Why a message is where it is, in words a company user reads: the delivery queue records its
 * reasons in English for operators and logs ({@code retrying after a transient failure: …}); the
 * pages show them through message keys {@code messages.reason.*}.
 */
final class StatusReasons {

  private StatusReasons() {}

  /** The message key for a recorded reason; null when there is none. */
  static String key(String reason) {
    if (reason == null || reason.isBlank()) {
      return null;
    }
    String r = reason.strip();
    if (r.equals("contact deleted")) {
      return "messages.reason.contactDeleted";
    }
    if (r.equals("SMS locked")) {
      return "messages.reason.smsLocked";
    }
    if (r.equals("plan without SMS")) {
      return "messages.reason.planWithoutSms";
    }
    if (r.equals("no credit")) {
      return "messages.reason.noCredit";
    }
    if (r.equals("no credit, sent by e-mail")) {
      return "messages.reason.noCreditByEmail";
    }
    if (r.startsWith("SMS stopped")) {
      return "messages.reason.smsStopped";
    }
    if (r.startsWith("retrying")) {
      return "messages.reason.retrying";
    }
    if (r.startsWith("gave up")) {
      return "messages.reason.gaveUp";
    }
    if (r.equals("outcome unknown")) {
      return "messages.reason.outcomeUnknown";
    }
    if (r.equals("recipient opted out")) {
      return "messages.reason.optedOut";
    }
    if (r.startsWith("validity passed")) {
      return "messages.reason.expired";
    }
    if (r.startsWith("no node recorded") || r.startsWith("outcome unknown;")) {
      return "messages.reason.noOutcome";
    }
    if (r.startsWith("the carrier could not deliver")) {
      return "messages.reason.undeliverable";
    }
    if (r.startsWith("expired at the carrier")) {
      return "messages.reason.expiredAtCarrier";
    }
    if (r.startsWith("accepted by the gateway, but") || r.startsWith("its outcome could not")) {
      return "messages.reason.unrecordable";
    }
    return "messages.reason.refused";
  }

  /** Lets templates call {@code reasons.key(m.statusReason())}. */
  static final class ForTemplates {
    public String key(String reason) {
      return StatusReasons.key(reason);
    }
  }
}
