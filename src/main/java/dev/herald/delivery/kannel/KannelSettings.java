package dev.herald.delivery.kannel;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.gateways.<name>.*} of a Kannel gateway ({@code type: kannel}).
 *
 * @param type {@code kannel}
 * @param sendsmsUrl smsbox's sendsms address, e.g. {@code http://127.0.0.1:13013/cgi-bin/sendsms}
 * @param username a sendsms-user of smsbox
 * @param password its password (never logged)
 * @param callbackUrl where smsbox reaches this Herald for delivery reports ({@code dlr-url}), e.g.
 *     {@code https://herald.example.com}; inbound SMS come to {@code
 *     <callback-url>/carriers/kannel/<name>/inbound?secret=...&from=%p&to=%P&text=%b&coding=%c&charset=%C}
 *     (smsbox's get-url)
 * @param secret in every callback, so that only this Kannel is heard: letters, digits, '-' and '_',
 *     at least 16 of them
 * @param dlrMask which reports to ask for: 1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16
 *     SMSC rejected (default 19: delivered, failed, rejected)
 * @param smscId send through this smsc-id of bearerbox (none: Kannel's routing)
 * @param timeout how long one sendsms call may take; no answer by then is an unknown outcome
 * @param concurrency sendsms calls in flight at once
 */
record KannelSettings(
    String type,
    String sendsmsUrl,
    String username,
    String password,
    String callbackUrl,
    String secret,
    @DefaultValue("19") int dlrMask,
    String smscId,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("50") int concurrency) {

  boolean isKannel() {
    return "kannel".equalsIgnoreCase(type);
  }

  KannelSettings validated(String name) {
    String prefix = "herald.delivery.gateways." + name + ".";
    requireUrl(prefix + "sendsms-url", sendsmsUrl);
    requireUrl(prefix + "callback-url", callbackUrl);
    if (username == null || username.isBlank() || password == null) {
      throw new IllegalArgumentException(
          prefix + "username and password (a sendsms-user of smsbox) are required");
    }
    if (secret == null || !secret.matches("[A-Za-z0-9_-]{16,200}")) {
      throw new IllegalArgumentException(
          prefix
              + "secret is required: at least 16 letters, digits, '-' or '_' (Kannel calls Herald"
              + " back with it)");
    }
    if (dlrMask < 0
        || dlrMask > 31
        || concurrency < 1
        || timeout.isNegative()
        || timeout.isZero()) {
      throw new IllegalArgumentException(
          prefix + "dlr-mask must be 0..31, concurrency at least 1, timeout longer than zero");
    }
    return this;
  }

  private static void requireUrl(String key, String value) {
    try {
      URI uri = URI.create(value == null ? "" : value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(key + " must be an http(s) address, not " + value);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be an http(s) address, not " + value, e);
    }
  }

  @Override
  public String toString() {
    return "KannelSettings[" + username + " at " + sendsmsUrl + "]";
  }
}
