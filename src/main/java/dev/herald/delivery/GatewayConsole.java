package dev.herald.delivery;

import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.List;

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
}
