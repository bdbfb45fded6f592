package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.GatewayMessageIds;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.gateways.<name>.*} of an SMPP gateway (one whose {@code type} is {@code
 * smpp}, or that has a {@code host}). The same keys also carry the gateway's rate limits and
 * unknown-outcome policy (DeliverySettings.GatewaySettings).
 *
 * @param type {@code smpp}
 * @param host the SMSC's host
 * @param port the SMSC's port
 * @param systemId the bind's system_id
 * @param password the bind's password (never logged)
 * @param systemType the bind's system_type, often empty
 * @param binds transceiver binds per node (each its own connection)
 * @param window submit_sm outstanding at once per bind
 * @param dataCoding what GSM 03.38 text goes out as: {@code gsm} (data_coding 0, the SMSC's default
 *     alphabet is GSM 03.38), {@code latin1} (data_coding 3, ISO-8859-1 octets) or {@code ia5}
 *     (data_coding 1, ASCII), for SMSCs whose default alphabet is not GSM 03.38; UCS-2 text is
 *     always data_coding 8
 * @param validity {@code relative} (validity_period counted from the SMSC's receipt, default) or
 *     {@code absolute} (UTC), or {@code none}
 * @param enquireLink how often an idle bind checks its link
 * @param responseTimeout how long a bind waits for a submit_sm_resp before it gives the part up as
 *     unknown; longer than the dispatcher's submit timeout, so that a late answer is still heard
 *     and settles its message
 * @param bindTimeout how long a bind waits for bind_transceiver_resp
 * @param reconnectMin first wait before a lost bind connects again; doubles up to reconnectMax
 * @param reconnectMax longest wait between connection attempts
 * @param throttleBackoff how long a bind stops submitting after ESME_RTHROTTLED or ESME_RMSGQFUL;
 *     doubles while the SMSC keeps refusing, up to 16 times this
 * @param receipts whether to ask for delivery receipts (registered_delivery 1)
 * @param submitIdFormat how the SMSC writes ids in submit_sm_resp and receipted_message_id: {@code
 *     text}, {@code hex} or {@code decimal}
 * @param receiptIdFormat how it writes the {@code id:} of a receipt's text; default submitIdFormat
 * @param bindMode {@code transceiver} (one bind_transceiver per bind) or {@code
 *     transmitter-receiver} (a bind_transmitter for submits and a bind_receiver for receipts and
 *     inbound SMS, for SMSCs without transceiver binds)
 */
record SmppSettings(
    String type,
    String host,
    @DefaultValue("2775") int port,
    String systemId,
    String password,
    String systemType,
    @DefaultValue("1") int binds,
    @DefaultValue("10") int window,
    @DefaultValue("gsm") String dataCoding,
    @DefaultValue("relative") String validity,
    @DefaultValue("30s") Duration enquireLink,
    @DefaultValue("60s") Duration responseTimeout,
    @DefaultValue("10s") Duration bindTimeout,
    @DefaultValue("1s") Duration reconnectMin,
    @DefaultValue("60s") Duration reconnectMax,
    @DefaultValue("1s") Duration throttleBackoff,
    @DefaultValue("true") boolean receipts,
    String submitIdFormat,
    String receiptIdFormat,
    @DefaultValue("transceiver") String bindMode) {

  /** Whether these keys describe an SMPP gateway at all (the map holds every gateway's limits). */
  boolean isSmpp() {
    return "smpp".equalsIgnoreCase(type) || ((type == null || type.isBlank()) && host != null);
  }

  /** Refuses what cannot work, naming the key. */
  SmppSettings validated(String name) {
    String prefix = "herald.delivery.gateways." + name + ".";
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(prefix + "host is required for an SMPP gateway");
    }
    if (systemId == null || systemId.isBlank()) {
      throw new IllegalArgumentException(prefix + "system-id is required for an SMPP gateway");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(prefix + "port must be 1..65535, not " + port);
    }
    if (binds < 1 || binds > 64) {
      throw new IllegalArgumentException(prefix + "binds must be 1..64, not " + binds);
    }
    if (window < 1 || window > 1000) {
      throw new IllegalArgumentException(prefix + "window must be 1..1000, not " + window);
    }
    gsmCoding(name);
    validityMode(name);
    splitBinds(name);
    submitFormat();
    receiptFormat();
    for (Duration d :
        new Duration[] {
          enquireLink, responseTimeout, bindTimeout, reconnectMin, reconnectMax, throttleBackoff
        }) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(prefix + "* durations must be longer than zero");
      }
    }
    return this;
  }

  /** The data_coding byte for GSM 03.38 text. */
  byte gsmCoding(String name) {
    return switch (dataCoding.strip().toLowerCase(Locale.ROOT)) {
      case "gsm", "0", "default" -> 0x00;
      case "ia5", "ascii", "1" -> 0x01;
      case "latin1", "iso-8859-1", "3" -> 0x03;
      default ->
          throw new IllegalArgumentException(
              "herald.delivery.gateways."
                  + name
                  + ".data-coding must be gsm, latin1 or ia5, not "
                  + dataCoding);
    };
  }

  String validityMode(String name) {
    String mode = validity.strip().toLowerCase(Locale.ROOT);
    if (!mode.equals("relative") && !mode.equals("absolute") && !mode.equals("none")) {
      throw new IllegalArgumentException(
          "herald.delivery.gateways."
              + name
              + ".validity must be relative, absolute or none, not "
              + validity);
    }
    return mode;
  }

  /** Whether each bind is a transmitter and a receiver rather than one transceiver. */
  boolean splitBinds(String name) {
    return switch (bindMode.strip().toLowerCase(Locale.ROOT)) {
      case "transceiver", "trx" -> false;
      case "transmitter-receiver", "tx-rx", "tx+rx" -> true;
      default ->
          throw new IllegalArgumentException(
              "herald.delivery.gateways."
                  + name
                  + ".bind-mode must be transceiver or transmitter-receiver, not "
                  + bindMode);
    };
  }

  GatewayMessageIds.Format submitFormat() {
    return GatewayMessageIds.Format.of(submitIdFormat);
  }

  GatewayMessageIds.Format receiptFormat() {
    return receiptIdFormat == null || receiptIdFormat.isBlank()
        ? submitFormat()
        : GatewayMessageIds.Format.of(receiptIdFormat);
  }

  @Override
  public String toString() {
    // Never the password.
    return "SmppSettings[" + systemId + "@" + host + ":" + port + ", binds " + binds + "]";
  }
}
