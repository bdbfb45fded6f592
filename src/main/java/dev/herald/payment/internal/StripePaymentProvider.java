package dev.herald.payment.internal;

import com.stripe.StripeClient;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.checkout.SessionCreateParams;
import dev.herald.payment.PaymentMethod;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe Checkout Sessions (mode payment, one line with the amount; cards bring Apple Pay and
 * Google Pay, or PayPal), one {@link StripeClient} per account with its own key, API base and
 * timeouts. Webhooks are verified with Stripe's scheme and tolerance; events are read from the raw
 * JSON, so an event of another {@code api_version} than stripe-java's is still understood.
 */
@Component
public class StripePaymentProvider implements PaymentProvider {

  private static final Logger log = LoggerFactory.getLogger(StripePaymentProvider.class);
  private static final JsonMapper json = JsonMapper.builder().build();

  private final PaymentSettings settings;
  private final Clock clock;

  StripePaymentProvider(PaymentSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "stripe";
  }

  private StripeClient client(ProviderAccount account) {
    if (account.secretKey() == null || account.secretKey().isBlank()) {
      throw new IllegalStateException("No Stripe secret key for " + account);
    }
    int timeout = (int) settings.callTimeout().toMillis();
    return StripeClient.builder()
        .setApiKey(account.secretKey())
        .setApiBase(settings.stripe().apiBase())
        .setConnectTimeout(Math.min(timeout, 5_000))
        .setReadTimeout(timeout)
        .setMaxNetworkRetries(1)
        .build();
  }

  @Override
  public PaymentProvider.Session createCheckout(ProviderAccount account, NewCheckout c) {
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(SessionCreateParams.Mode.PAYMENT)
            .setSuccessUrl(c.returnUrl().toString())
            .setCancelUrl(c.returnUrl().toString())
            .setClientReferenceId(c.paymentId().toString())
            .putMetadata("payment_id", c.paymentId().toString())
            .putMetadata("tenant_id", c.tenantId())
            .setLocale(locale(c.locale()))
            .addPaymentMethodType(
                c.method() == PaymentMethod.PAYPAL
                    ? SessionCreateParams.PaymentMethodType.PAYPAL
                    : SessionCreateParams.PaymentMethodType.CARD)
            .addLineItem(
                SessionCreateParams.LineItem.builder()
                    .setQuantity(1L)
                    .setPriceData(
                        SessionCreateParams.LineItem.PriceData.builder()
                            .setCurrency(
                                c.amount().currency().getCurrencyCode().toLowerCase(Locale.ROOT))
                            .setUnitAmount(c.amount().minorUnits())
                            .setProductData(
                                SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                    .setName(
                                        c.description().isBlank() ? "Payment" : c.description())
                                    .build())
                            .build())
                    .build());
    if (c.buyerEmail() != null) {
      params.setCustomerEmail(c.buyerEmail());
    }
    try {
      com.stripe.model.checkout.Session session =
          client(account)
              .v1()
              .checkout()
              .sessions()
              .create(
                  params.build(),
                  RequestOptions.builder().setIdempotencyKey(c.idempotencyKey()).build());
      return new PaymentProvider.Session(session.getId(), URI.create(session.getUrl()));
    } catch (StripeException e) {
      throw new IllegalStateException("Stripe refused the checkout: " + e.getMessage(), e);
    }
  }

  private static SessionCreateParams.Locale locale(Locale locale) {
    return switch (locale.getLanguage()) {
      case "da" -> SessionCreateParams.Locale.DA;
      case "fr" -> SessionCreateParams.Locale.FR;
      case "en" -> SessionCreateParams.Locale.EN;
      default -> SessionCreateParams.Locale.AUTO;
    };
  }

  @Override
  public void verify(ProviderAccount account, String payload, Map<String, String> headers) {
    String header = headers.get("stripe-signature");
    if (header == null || account.webhookSecret() == null || account.webhookSecret().isBlank()) {
      throw new InvalidSignature("no signature, or no signing secret configured");
    }
    // Stripe's scheme bounds only the age; a timestamp far in the future is refused as well.
    java.util.regex.Matcher t = java.util.regex.Pattern.compile("(?:^|,)t=(\\d+)").matcher(header);
    if (t.find()
        && Long.parseLong(t.group(1)) - clock.instant().getEpochSecond()
            > settings.stripe().tolerance().toSeconds()) {
      throw new InvalidSignature("a timestamp in the future");
    }
    try {
      Webhook.Signature.verifyHeader(
          payload,
          header,
          account.webhookSecret(),
          settings.stripe().tolerance().toSeconds(),
          clock);
    } catch (SignatureVerificationException e) {
      throw new InvalidSignature(e.getMessage());
    }
  }

  @Override
  public ProviderEvent read(String payload) {
    JsonNode root = json.readTree(payload);
    String id = PaymentInbox.text(root.path("id"));
    String type = PaymentInbox.text(root.path("type"));
    String apiVersion = PaymentInbox.text(root.path("api_version"));
    if (apiVersion != null && !apiVersion.equals(com.stripe.Stripe.API_VERSION)) {
      log.debug("Stripe event {} of api_version {} read from its raw JSON", id, apiVersion);
    }
    if (type == null) {
      throw new UnreadableEvent("a Stripe event without a type");
    }
    ProviderEvent.Outcome outcome;
    String reason = null;
    JsonNode object = root.path("data").path("object");
    switch (type) {
      case "checkout.session.completed" -> {
        String paid = PaymentInbox.text(object.path("payment_status"));
        if (paid == null) {
          throw new UnreadableEvent("checkout.session.completed without payment_status");
        }
        outcome =
            paid.equals("paid") || paid.equals("no_payment_required")
                ? ProviderEvent.Outcome.SETTLED
                : ProviderEvent.Outcome.PROCESSING;
      }
      case "checkout.session.async_payment_succeeded" -> outcome = ProviderEvent.Outcome.SETTLED;
      case "checkout.session.async_payment_failed" -> {
        outcome = ProviderEvent.Outcome.FAILED;
        reason = "async_failed";
      }
      case "checkout.session.expired" -> outcome = ProviderEvent.Outcome.EXPIRED;
      default -> {
        return new ProviderEvent(id, type, null, null, ProviderEvent.Outcome.IGNORED, null);
      }
    }
    String session = PaymentInbox.text(object.path("id"));
    if (session == null) {
      throw new UnreadableEvent(type + " without data.object.id");
    }
    String payment = PaymentInbox.text(object.path("client_reference_id"));
    if (payment == null) {
      payment = PaymentInbox.text(object.path("metadata").path("payment_id"));
    }
    UUID paymentId = null;
    try {
      paymentId = payment == null ? null : UUID.fromString(payment);
    } catch (IllegalArgumentException notOurs) {
      // A session another integration of the same account made.
    }
    return new ProviderEvent(id, type, session, paymentId, outcome, reason);
  }

  @Override
  public Optional<ProviderEvent.Outcome> fetch(ProviderAccount account, String sessionId) {
    try {
      com.stripe.model.checkout.Session s =
          client(account).v1().checkout().sessions().retrieve(sessionId);
      if ("expired".equals(s.getStatus())) {
        return Optional.of(ProviderEvent.Outcome.EXPIRED);
      }
      if ("complete".equals(s.getStatus())) {
        return Optional.of(
            "unpaid".equals(s.getPaymentStatus())
                ? ProviderEvent.Outcome.PROCESSING
                : ProviderEvent.Outcome.SETTLED);
      }
      return Optional.empty();
    } catch (StripeException e) {
      throw new IllegalStateException("Stripe did not tell the session: " + e.getMessage(), e);
    }
  }

  @Override
  public void expire(ProviderAccount account, String sessionId) {
    try {
      client(account).v1().checkout().sessions().expire(sessionId);
    } catch (StripeException e) {
      throw new IllegalStateException("Stripe did not expire the session: " + e.getMessage(), e);
    }
  }
}
