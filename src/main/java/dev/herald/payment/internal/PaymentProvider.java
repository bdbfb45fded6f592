package dev.herald.payment.internal;

import dev.herald.payment.PaymentMethod;
import dev.herald.shared.Money;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The provider SPI: a hosted checkout, webhook verification and reading, and a status query. Calls
 * that leave Herald go through {@link ProviderCalls} with a timeout.
 */
public interface PaymentProvider {

  /** The name stored with each payment ({@code sandbox}, {@code stripe}). */
  String name();

  /** What a checkout is for, as the provider needs it. */
  record NewCheckout(
      UUID paymentId,
      String tenantId,
      Money amount,
      String description,
      PaymentMethod method,
      String buyerEmail,
      Locale locale,
      URI returnUrl,
      String idempotencyKey) {}

  /** The provider's session and the page the buyer goes to. */
  record Session(String sessionId, URI url) {}

  Session createCheckout(ProviderAccount account, NewCheckout checkout);

  /**
   * Checks the signature of a webhook post (headers by lower-case name); throws {@link
   * InvalidSignature} when it is wrong or too old.
   */
  void verify(ProviderAccount account, String payload, java.util.Map<String, String> headers);

  /** Reads a verified event; throws {@link UnreadableEvent} when a needed field is missing. */
  ProviderEvent read(String payload);

  /** Asks the provider where a session stands; empty when it says nothing that moves a payment. */
  Optional<ProviderEvent.Outcome> fetch(ProviderAccount account, String sessionId);

  /** Gives up a session at the provider, so the buyer cannot pay it any more. */
  void expire(ProviderAccount account, String sessionId);

  /** A webhook whose signature is missing, wrong, or outside the tolerance. */
  final class InvalidSignature extends RuntimeException {
    public InvalidSignature(String message) {
      super(message, null, false, false);
    }
  }

  /** A verified event that lacks what Herald needs: answered 5xx so the provider retries. */
  final class UnreadableEvent extends RuntimeException {
    public UnreadableEvent(String message) {
      super(message, null, false, false);
    }
  }
}
