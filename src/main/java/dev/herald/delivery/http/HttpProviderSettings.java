package dev.herald.delivery.http;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.gateways.<name>.*} of an HTTP provider gateway ({@code type: http}).
 *
 * @param type {@code http}
 * @param url the provider's API base, e.g. {@code https://api.provider.example/v1}; messages are
 *     POSTed to {@code <url>/messages}
 * @param apiKey sent as {@code Authorization: Bearer <api-key>} (never logged, never shown again)
 * @param webhookSecret the key the provider signs its webhooks with (HMAC-SHA256 over {@code
 *     <timestamp>.<body>}); at least 16 characters
 * @param tolerance how far a webhook's timestamp may be from this node's clock (replays older than
 *     that are refused)
 * @param timeout how long one send may take; no answer by then is an unknown outcome
 * @param connectTimeout how long connecting may take; no connection is a transient failure
 * @param concurrency sends in flight at once
 */
record HttpProviderSettings(
    String type,
    String url,
    String apiKey,
    String webhookSecret,
    @DefaultValue("5m") Duration tolerance,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("3s") Duration connectTimeout,
    @DefaultValue("50") int concurrency) {

  static final String TYPE = "http";

  boolean isHttp() {
    return TYPE.equalsIgnoreCase(type);
  }

  HttpProviderSettings validated(String name) {
    String prefix = "herald.delivery.gateways." + name + ".";
    try {
      URI uri = URI.create(url == null ? "" : url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(prefix + "url must be an http(s) address, not " + url);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + "url must be an http(s) address, not " + url, e);
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException(prefix + "api-key is required");
    }
    if (webhookSecret == null || webhookSecret.length() < 16) {
      throw new IllegalArgumentException(
          prefix
              + "webhook-secret is required, at least 16 characters (webhooks are signed with it)");
    }
    if (concurrency < 1
        || timeout.isNegative()
        || timeout.isZero()
        || connectTimeout.isNegative()
        || connectTimeout.isZero()
        || tolerance.isNegative()
        || tolerance.isZero()) {
      throw new IllegalArgumentException(
          prefix
              + "concurrency must be at least 1; timeout, connect-timeout and tolerance longer"
              + " than zero");
    }
    return this;
  }

  @Override
  public String toString() {
    // Never the key, never the secret.
    return "HttpProviderSettings[" + url + "]";
  }
}
