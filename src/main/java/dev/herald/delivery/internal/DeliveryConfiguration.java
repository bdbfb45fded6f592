package dev.herald.delivery.internal;

import dev.herald.delivery.Channel;
import dev.herald.delivery.gateway.EmailGateway;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.http.HttpProviderGateways;
import dev.herald.delivery.kannel.KannelGateways;
import dev.herald.delivery.mail.MailSinkEmailGateway;
import dev.herald.delivery.mail.SmtpEmailGateway;
import dev.herald.delivery.simulator.SimulatorSmsGateway;
import dev.herald.delivery.smpp.SmppGateways;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the dispatch machinery and the built-in gateways. */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

  @Bean
  SimulatorSmsGateway simulatorSmsGateway(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      Clock clock,
      DeliverySettings settings) {
    return new SimulatorSmsGateway(
        jdbc, new TransactionTemplate(transactions), clock, settings.nodeId());
  }

  @Bean
  MailSinkEmailGateway mailSinkEmailGateway(
      JdbcClient jdbc, Clock clock, DeliverySettings settings) {
    return new MailSinkEmailGateway(jdbc, clock, settings.nodeId());
  }

  @Bean
  Gateways deliveryGateways(
      List<SmsGateway> smsGateways,
      List<EmailGateway> emailGateways,
      ObjectProvider<JavaMailSender> mailSender,
      DeliverySettings settings,
      Environment env,
      SmppGateways smppGateways,
      KannelGateways kannelGateways,
      HttpProviderGateways httpGateways) {
    List<SmsGateway> sms = new ArrayList<>(smsGateways);
    sms.addAll(smppGateways.all());
    sms.addAll(kannelGateways.all());
    sms.addAll(httpGateways.all());
    List<EmailGateway> email = new ArrayList<>(emailGateways);
    JavaMailSender sender = mailSender.getIfAvailable();
    if (sender != null && email.stream().noneMatch(g -> g.name().equals(SmtpEmailGateway.NAME))) {
      email.add(new SmtpEmailGateway(sender));
    }
    String emailName = settings.email().gateway();
    if (emailName == null || emailName.isBlank()) {
      boolean smtpConfigured = env.getProperty("spring.mail.host", "").isBlank() == false;
      emailName = smtpConfigured ? SmtpEmailGateway.NAME : MailSinkEmailGateway.NAME;
    }
    return new Gateways(sms, settings.sms().gateway(), email, emailName);
  }

  @Bean
  WorkSignal deliveryWorkSignal() {
    return new WorkSignal();
  }

  @Bean
  ClockCheck deliveryClockCheck(JdbcClient jdbc, Clock clock, DeliverySettings settings) {
    return new ClockCheck(jdbc, clock, settings.maxClockSkew());
  }

  @Bean
  Dispatcher dispatcher(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      DeliverySettings settings,
      Gateways gateways,
      Clock clock,
      WorkSignal signal,
      MeterRegistry registry,
      CreditSettlements creditSettlements,
      ClockCheck clockCheck) {
    TransactionTemplate template = new TransactionTemplate(transactions);
    DispatchStore store = new DispatchStore(jdbc, template, settings, clock, creditSettlements);
    store.limitSendersWith(new SenderLimits(jdbc));
    Dispatcher dispatcher =
        new Dispatcher(
            store,
            new RateLimiter(jdbc, template),
            settings,
            gateways,
            clock,
            signal,
            new DispatchMetrics(registry),
            clockCheck);
    return dispatcher;
  }

  @Bean
  DispatchHealth dispatchHealth(
      Dispatcher dispatcher,
      DeliverySettings settings,
      JdbcClient jdbc,
      Clock clock,
      MeterRegistry registry,
      ClockCheck clockCheck) {
    DispatchHealth health = new DispatchHealth(dispatcher, settings, jdbc, clock, clockCheck);
    for (Channel channel : Channel.values()) {
      String tag = channel.code();
      Gauge.builder("herald.dispatch.workers.alive", dispatcher, d -> d.aliveWorkers().get(channel))
          .description("Dispatch workers of this node that are alive")
          .tag("channel", tag)
          .register(registry);
      Gauge.builder("herald.dispatch.queue.depth", health, h -> h.stats().depth().get(channel))
          .description("Messages due now (waiting, in flight, or with an unknown outcome)")
          .tag("channel", tag)
          .register(registry);
      Gauge.builder(
              "herald.dispatch.queue.oldest.age",
              health,
              h -> h.stats().oldestAge().get(channel).toMillis() / 1000.0)
          .description("Seconds the oldest due message has been due")
          .baseUnit("seconds")
          .tag("channel", tag)
          .register(registry);
    }
    return health;
  }

  @Bean
  HealthIndicator dispatchHealthIndicator(DispatchHealth health) {
    return health.workers();
  }

  @Bean
  HealthIndicator dispatchBacklogHealthIndicator(DispatchHealth health) {
    return health.backlog();
  }

  @Bean
  WakeUpListener deliveryWakeUpListener(Environment env, WorkSignal signal) {
    return new WakeUpListener(
        env.getRequiredProperty("spring.datasource.url"),
        env.getProperty("spring.datasource.username"),
        env.getProperty("spring.datasource.password"),
        signal);
  }
}
