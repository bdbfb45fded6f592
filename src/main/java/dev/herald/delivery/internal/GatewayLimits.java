package dev.herald.delivery.internal;

import dev.herald.delivery.internal.DeliverySettings.GatewaySettings;
import java.util.Map;

/**
 * Each gateway's limits and unknown-outcome policy: a console-configured gateway's own (its rate
 * per second), else configuration's ({@code herald.delivery.gateways.<name>.*}) or the built-in
 * defaults. Every routed gateway has its own token bucket under its name.
 */
final class GatewayLimits {

  private final DeliverySettings settings;
  private volatile Map<String, GatewaySettings> console = Map.of();

  GatewayLimits(DeliverySettings settings) {
    this.settings = settings;
  }

  GatewaySettings of(String gateway) {
    GatewaySettings configured = console.get(gateway);
    return configured != null ? configured : settings.gateway(gateway);
  }

  /** The console's gateways' limits, replaced whenever a node applies the console's changes. */
  void useConsole(Map<String, GatewaySettings> limits) {
    this.console = Map.copyOf(limits);
  }
}
