package dev.herald.payment;

import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Fixtures for payments: checkout requests, and webhook posts signed as the providers sign. */
public final class PaymentFixtures {

  public static final String SANDBOX_SECRET = "sandbox-secret-for-tests-0123456789";
  private static final HttpClient http = HttpClient.newHttpClient();

  private PaymentFixtures() {}

  /** An SMS order of {@code minor} DKK øre, paid to the operator by card. */
  public static CheckoutRequest anSmsOrder(TenantId tenant, long minor, PaymentMethod method) {
    return new CheckoutRequest(
        tenant,
        Payee.operator(),
        ReferenceKind.SMS_ORDER,
        "order-" + UUID.randomUUID(),
        Money.of(minor, "DKK"),
        "SMS pack 1000",
        method,
        "DK",
        "buyer@example.dk",
        Locale.forLanguageTag("da"),
        URI.create("http://localhost/settings/billing/orders/result"),
        UUID.randomUUID().toString());
  }

  /** HMAC-SHA256 hex of {@code text}. */
  public static String hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A sandbox event's body. */
  public static String sandboxEvent(
      String eventId, String type, String session, UUID payment, String status) {
    return "{\"id\":\""
        + eventId
        + "\",\"type\":\""
        + type
        + "\",\"data\":{\"session\":\""
        + session
        + "\",\"payment\":\""
        + payment
        + "\""
        + (status == null ? "" : ",\"status\":\"" + status + "\"")
        + "}}";
  }

  public static HttpResponse<String> postSandbox(
      String base, String body, String secret, Instant at) throws Exception {
    long t = at.getEpochSecond();
    return post(
        base + "/webhooks/sandbox",
        body,
        "Herald-Signature",
        "t=" + t + ",v1=" + hmac(secret, t + "." + body));
  }

  /** Stripe's scheme: {@code Stripe-Signature: t=<ts>,v1=<hmac of "ts.body">}. */
  public static HttpResponse<String> postStripe(String url, String body, String secret, Instant at)
      throws Exception {
    long t = at.getEpochSecond();
    return post(url, body, "Stripe-Signature", "t=" + t + ",v1=" + hmac(secret, t + "." + body));
  }

  public static HttpResponse<String> post(String url, String body, String header, String value)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
