package dev.herald.delivery.internal;

import dev.herald.delivery.http.HttpProviderGateways;
import dev.herald.delivery.kannel.KannelGateways;
import dev.herald.delivery.simulator.SimulatorSmsGateway;
import dev.herald.delivery.smpp.SmppGateways;
import dev.herald.delivery.smpp.SmppSmsGateway;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires real carriers: the gateways' inbox (receipts, inbound SMS, late answers), the SMPP and the
 * Kannel gateways. On shutdown the SMPP binds close after the dispatcher stopped (so the answers of
 * its last batch come in), and the inbox after them, both before the embedded database stops.
 */
@Configuration(proxyBeanMethods = false)
class CarrierConfiguration {

  @Bean(destroyMethod = "")
  CarrierInbox carrierInbox(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      Clock clock,
      ReceiptSettings settings,
      DeliverySettings delivery,
      ApplicationEventPublisher events,
      CreditSettlements credits) {
    TransactionTemplate template = new TransactionTemplate(transactions);
    return new CarrierInbox(
        jdbc,
        template,
        clock,
        settings,
        new InboundMessages(
            jdbc, template, clock, events, delivery.sms().defaultSender(), settings.partWait()),
        credits);
  }

  @Bean(destroyMethod = "")
  SmppGateways smppGateways(
      Environment env, CarrierInbox inbox, Clock clock, MeterRegistry registry) {
    SmppGateways gateways = SmppGateways.fromConfiguration(env, inbox, clock);
    for (SmppSmsGateway gateway : gateways.all()) {
      Gauge.builder("herald.smpp.binds.bound", gateway, SmppSmsGateway::boundBinds)
          .description("SMPP binds of this node that are up and can submit")
          .tag("gateway", gateway.name())
          .register(registry);
      Gauge.builder("herald.smpp.receivers.bound", gateway, SmppSmsGateway::boundReceivers)
          .description("SMPP binds of this node that are up and hear receipts and inbound SMS")
          .tag("gateway", gateway.name())
          .register(registry);
    }
    gateways.start();
    return gateways;
  }

  @Bean
  HttpProviderGateways httpProviderGateways(Environment env, CarrierInbox inbox, Clock clock) {
    return HttpProviderGateways.fromConfiguration(env, inbox, clock);
  }

  @Bean
  KannelGateways kannelGateways(Environment env, CarrierInbox inbox, Clock clock) {
    return KannelGateways.fromConfiguration(env, inbox, clock);
  }

  /** Also lets the simulator report deliveries like a carrier, unless told not to. */
  @Bean
  CarrierLifecycle carrierLifecycle(
      CarrierInbox inbox,
      SmppGateways smpp,
      SimulatorSmsGateway simulator,
      SimulatorSettings simulatorSettings) {
    simulator.hearRepliesThrough(inbox);
    if (simulatorSettings.receipts()) {
      simulator.sendReceiptsTo(inbox, simulatorSettings.receiptDelay());
    }
    return new CarrierLifecycle(inbox, smpp);
  }

  static final class CarrierLifecycle {
    private final CarrierInbox inbox;
    private final SmppGateways smpp;

    CarrierLifecycle(CarrierInbox inbox, SmppGateways smpp) {
      this.inbox = inbox;
      this.smpp = smpp;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
      inbox.start();
    }

    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    void stop() {
      smpp.close();
      inbox.close();
    }
  }
}
