package dev.herald.delivery.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Routing and failover (G2): the gateways' breakers and health, the routes, handed to the
 * dispatcher; a loop per node reads the console's routes and writes its gateways' health every
 * {@code herald.delivery.routing.refresh}.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

  @Bean
  GatewayHealth gatewayHealth(
      RoutingSettings routing,
      Gateways gateways,
      MeterRegistry registry,
      JdbcClient jdbc,
      Clock clock,
      DeliverySettings settings) {
    return new GatewayHealth(
        routing.breaker(), gateways.smsNames(), registry, jdbc, clock, settings.nodeId());
  }

  @Bean
  GatewayRoutes gatewayRoutes(
      RoutingSettings routing,
      Gateways gateways,
      GatewayHealth health,
      JdbcClient jdbc,
      Dispatcher dispatcher) {
    GatewayRoutes routes =
        new GatewayRoutes(routing, gateways.sms().name(), gateways.smsNames(), health, jdbc);
    dispatcher.routeWith(routes);
    return routes;
  }

  @Bean
  GatewayConsoleService gatewayConsole(JdbcClient jdbc, Clock clock, GatewayRoutes routes) {
    return new GatewayConsoleService(jdbc, clock, routes);
  }

  @Bean
  RoutingRefresh routingRefresh(GatewayRoutes routes, GatewayHealth health, RoutingSettings s) {
    return new RoutingRefresh(routes, health, s);
  }

  static final class RoutingRefresh {
    private static final Logger log = LoggerFactory.getLogger(RoutingRefresh.class);
    private final GatewayRoutes routes;
    private final GatewayHealth health;
    private final RoutingSettings settings;
    private volatile Thread loop;

    RoutingRefresh(GatewayRoutes routes, GatewayHealth health, RoutingSettings settings) {
      this.routes = routes;
      this.health = health;
      this.settings = settings;
    }

    /** Once now (before dispatch needs the routes), then every refresh. */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void start() {
      once();
      loop =
          Thread.ofVirtual()
              .name("herald-routing-refresh")
              .start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    Thread.sleep(settings.refresh());
                  } catch (InterruptedException e) {
                    return;
                  }
                  once();
                }
              });
    }

    private void once() {
      try {
        routes.refresh();
        health.publish();
      } catch (RuntimeException e) {
        log.warn("Routing refresh: {}", e.toString());
      }
    }

    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE + 20)
    void stop() throws InterruptedException {
      Thread t = loop;
      if (t != null) {
        t.interrupt();
        t.join(2000);
      }
    }
  }
}
