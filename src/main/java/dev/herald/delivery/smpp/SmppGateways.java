package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.GatewayInbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The SMPP gateways configured under {@code herald.delivery.gateways.<name>.*} (those with {@code
 * type: smpp} or a {@code host}); each binds as soon as it is made, so that it is up when dispatch
 * starts.
 */
public final class SmppGateways implements AutoCloseable {

  private final List<SmppSmsGateway> gateways;

  private SmppGateways(List<SmppSmsGateway> gateways) {
    this.gateways = List.copyOf(gateways);
  }

  /** Reads the configuration; refuses an SMPP gateway whose settings cannot work. */
  public static SmppGateways fromConfiguration(Environment env, GatewayInbox inbox, Clock clock) {
    Map<String, SmppSettings> configured =
        Binder.get(env)
            .bind("herald.delivery.gateways", Bindable.mapOf(String.class, SmppSettings.class))
            .orElse(Map.of());
    List<SmppSmsGateway> gateways = new ArrayList<>();
    configured.forEach((name, settings) -> {
      if (settings.isSmpp()) {
        gateways.add(new SmppSmsGateway(name, settings, inbox, clock));
      }
    });
    return new SmppGateways(gateways);
  }

  public List<SmppSmsGateway> all() {
    return gateways;
  }

  public void start() {
    gateways.forEach(SmppSmsGateway::start);
  }

  @Override
  public void close() {
    gateways.forEach(SmppSmsGateway::close);
  }
}
