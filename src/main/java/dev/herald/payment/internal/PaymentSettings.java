package dev.herald.payment.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.payment.*}: which provider takes the operator's payments, how long a provider call
 * may take, the operator's Stripe account, the sandbox, the operator's bank details, the key that
 * seals companies' provider keys, and test hooks (never set in production).
 *
 * @param provider {@code sandbox} or {@code stripe}; empty: the sandbox with the embedded database,
 *     Stripe otherwise
 * @param callTimeout how long a call to a provider may take before it counts as failed
 * @param secretsKey base64 of 32 bytes (AES-256) that seals companies' provider keys; empty: the
 *     embedded default keeps one in its data folder, a production start refuses to store keys
 */
@ConfigurationProperties("herald.payment")
public record PaymentSettings(
    String provider,
    @DefaultValue("10s") Duration callTimeout,
    String secretsKey,
    @DefaultValue Sandbox sandbox,
    @DefaultValue Stripe stripe,
    @DefaultValue Bank bank,
    @DefaultValue TestHooks testHooks) {

  /**
   * The sandbox: its events are signed with {@code webhookSecret} (empty: a random one per
   * process); a "needs a moment" card settles after {@code asyncDelay}.
   */
  public record Sandbox(String webhookSecret, @DefaultValue("3s") Duration asyncDelay) {}

  /**
   * The operator's Stripe account; {@code apiBase} is where the API is (tests point it at
   * WireMock); {@code tolerance} is how old a signed webhook may be.
   */
  public record Stripe(
      String secretKey,
      String webhookSecret,
      @DefaultValue("https://api.stripe.com") String apiBase,
      @DefaultValue("300s") Duration tolerance) {}

  /** The operator's bank account for transfers; empty: demo values in the embedded default. */
  public record Bank(String accountHolder, String iban, String bic) {}

  /**
   * Test hooks: {@code pauseInEvent} makes the processing of a provider event stop for that long
   * after it took the event and changed the payment, before it commits (for the kill -9 test).
   */
  public record TestHooks(Duration pauseInEvent) {}
}
