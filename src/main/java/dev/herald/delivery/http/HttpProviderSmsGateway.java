package dev.herald.delivery.http;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.GatewayInbox;
import dev.herald.delivery.gateway.GatewayMessageIds;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.smstext.SmsEncoding;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON REST SMS provider, shaped like the common ones: {@code POST <url>/messages} with {@code
 * Authorization: Bearer <api-key>} and {@code {"from","to","text","encoding","reference",
 * "validity_seconds"}}, answered with {@code {"id": "<provider message id>"}}. The provider calls
 * back with status updates and inbound SMS, signed ({@link WebhookSignature}).
 *
 * <p>Answers: 2xx with an id is accepted; 401, 402 and 403 (the account is refused or out of funds)
 * are refusals meaning "this gateway cannot" (routing tries the next gateway); other 4xx refuse the
 * message for good; 408, 429 and 5xx, or no connection, are transient; no answer within the
 * timeout, a connection lost mid-request or a 2xx without an id are unknown outcomes. The {@code
 * Idempotency-Key} ({@code <message id>:<attempt>}) lets a provider that honours it ignore a
 * repeated call of the same attempt.
 */
public final class HttpProviderSmsGateway implements SmsGateway {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final HttpProviderSettings settings;
  private final GatewayInbox inbox;
  private final Clock clock;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final WebhookSignature signature;
  private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

  HttpProviderSmsGateway(
      String name, HttpProviderSettings settings, GatewayInbox inbox, Clock clock) {
    this.name = name;
    this.settings = settings.validated(name);
    this.inbox = inbox;
    this.clock = clock;
    this.inFlight = new Semaphore(settings.concurrency());
    this.signature = new WebhookSignature(settings.webhookSecret(), settings.tolerance());
    this.http =
        HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).executor(callers).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<SubmitResult> submit(SmsSubmission s) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(settings.url().replaceAll("/+$", "") + "/messages"))
            .timeout(settings.timeout())
            .header("Authorization", "Bearer " + settings.apiKey())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Idempotency-Key", s.messageId() + ":" + s.attempt())
            .POST(HttpRequest.BodyPublishers.ofString(body(s)))
            .build();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            inFlight.acquire();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SubmitResult.TransientFailure("INTERRUPTED", "not sent");
          }
          try {
            return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
          } catch (HttpConnectTimeoutException | ConnectException e) {
            return new SubmitResult.TransientFailure(
                "HTTP_UNREACHABLE", "the provider could not be reached: " + e.getMessage());
          } catch (HttpTimeoutException e) {
            return new SubmitResult.Unknown(
                "HTTP_TIMEOUT",
                "no answer from the provider within " + settings.timeout().toMillis() + " ms");
          } catch (IOException e) {
            return new SubmitResult.Unknown("HTTP_IO", String.valueOf(e.getMessage()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SubmitResult.Unknown("INTERRUPTED", "interrupted while waiting");
          } finally {
            inFlight.release();
          }
        },
        callers);
  }

  private String body(SmsSubmission s) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", s.from());
    body.put("to", s.to());
    body.put("text", s.text());
    body.put("encoding", s.encoding() == SmsEncoding.UCS_2 ? "ucs2" : "gsm");
    body.put("reference", s.messageId() + ":" + s.attempt());
    if (s.validUntil() != null) {
      body.put(
          "validity_seconds",
          Math.max(60, Duration.between(clock.instant(), s.validUntil()).toSeconds()));
    }
    return JSON.writeValueAsString(body);
  }

  private SubmitResult answer(HttpResponse<String> response) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body().strip();
    if (status >= 200 && status < 300) {
      String id = field(body, "id");
      if (id == null || id.isBlank()) {
        return new SubmitResult.Unknown(
            "HTTP_NO_ID", "the provider answered " + status + " without a message id");
      }
      return new SubmitResult.Accepted(
          List.of(GatewayMessageIds.canonical(id, GatewayMessageIds.Format.TEXT)));
    }
    String reason = field(body, "message");
    String text =
        "the provider answered "
            + status
            + (reason == null ? "" : ": " + abbreviate(reason))
            + (field(body, "code") == null ? "" : " (" + abbreviate(field(body, "code")) + ")");
    String code = "HTTP_" + status;
    if (status == 401 || status == 402 || status == 403) {
      return SubmitResult.PermanentFailure.gatewayCannot(code, text);
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new SubmitResult.TransientFailure(code, text);
    }
    if (status >= 400) {
      return new SubmitResult.PermanentFailure(code, text);
    }
    return new SubmitResult.TransientFailure(code, text);
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  /** A top-level text field of a JSON object, or of its {@code error} object; null when none. */
  private static String field(String body, String name) {
    try {
      JsonNode node = JSON.readTree(body.isEmpty() ? "{}" : body);
      JsonNode value = node.get(name);
      if ((value == null || value.isNull()) && node.get("error") != null) {
        value = node.get("error").get(name);
      }
      return value == null || value.isNull() || value.isContainer() ? null : value.asString();
    } catch (JacksonException e) {
      return null;
    }
  }

  /** Why a webhook is refused (not authentic, stale), or empty when it may be heard. */
  Optional<String> refusal(String timestamp, String sig, byte[] body) {
    return signature.refusal(timestamp, sig, body, clock.instant());
  }

  /** For tests and provider simulators: the signature header of a body at a time. */
  String sign(long timestamp, byte[] body) {
    return signature.sign(timestamp, body);
  }

  /** A status callback: {@code {"id", "status", "error_code"}}. */
  CompletableFuture<Void> status(String id, String status, String errorCode) {
    DeliveryReceipt.State state = DeliveryReceipt.State.ofText(status);
    return inbox.receipts(
        List.of(
            new DeliveryReceipt(
                name,
                GatewayMessageIds.canonical(id, GatewayMessageIds.Format.TEXT),
                state,
                state == DeliveryReceipt.State.FAILED && errorCode == null
                    ? "UNDELIVERED"
                    : errorCode,
                clock.instant())));
  }

  /**
   * An inbound SMS: {@code {"id", "from", "to", "text"}}; one with the id of one stored before is
   * that one again (the provider sent its webhook again).
   */
  CompletableFuture<Void> inbound(
      String id, String from, String to, String text, Instant receivedAt) {
    return inbox.inbound(
        List.of(
            new InboundSms(
                name,
                international(from),
                international(to),
                text,
                receivedAt == null ? clock.instant() : receivedAt,
                null,
                id == null || id.isBlank() ? null : id.strip())));
  }

  /**
   * A number as Herald writes it: providers give E.164 without its plus (Vonage, MessageBird,
   * Sinch) or with 00 first; a short code or an alphanumeric name stays as it came.
   */
  static String international(String number) {
    String n = number.strip();
    if (n.matches("00[1-9][0-9]{6,14}")) {
      return "+" + n.substring(2);
    }
    if (n.matches("[1-9][0-9]{8,14}")) { // a national number starts with 0 or is shorter
      return "+" + n;
    }
    return n;
  }
}
