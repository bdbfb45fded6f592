package dev.herald.delivery.internal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.*}: dispatch workers, retries and gateways. Every value has a default, so
 * the embedded default needs none. Refused at start when the lease could end while its node is
 * still waiting for a gateway's answers.
 *
 * @param workerEnabled whether this node dispatches at all (a web-only node says false)
 * @param nodeId this node's name in attempts and simulator records; default host name and pid
 * @param workers dispatch loops per channel on this node, unless {@code sms.workers} or {@code
 *     email.workers} says otherwise (virtual threads; a loop holds a connection only inside its
 *     short claim and record transactions, never while a gateway works)
 * @param batchSize messages (and rate-limit tokens, in parts) claimed per loop and round trip
 * @param lease how long a claim lasts; a claim whose lease ends unrecorded is an unknown outcome
 * @param cycleAllowance what a cycle needs besides the submit timeout (claim, record, a slow
 *     database); the lease must be longer than the submit timeout plus this
 * @param maxLeaseLapses a message whose lease lapsed this many times fails (never claimed forever)
 * @param pollInterval how often an idle worker looks without a NOTIFY (the slow fallback)
 * @param maxAttempts attempts before a message that keeps failing transiently fails for good
 * @param backoffBase delay after the first transient failure; doubles per attempt, with jitter
 * @param backoffMax the longest delay between attempts
 * @param submitTimeout how long a batch waits for the gateway's answers; later is an unknown
 *     outcome
 * @param maxClockSkew a node whose clock differs from the database's by more does not dispatch
 * @param oldestDueWarning the age of the oldest due message that turns the backlog health group
 *     DOWN
 * @param workerRestart the first wait before a dead worker is started again; doubles up to 30 s
 * @param gateways per gateway name: limits and the unknown-outcome policy
 */
@ConfigurationProperties("herald.delivery")
record DeliverySettings(
    @DefaultValue("true") boolean workerEnabled,
    String nodeId,
    @DefaultValue("2") int workers,
    @DefaultValue("500") int batchSize,
    @DefaultValue("30s") Duration lease,
    @DefaultValue("5s") Duration cycleAllowance,
    @DefaultValue("3") int maxLeaseLapses,
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("8") int maxAttempts,
    @DefaultValue("10s") Duration backoffBase,
    @DefaultValue("1h") Duration backoffMax,
    @DefaultValue("10s") Duration submitTimeout,
    @DefaultValue("5s") Duration maxClockSkew,
    @DefaultValue("10m") Duration oldestDueWarning,
    @DefaultValue("500ms") Duration workerRestart,
    @DefaultValue Sms sms,
    @DefaultValue Email email,
    Map<String, GatewaySettings> gateways) {

  /**
   * @param gateway which SMS gateway: {@code simulator} (default) or another registered name
   * @param defaultSender the sender when the company has no SMS sender name
   * @param workers SMS dispatch loops on this node; 0: {@code herald.delivery.workers}
   */
  record Sms(
      @DefaultValue("simulator") String gateway,
      @DefaultValue("Herald") String defaultSender,
      @DefaultValue("0") int workers) {}

  /**
   * @param gateway {@code smtp}, {@code mail-sink}, or empty: smtp when {@code spring.mail.host} is
   *     set, else the mail sink
   * @param from the From address of every e-mail
   * @param workers e-mail dispatch loops on this node; 0: {@code herald.delivery.workers}
   */
  record Email(
      String gateway,
      @DefaultValue("herald@localhost") String from,
      @DefaultValue("0") int workers) {}

  /**
   * @param maxPerSecond parts (SMS PDUs, or e-mails) per second through this gateway, all nodes
   *     together; 0 or less: no limit
   * @param burst tokens the bucket holds at most; default a tenth of a second's worth, at least 1
   * @param perSenderPerSecond parts per second from one sender (a long number takes about 1); 0 or
   *     unset: no such limit
   * @param unknownOutcomeWindow how long a submit with an unknown outcome waits for news
   * @param unknownOutcomePolicy after that window: {@code resubmit} (a further attempt) or {@code
   *     fail}
   */
  record GatewaySettings(
      double maxPerSecond,
      Double burst,
      Double perSenderPerSecond,
      Duration unknownOutcomeWindow,
      String unknownOutcomePolicy) {

    GatewaySettings {
      if (maxPerSecond < 0
          || (burst != null && burst < 0)
          || (perSenderPerSecond != null && perSenderPerSecond < 0)) {
        throw new IllegalArgumentException(
            "herald.delivery.gateways.*: max-per-second, burst and per-sender-per-second must not"
                + " be negative");
      }
      if (unknownOutcomeWindow != null
          && unknownOutcomeWindow.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "herald.delivery.gateways.*.unknown-outcome-window must be at least 1 s, not "
                + unknownOutcomeWindow
                + ": a submit with no answer must wait for news before it is sent again");
      }
      if (unknownOutcomePolicy != null
          && !unknownOutcomePolicy.equals("resubmit")
          && !unknownOutcomePolicy.equals("fail")) {
        throw new IllegalArgumentException(
            "herald.delivery.gateways.*.unknown-outcome-policy must be resubmit or fail, not "
                + unknownOutcomePolicy);
      }
    }

    double effectiveBurst() {
      return burst != null && burst > 0 ? burst : Math.max(1, maxPerSecond / 10);
    }

    double senderRate() {
      return perSenderPerSecond == null ? 0 : perSenderPerSecond;
    }

    double senderBurst() {
      return Math.max(1, senderRate() / 10);
    }

    Duration window() {
      return unknownOutcomeWindow == null ? Duration.ofMinutes(5) : unknownOutcomeWindow;
    }

    String policy() {
      return unknownOutcomePolicy == null ? "resubmit" : unknownOutcomePolicy;
    }

    GatewaySettings overriding(GatewaySettings defaults) {
      return new GatewaySettings(
          maxPerSecond != 0 ? maxPerSecond : defaults.maxPerSecond,
          burst != null ? burst : defaults.burst,
          perSenderPerSecond != null ? perSenderPerSecond : defaults.perSenderPerSecond,
          unknownOutcomeWindow != null ? unknownOutcomeWindow : defaults.unknownOutcomeWindow,
          unknownOutcomePolicy != null ? unknownOutcomePolicy : defaults.unknownOutcomePolicy);
    }
  }

  private static final Map<String, GatewaySettings> DEFAULTS =
      Map.of(
          "simulator", new GatewaySettings(10_000, null, null, Duration.ofSeconds(30), null),
          "mail-sink", new GatewaySettings(1_000, null, null, Duration.ofSeconds(30), null),
          "smtp", new GatewaySettings(20, null, null, Duration.ofMinutes(10), null));

  DeliverySettings {
    if (nodeId == null || nodeId.isBlank()) {
      nodeId = defaultNodeId();
    }
    gateways = gateways == null ? Map.of() : Map.copyOf(gateways);
    if (workers < 1 || batchSize < 1 || maxAttempts < 1 || maxLeaseLapses < 1) {
      throw new IllegalArgumentException(
          "herald.delivery: workers, batch-size, max-attempts and max-lease-lapses must be at"
              + " least 1");
    }
    for (var d :
        Map.of(
                "lease", lease,
                "cycle-allowance", cycleAllowance,
                "poll-interval", pollInterval,
                "backoff-base", backoffBase,
                "backoff-max", backoffMax,
                "submit-timeout", submitTimeout,
                "max-clock-skew", maxClockSkew,
                "oldest-due-warning", oldestDueWarning,
                "worker-restart", workerRestart)
            .entrySet()) {
      if (d.getValue().isNegative() || d.getValue().isZero()) {
        throw new IllegalArgumentException(
            "herald.delivery." + d.getKey() + " must be longer than zero, not " + d.getValue());
      }
    }
    if (sms.workers() < 0 || email.workers() < 0) {
      throw new IllegalArgumentException("herald.delivery: sms.workers and email.workers >= 0");
    }
    if (lease.compareTo(submitTimeout.plus(cycleAllowance)) <= 0) {
      throw new IllegalArgumentException(
          "herald.delivery.lease ("
              + lease
              + ") must be longer than submit-timeout ("
              + submitTimeout
              + ") plus cycle-allowance ("
              + cycleAllowance
              + "): a lease that ends while its node still waits for the gateway would let"
              + " another node take the message as an unknown outcome");
    }
  }

  GatewaySettings gateway(String name) {
    GatewaySettings defaults =
        DEFAULTS.getOrDefault(name, new GatewaySettings(100, null, null, null, null));
    GatewaySettings configured = gateways.get(name);
    return configured == null ? defaults : configured.overriding(defaults);
  }

  int smsWorkers() {
    return sms.workers() > 0 ? sms.workers() : workers;
  }

  int emailWorkers() {
    return email.workers() > 0 ? email.workers() : workers;
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
