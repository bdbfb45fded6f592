package dev.herald.payment.internal;

import dev.herald.tenant.PublicUrls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox provider (the embedded default): a hosted checkout page that Herald serves itself
 * ({@code /pay/sandbox/<session>}), which settles like a real provider: by posting an event signed
 * with HMAC-SHA256 ({@code Herald-Signature: t=<unix seconds>,v1=<hex>} over {@code t + "." +
 * body}) over HTTP to Herald's own webhook endpoint, through the same inbox as Stripe's.
 */
@Component
public class SandboxProvider implements PaymentProvider, DisposableBean {

  public static final String SIGNATURE_HEADER = "herald-signature";
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(SandboxProvider.class);
  private static final SecureRandom random = new SecureRandom();
  private static final JsonMapper json = JsonMapper.builder().build();

  private final PublicUrls urls;
  private final JdbcClient jdbc;
  private final Environment env;
  private final Clock clock;
  private final String secret;
  private final Duration asyncDelay;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService later =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

  SandboxProvider(
      PublicUrls urls, Environment env, Clock clock, PaymentSettings settings, JdbcClient jdbc) {
    this.urls = urls;
    this.jdbc = jdbc;
    this.env = env;
    this.clock = clock;
    String configured = settings.sandbox().webhookSecret();
    if (configured == null || configured.isBlank()) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      this.secret = HexFormat.of().formatHex(bytes);
    } else {
      this.secret = configured;
    }
    this.asyncDelay = settings.sandbox().asyncDelay();
  }

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public Session createCheckout(ProviderAccount account, NewCheckout checkout) {
    String session = "sbx_" + token(16);
    return new Session(session, URI.create(urls.base() + "/pay/sandbox/" + session));
  }

  @Override
  public void verify(ProviderAccount account, String payload, Map<String, String> headers) {
    String header = headers.get(SIGNATURE_HEADER);
    if (header == null) {
      throw new InvalidSignature("no " + SIGNATURE_HEADER + " header");
    }
    Long t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      String[] kv = part.strip().split("=", 2);
      if (kv.length == 2 && kv[0].equals("t")) {
        try {
          t = Long.parseLong(kv[1]);
        } catch (NumberFormatException e) {
          throw new InvalidSignature("a bad timestamp");
        }
      } else if (kv.length == 2 && kv[0].equals("v1")) {
        v1 = kv[1];
      }
    }
    if (t == null || v1 == null) {
      throw new InvalidSignature("an incomplete signature header");
    }
    long age = clock.instant().getEpochSecond() - t;
    if (Math.abs(age) > TOLERANCE.toSeconds()) {
      throw new InvalidSignature("a timestamp outside the tolerance");
    }
    byte[] expected = hmac(t + "." + payload).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII))) {
      throw new InvalidSignature("a wrong signature");
    }
  }

  @Override
  public ProviderEvent read(String payload) {
    JsonNode root = json.readTree(payload);
    JsonNode data = root.path("data");
    String type = PaymentInbox.text(root.path("type"));
    String session = PaymentInbox.text(data.path("session"));
    if (type == null || session == null) {
      throw new UnreadableEvent("a sandbox event without type or session");
    }
    String payment = PaymentInbox.text(data.path("payment"));
    ProviderEvent.Outcome outcome =
        switch (type) {
          case "checkout.completed" ->
              "paid".equals(PaymentInbox.text(data.path("status")))
                  ? ProviderEvent.Outcome.SETTLED
                  : ProviderEvent.Outcome.PROCESSING;
          case "checkout.async_succeeded" -> ProviderEvent.Outcome.SETTLED;
          case "checkout.failed" -> ProviderEvent.Outcome.FAILED;
          case "checkout.expired" -> ProviderEvent.Outcome.EXPIRED;
          default -> ProviderEvent.Outcome.IGNORED;
        };
    return new ProviderEvent(
        PaymentInbox.text(root.path("id")),
        type,
        session,
        payment == null ? null : UUID.fromString(payment),
        outcome,
        PaymentInbox.text(data.path("reason")));
  }

  /**
   * What the sandbox knows of a session when asked again: a "needs a moment" payment (processing)
   * has settled once its delay has passed, as a provider whose bank debit went through would
   * answer. So a payment whose delayed event was lost (the process stopped in those seconds) is
   * settled by billing's re-check; anything else the sandbox has already told by its events.
   */
  @Override
  public Optional<ProviderEvent.Outcome> fetch(ProviderAccount account, String sessionId) {
    Timestamp settledBy = Timestamp.from(clock.instant().minus(asyncDelay));
    return jdbc.sql(
            """
            SELECT 1 FROM payment
            WHERE provider = 'sandbox' AND provider_session_id = :session
              AND status = 'processing' AND updated_at <= :settledBy
            """)
        .param("session", sessionId)
        .param("settledBy", settledBy)
        .query(Integer.class)
        .optional()
        .map(found -> ProviderEvent.Outcome.SETTLED);
  }

  @Override
  public void expire(ProviderAccount account, String sessionId) {
    // Nothing to do: the sandbox page refuses a payment that is no longer pending.
  }

  /** A new sandbox event's JSON. */
  public static String event(
      String eventId, String type, String session, UUID payment, String status, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("session", session);
    data.put("payment", payment.toString());
    if (status != null) {
      data.put("status", status);
    }
    if (reason != null) {
      data.put("reason", reason);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("id", eventId);
    root.put("type", type);
    root.put("data", data);
    return json.writeValueAsString(root);
  }

  public static String newEventId() {
    return "evt_sbx_" + token(12);
  }

  /** The signature header for a body at the current time. */
  public String signatureHeader(String body) {
    long t = clock.instant().getEpochSecond();
    return "t=" + t + ",v1=" + hmac(t + "." + body);
  }

  /**
   * Posts a signed event to this Herald's webhook endpoint, as the provider would; the HTTP status
   * of the answer.
   */
  public int post(String body) {
    String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/sandbox"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Herald-Signature", signatureHeader(body))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      log.warn("The sandbox could not post its event: {}", e.toString());
      return 503;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 503;
    }
  }

  /** The "needs a moment" card: the money arrives a few seconds later, like a bank debit. */
  public void settleLater(String session, UUID payment) {
    later.schedule(
        () -> {
          int status =
              post(event(newEventId(), "checkout.async_succeeded", session, payment, "paid", null));
          if (status >= 300) {
            log.warn("The sandbox's delayed settlement of {} got {}", payment, status);
          }
        },
        asyncDelay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private String hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String token(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void destroy() {
    later.shutdownNow();
  }
}
