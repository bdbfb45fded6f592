package dev.herald.delivery.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.routing.*}: which SMS gateways a message may go by, in order, and when a
 * gateway counts as failing (G2). Routes stored by the operator console come before these.
 *
 * @param defaultRoute the route of a message no company or country route covers; empty: only {@code
 *     herald.delivery.sms.gateway}
 * @param countries per destination country (ISO 3166 alpha-2, upper case): its route
 * @param companies per company id: its route
 * @param refresh how often a node reads the routes stored by the console and writes its gateways'
 *     health for the console
 * @param breaker the circuit breaker each node keeps per gateway over its recent results
 */
@ConfigurationProperties("herald.delivery.routing")
record RoutingSettings(
    List<String> defaultRoute,
    Map<String, List<String>> countries,
    Map<String, List<String>> companies,
    @DefaultValue("5s") Duration refresh,
    @DefaultValue Breaker breaker) {

  RoutingSettings {
    defaultRoute = defaultRoute == null ? List.of() : List.copyOf(defaultRoute);
    // environment variables arrive in lower case (HERALD_DELIVERY_ROUTING_COUNTRIES_SE: "se")
    Map<String, List<String>> upper = new java.util.HashMap<>();
    if (countries != null) {
      countries.forEach((k, v) -> upper.put(k.toUpperCase(java.util.Locale.ROOT), List.copyOf(v)));
    }
    countries = Map.copyOf(upper);
    companies = companies == null ? Map.of() : Map.copyOf(companies);
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException(
          "herald.delivery.routing.refresh must be longer than zero");
    }
    for (String country : countries.keySet()) {
      if (!country.matches("[A-Z]{2}")) {
        throw new IllegalArgumentException(
            "herald.delivery.routing.countries." + country + ": a country is two capital letters");
      }
    }
  }

  /**
   * @param window the results a breaker looks at (the last N submits)
   * @param minimumCalls results needed before it may open
   * @param failureRate the percentage of failures (transient, unknown, "this gateway cannot") that
   *     opens it
   * @param openFor how long it stays open before it lets a few probes through (half-open)
   * @param probes submits let through while half-open; all must do well to close it
   */
  record Breaker(
      @DefaultValue("20") int window,
      @DefaultValue("5") int minimumCalls,
      @DefaultValue("50") float failureRate,
      @DefaultValue("30s") Duration openFor,
      @DefaultValue("3") int probes) {

    Breaker {
      if (window < 1
          || minimumCalls < 1
          || probes < 1
          || failureRate <= 0
          || failureRate > 100
          || openFor.isNegative()
          || openFor.isZero()) {
        throw new IllegalArgumentException(
            "herald.delivery.routing.breaker: window, minimum-calls and probes at least 1,"
                + " failure-rate in (0, 100], open-for longer than zero");
      }
    }
  }
}
