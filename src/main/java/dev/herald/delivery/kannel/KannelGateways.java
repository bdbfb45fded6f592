package dev.herald.delivery.kannel;

import dev.herald.delivery.gateway.GatewayInbox;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.Environment;

/** The Kannel gateways configured under {@code herald.delivery.gateways.<name>.*}. */
public final class KannelGateways {

  private final Map<String, KannelSmsGateway> gateways;
  private final Map<String, KannelSmsGateway> console = new ConcurrentHashMap<>();

  private KannelGateways(Map<String, KannelSmsGateway> gateways) {
    this.gateways = Map.copyOf(gateways);
  }

  /** Reads the configuration; refuses a Kannel gateway whose settings cannot work. */
  public static KannelGateways fromConfiguration(Environment env, GatewayInbox inbox, Clock clock) {
    Map<String, KannelSettings> configured =
        Binder.get(env)
            .bind("herald.delivery.gateways", Bindable.mapOf(String.class, KannelSettings.class))
            .orElse(Map.of());
    Map<String, KannelSmsGateway> gateways = new LinkedHashMap<>();
    configured.forEach((name, settings) -> {
      if (settings.isKannel()) {
        gateways.put(name, new KannelSmsGateway(name, settings, inbox, clock));
      }
    });
    return new KannelGateways(gateways);
  }

  /**
   * A gateway configured on the operator console: the same keys as {@code
   * herald.delivery.gateways.<name>.*} (kebab-case, without the prefix); refused with the key's
   * name when they cannot work.
   */
  public static KannelSmsGateway create(
      String name, Map<String, String> properties, GatewayInbox inbox, Clock clock) {
    KannelSettings settings =
        new Binder(new MapConfigurationPropertySource(prefixed(properties)))
            .bindOrCreate("gateway", Bindable.of(KannelSettings.class));
    return new KannelSmsGateway(name, settings, inbox, clock);
  }

  /** The console's gateways this node runs now, heard on their callbacks like configuration's. */
  public void useConsole(Map<String, KannelSmsGateway> gateways) {
    console.clear();
    console.putAll(gateways);
  }

  public List<KannelSmsGateway> all() {
    return List.copyOf(gateways.values());
  }

  Optional<KannelSmsGateway> named(String name) {
    KannelSmsGateway configured = gateways.get(name);
    return Optional.ofNullable(configured != null ? configured : console.get(name));
  }

  private static Map<String, String> prefixed(Map<String, String> properties) {
    Map<String, String> out = new java.util.HashMap<>();
    properties.forEach((k, v) -> out.put("gateway." + k, v));
    return out;
  }
}
