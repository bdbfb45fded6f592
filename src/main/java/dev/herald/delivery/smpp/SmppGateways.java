package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.GatewayInbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
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

  /**
   * An SMPP gateway configured on the operator console (not started): the same keys as {@code
   * herald.delivery.gateways.<name>.*} (kebab-case, without the prefix); refused with the key's
   * name when they cannot work.
   */
  public static SmppSmsGateway create(
      String name, Map<String, String> properties, GatewayInbox inbox, Clock clock) {
    SmppSettings settings =
        new Binder(new MapConfigurationPropertySource(prefixed(properties)))
            .bindOrCreate("gateway", Bindable.of(SmppSettings.class));
    return new SmppSmsGateway(name, settings, inbox, clock);
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

  private static Map<String, String> prefixed(Map<String, String> properties) {
    Map<String, String> out = new java.util.HashMap<>();
    properties.forEach((k, v) -> out.put("gateway." + k, v));
    return out;
  }
}
