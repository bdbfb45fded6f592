package dev.herald.delivery.http;

import dev.herald.delivery.gateway.GatewayInbox;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/** The HTTP provider gateways configured under {@code herald.delivery.gateways.<name>.*}. */
public final class HttpProviderGateways {

  private final Map<String, HttpProviderSmsGateway> gateways;

  private HttpProviderGateways(Map<String, HttpProviderSmsGateway> gateways) {
    this.gateways = Map.copyOf(gateways);
  }

  /** Reads the configuration; refuses an HTTP gateway whose settings cannot work. */
  public static HttpProviderGateways fromConfiguration(
      Environment env, GatewayInbox inbox, Clock clock) {
    Map<String, HttpProviderSettings> configured =
        Binder.get(env)
            .bind(
                "herald.delivery.gateways",
                Bindable.mapOf(String.class, HttpProviderSettings.class))
            .orElse(Map.of());
    Map<String, HttpProviderSmsGateway> gateways = new LinkedHashMap<>();
    configured.forEach((name, settings) -> {
      if (settings.isHttp()) {
        gateways.put(name, new HttpProviderSmsGateway(name, settings, inbox, clock));
      }
    });
    return new HttpProviderGateways(gateways);
  }

  public List<HttpProviderSmsGateway> all() {
    return List.copyOf(gateways.values());
  }

  Optional<HttpProviderSmsGateway> named(String name) {
    return Optional.ofNullable(gateways.get(name));
  }
}
