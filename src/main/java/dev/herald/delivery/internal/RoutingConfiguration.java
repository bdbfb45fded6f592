package dev.herald.delivery.internal;

import dev.herald.delivery.http.HttpProviderGateways;
import dev.herald.delivery.kannel.KannelGateways;
import dev.herald.shared.SecretsBox;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
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
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Routing and failover (G2): the gateways' breakers and health, the routes, handed to the
 * dispatcher; a loop per node reads the console's routes and writes its gateways' health every
 * {@code herald.delivery.routing.refresh}.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RoutingConfiguration.class);

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
  GatewayLimits gatewayLimits(DeliverySettings settings) {
    return new GatewayLimits(settings);
  }

  @Bean
  GatewayRoutes gatewayRoutes(
      RoutingSettings routing,
      Gateways gateways,
      GatewayHealth health,
      JdbcClient jdbc,
      Dispatcher dispatcher,
      GatewayLimits limits) {
    GatewayRoutes routes =
        new GatewayRoutes(routing, gateways.sms().name(), gateways.smsNames(), health, jdbc);
    routes.limitWith(limits);
    dispatcher.routeWith(routes, limits);
    return routes;
  }

  /**
   * The console's gateways, started here (before dispatch starts), so that a route naming one never
   * falls through for want of it at start.
   */
  @Bean(destroyMethod = "")
  ConsoleGateways consoleGateways(
      RoutingSettings routing,
      JdbcClient jdbc,
      Clock clock,
      Environment env,
      CarrierInbox inbox,
      Gateways gateways,
      GatewayRoutes routes,
      GatewayLimits limits,
      GatewayHealth health,
      HttpProviderGateways http,
      KannelGateways kannel,
      DeliverySettings settings) {
    SecretsBox box =
        new SecretsBox(
            SecretsBox.resolveKey(
                env.getProperty("herald.delivery.secrets-key", ""),
                env.getProperty("herald.embedded-database.active", Boolean.class, false),
                env.getProperty("herald.embedded-database.durable", Boolean.class, true),
                Path.of(env.getProperty("herald.data-dir", "./data"))));
    ConsoleGateways console =
        new ConsoleGateways(
            jdbc,
            clock,
            box,
            inbox,
            gateways,
            routes,
            limits,
            health,
            http,
            kannel,
            settings,
            // every node applies the console's rows each refresh: two of them, and all have
            routing.refresh().multipliedBy(2));
    try {
      console.apply();
    } catch (RuntimeException e) {
      log.warn("Console gateways not started yet: {}", e.toString());
    }
    return console;
  }

  @Bean
  GatewayConsoleService gatewayConsole(
      JdbcClient jdbc, Clock clock, GatewayRoutes routes, ConsoleGateways console) {
    return new GatewayConsoleService(jdbc, clock, routes, console);
  }

  @Bean
  RoutingRefresh routingRefresh(
      GatewayRoutes routes, GatewayHealth health, RoutingSettings s, ConsoleGateways console) {
    return new RoutingRefresh(routes, health, s, console);
  }

  static final class RoutingRefresh {
    private static final Logger log = LoggerFactory.getLogger(RoutingRefresh.class);
    private final GatewayRoutes routes;
    private final GatewayHealth health;
    private final RoutingSettings settings;
    private final ConsoleGateways console;
    private volatile Thread loop;

    RoutingRefresh(
        GatewayRoutes routes,
        GatewayHealth health,
        RoutingSettings settings,
        ConsoleGateways console) {
      this.routes = routes;
      this.health = health;
      this.settings = settings;
      this.console = console;
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
        console.apply();
      } catch (RuntimeException e) {
        log.warn("Console gateways: {}", e.toString());
      }
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

    /** After the dispatcher stopped (its last batch answered), like the configured SMPP binds. */
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE + 11)
    void stopConsoleGateways() {
      console.close();
    }
  }
}
