package dev.herald.delivery.internal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.*}: dispatch workers, retries and gateways. Every value has a default, so
 * the embedded default needs none.
 *
 * @param workerEnabled whether this node dispatches at all (a web-only node says false)
 * @param nodeId this node's name in attempts and simulator records; default host name and pid
 * @param workers dispatch loops on this node (virtual threads; each holds one pooled connection
 *     while it works a batch)
 * @param batchSize messages claimed per loop and round trip
 * @param lease how long a claim lasts: a claimed row whose node died is claimed again after it
 * @param pollInterval how often an idle worker looks without a NOTIFY (the slow fallback)
 * @param maxAttempts attempts before a message that keeps failing transiently fails for good
 * @param backoffBase delay after the first transient failure; doubles per attempt, with jitter
 * @param backoffMax the longest delay between attempts
 * @param submitTimeout how long a batch waits for the gateway's answers; later is transient
 * @param gateways per gateway name: {@code max-per-second} and {@code burst}
 */
@ConfigurationProperties("herald.delivery")
record DeliverySettings(
    @DefaultValue("true") boolean workerEnabled,
    String nodeId,
    @DefaultValue("2") int workers,
    @DefaultValue("500") int batchSize,
    @DefaultValue("30s") Duration lease,
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("8") int maxAttempts,
    @DefaultValue("10s") Duration backoffBase,
    @DefaultValue("1h") Duration backoffMax,
    @DefaultValue("10s") Duration submitTimeout,
    @DefaultValue Sms sms,
    @DefaultValue Email email,
    Map<String, GatewayLimit> gateways) {

  /**
   * @param gateway which SMS gateway: {@code simulator} (default) or another registered name
   * @param defaultSender the sender when the company has no SMS sender name
   */
  record Sms(
      @DefaultValue("simulator") String gateway, @DefaultValue("Herald") String defaultSender) {}

  /**
   * @param gateway {@code smtp}, {@code mail-sink}, or empty: smtp when {@code spring.mail.host} is
   *     set, else the mail sink
   * @param from the From address of every e-mail
   */
  record Email(String gateway, @DefaultValue("herald@localhost") String from) {}

  /**
   * @param maxPerSecond messages per second through this gateway, all nodes together
   * @param burst tokens the bucket holds at most; default a tenth of a second's worth, at least 1
   */
  record GatewayLimit(double maxPerSecond, Double burst) {

    double effectiveBurst() {
      return burst != null && burst > 0 ? burst : Math.max(1, maxPerSecond / 10);
    }
  }

  private static final Map<String, GatewayLimit> DEFAULT_LIMITS =
      Map.of(
          "simulator", new GatewayLimit(10_000, null),
          "mail-sink", new GatewayLimit(1_000, null),
          "smtp", new GatewayLimit(20, null));

  DeliverySettings {
    if (nodeId == null || nodeId.isBlank()) {
      nodeId = defaultNodeId();
    }
    gateways = gateways == null ? Map.of() : Map.copyOf(gateways);
    if (workers < 1 || batchSize < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "herald.delivery: workers, batch-size and max-attempts must be at least 1");
    }
  }

  GatewayLimit limitOf(String gateway) {
    GatewayLimit limit = gateways.get(gateway);
    if (limit == null) {
      limit = DEFAULT_LIMITS.getOrDefault(gateway, new GatewayLimit(100, null));
    }
    return limit;
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "herald";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
