package dev.herald.delivery.kannel;

import dev.herald.delivery.gateway.GatewayInbox;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/** The Kannel gateways configured under {@code herald.delivery.gateways.<name>.*}. */
public final class KannelGateways {

  private final Map<String, KannelSmsGateway> gateways;

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

  public List<KannelSmsGateway> all() {
    return List.copyOf(gateways.values());
  }

  Optional<KannelSmsGateway> named(String name) {
    return Optional.ofNullable(gateways.get(name));
  }
}
