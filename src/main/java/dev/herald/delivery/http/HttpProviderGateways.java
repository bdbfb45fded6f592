package dev.herald.delivery.http;

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

/** The HTTP provider gateways configured under {@code herald.delivery.gateways.<name>.*}. */
public final class HttpProviderGateways {

  private final Map<String, HttpProviderSmsGateway> gateways;
  private final Map<String, HttpProviderSmsGateway> console = new ConcurrentHashMap<>();

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

  /**
   * A gateway configured on the operator console: the same keys as {@code
   * herald.delivery.gateways.<name>.*} (kebab-case, without the prefix); refused with the key's
   * name when they cannot work.
   */
  public static HttpProviderSmsGateway create(
      String name, Map<String, String> properties, GatewayInbox inbox, Clock clock) {
    HttpProviderSettings settings =
        new Binder(new MapConfigurationPropertySource(prefixed(properties)))
            .bindOrCreate("gateway", Bindable.of(HttpProviderSettings.class));
    return new HttpProviderSmsGateway(name, settings, inbox, clock);
  }

  /** The console's gateways this node runs now, heard on their callbacks like configuration's. */
  public void useConsole(Map<String, HttpProviderSmsGateway> gateways) {
    console.clear();
    console.putAll(gateways);
  }

  public List<HttpProviderSmsGateway> all() {
    return List.copyOf(gateways.values());
  }

  Optional<HttpProviderSmsGateway> named(String name) {
    HttpProviderSmsGateway configured = gateways.get(name);
    return Optional.ofNullable(configured != null ? configured : console.get(name));
  }

  private static Map<String, String> prefixed(Map<String, String> properties) {
    Map<String, String> out = new java.util.HashMap<>();
    properties.forEach((k, v) -> out.put("gateway." + k, v));
    return out;
  }
}
