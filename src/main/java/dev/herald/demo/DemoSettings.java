package dev.herald.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo: on by default only with the embedded database. {@code password} and {@code apiKey}
 * ({@code HERALD_DEMO_PASSWORD}, {@code HERALD_DEMO_API_KEY}) fix the credentials for scripts.
 */
@ConfigurationProperties("herald.demo")
record DemoSettings(
    Boolean enabled, String password, String apiKey, String ownerEmail, String operatorEmail) {

  DemoSettings {
    ownerEmail = ownerEmail == null ? "owner@demo.herald.test" : ownerEmail;
    operatorEmail = operatorEmail == null ? "operator@herald.test" : operatorEmail;
  }
}
