package dev.herald.delivery.gateway;

import java.time.Instant;
import java.util.Locale;

/**
 * What a carrier reported about one part it accepted: the part's id in canonical form ({@link
 * GatewayMessageIds}), the state, the carrier's error code (null when none), when it was received.
 */
public record DeliveryReceipt(
    String gateway, String gatewayMessageId, State state, String errorCode, Instant receivedAt) {

  /** A receipt's state, from the many ways carriers write it. */
  public enum State {
    DELIVERED,
    FAILED,
    EXPIRED,
    /** Not final: en route, accepted, buffered; settles nothing. */
    PENDING,
    /** A state this parser does not know; kept, settles nothing. */
    UNKNOWN;

    /** The database form. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state from a receipt's {@code stat:} text, tolerating vendors' spellings (DELIVRD,
     * DELIVERED, UNDELIV, REJECTD, EXPIRD, ...).
     */
    public static State ofText(String stat) {
      if (stat == null || stat.isBlank()) {
        return UNKNOWN;
      }
      // "delivery_failed", "Delivery-Failed" and "DELIVERY FAILED" are one name
      String s = stat.strip().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
      if (s.startsWith("EXPIR")) {
        return EXPIRED;
      }
      // Failures first: providers' names for them often start like "delivered" (MessageBird's and
      // Telnyx's delivery_failed, "not delivered").
      if (s.contains("FAIL")
          || s.startsWith("UNDELIV")
          || s.startsWith("NOT_DELIV")
          || s.startsWith("NON_DELIV")
          || s.startsWith("REJECT")
          || s.startsWith("DELET")
          || s.startsWith("CANCEL")
          || s.startsWith("ABORT")
          || s.startsWith("ERR")
          || s.equals("NACK")) {
        return FAILED;
      }
      if (s.equals("DELIVRD")
          || s.equals("DELIVERD")
          || s.startsWith("DELIVERED")
          || s.equals("DLVRD")
          || s.equals("OK")) {
        return DELIVERED;
      }
      if (s.startsWith("DELIV") // Telnyx's delivery_unconfirmed: sent, no receipt (yet)
          || s.startsWith("ENROUTE")
          || s.startsWith("ACCEPT")
          || s.startsWith("BUFFER")
          || s.startsWith("BUFFRED")
          || s.equals("SENT")
          || s.equals("ACKED")) {
        return PENDING;
      }
      return UNKNOWN;
    }

    /** The state from the SMPP message_state TLV (1 ENROUTE ... 8 REJECTED). */
    public static State ofMessageState(int value) {
      return switch (value) {
        case 2 -> DELIVERED;
        case 3 -> EXPIRED;
        case 4, 5, 8 -> FAILED;
        case 1, 6 -> PENDING;
        default -> UNKNOWN;
      };
    }

    /** Whether it settles its part: delivered, failed or expired. */
    public boolean isFinal() {
      return this == DELIVERED || this == FAILED || this == EXPIRED;
    }
  }
}
