package dev.herald.delivery;

import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SMS gateways as the operator console shows and configures them (G2): each gateway's health
 * across the cluster and traffic, and the routes (an ordered list of gateways per company or per
 * destination country). Routes stored here come before configuration's; every node reads them
 * within {@code herald.delivery.routing.refresh}.
 */
public interface GatewayConsole {

  /**
   * A gateway's state over the cluster: {@code up} (every node's breaker closed), {@code degraded}
   * (open or probing on some nodes), {@code down} (open on every node), {@code unknown} (no node
   * reported lately).
   */
  record GatewayHealthView(
      String name,
      String state,
      int nodes,
      int nodesOpen,
      long sentLastMinute,
      long sentLastHour,
      long errorsLastHour,
      String lastError,
      Instant lastErrorAt,
      boolean isDefault) {}

  /**
   * A route: {@code company} (key the company id, label its name when known) or {@code country}
   * (key the ISO code), the gateways in order, and whether the console stored it (else it comes
   * from configuration and cannot be changed here).
   */
  record RouteView(String scope, String key, List<String> gateways, boolean stored) {}

  List<GatewayHealthView> gateways();

  /** The default route, then country routes, then company routes. */
  List<String> defaultRoute();

  List<RouteView> routes();

  /** Stores a country's route; refuses an unknown country or gateway with the field's problem. */
  void setCountryRoute(String country, List<String> gateways);

  void setCompanyRoute(TenantId company, List<String> gateways);

  /** Removes a stored route (configuration's route for it, if any, applies again). */
  boolean removeCountryRoute(String country);

  boolean removeCompanyRoute(TenantId company);

  // Gateways configured on the console (issue 12, configuration)

  /**
   * A gateway as the console shows it: its kind ({@code smpp}, {@code kannel}, {@code http}), its
   * state ({@code enabled}, {@code disabled}, {@code removing}), its settings without the secrets,
   * which secrets are set (never their values), its rate limit, its version for stale edits, and
   * whether the environment set it (then the console shows it read-only).
   */
  record ConfiguredGateway(
      String name,
      String kind,
      String state,
      Map<String, String> settings,
      Set<String> secretsSet,
      double maxPerSecond,
      int version,
      boolean fromEnvironment) {}

  /**
   * What the console lets the operator type for a gateway: the name (new gateways only), the kind,
   * the settings by key (as {@code herald.delivery.gateways.<name>.*}), the secrets typed now (a
   * blank one keeps what is stored), the rate per second as typed, and the version edited (null for
   * a new gateway).
   */
  record GatewayInput(
      String name,
      String kind,
      Map<String, String> settings,
      Map<String, String> secrets,
      String maxPerSecond,
      Integer version) {}

  /**
   * What removing a gateway touches: routes naming it, messages it may still have (in flight or
   * with an unknown outcome on it), messages it took whose delivery receipt may still come, and
   * when the last of those receipts may come at the latest (null when none waits).
   */
  record RemovalImpact(
      int routes, long unsettledMessages, long awaitingReceipts, Instant receiptsUntil) {

    /** Whether the gateway, once removed, must stay up for what it may still hear of. */
    public boolean waits() {
      return unsettledMessages > 0 || awaitingReceipts > 0;
    }
  }

  /** The settings keys of a kind, in the form's order, and which of them are secrets. */
  static List<String> settingKeys(String kind) {
    return switch (kind) {
      case "smpp" ->
          List.of(
              "host",
              "port",
              "system-id",
              "system-type",
              "binds",
              "window",
              "data-coding",
              "submit-id-format",
              "receipt-id-format",
              PER_SENDER);
      case "kannel" ->
          List.of("sendsms-url", "username", "callback-url", "dlr-mask", "smsc-id", PER_SENDER);
      case "http" -> List.of("url", "timeout", PER_SENDER);
      default -> List.of();
    };
  }

  static List<String> secretKeys(String kind) {
    return switch (kind) {
      case "smpp" -> List.of("password");
      case "kannel" -> List.of("password", "secret");
      case "http" -> List.of("api-key", "webhook-secret");
      default -> List.of();
    };
  }

  /**
   * The setting of every kind that limits each source address (a number or a name) to so many parts
   * per second through the gateway, all nodes together; empty: no such limit.
   */
  String PER_SENDER = "per-sender-per-second";

  /** The kinds the console configures. */
  List<String> KINDS = List.of("smpp", "kannel", "http");

  /** Every gateway: configuration's (read-only) first, then the console's, by name. */
  List<ConfiguredGateway> configuredGateways();

  Optional<ConfiguredGateway> configuredGateway(String name);

  /**
   * Adds a gateway (version null) or changes one; every node starts, restarts or stops its copy
   * within {@code herald.delivery.routing.refresh}. Refuses with every field's problem at once.
   */
  void saveGateway(GatewayInput input);

  /**
   * Enables or disables a console gateway (disabled: no new messages; receipts still heard).
   * Enabling a gateway being removed keeps it.
   */
  boolean setGatewayEnabled(String name, boolean enabled);

  Optional<RemovalImpact> removalImpact(String name);

  /**
   * Removes a console gateway: it takes no new messages at once; it stays up, receiving only, until
   * no message of it is in flight or has an unknown outcome and no message it took still waits for
   * its delivery receipt (until the message's validity and an hour have passed); then every node
   * stops it.
   */
  boolean removeGateway(String name);

  /** Whether secrets can be stored (HERALD_SECRETS_KEY set, or the embedded default's key). */
  boolean secretsAvailable();
}
