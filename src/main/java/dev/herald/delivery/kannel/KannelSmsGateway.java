package dev.herald.delivery.kannel;

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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kannel's sendsms over HTTP. Kannel splits a long text itself (Herald bills the parts it counted)
 * and gives no carrier id back, so the message's id in Herald's receipts is Herald's own ({@code
 * <message id>:<attempt>}), carried by the {@code dlr-url} that smsbox calls with each delivery
 * report; inbound SMS come through smsbox's get-url. Both callbacks carry the gateway's secret.
 *
 * <p>Outcomes: 2xx (Kannel answers 202 also for messages it only queued) is accepted; 4xx other
 * than 403 and 429 a permanent refusal; 403, 429 and 5xx, or no connection, a transient failure; no
 * answer within the timeout, or a connection lost mid-request, an unknown outcome.
 */
public final class KannelSmsGateway implements SmsGateway {

  private static final Pattern ERR = Pattern.compile("(?i)(?:^|\\s)err:\\s*([^\\s]+)");

  private final String name;
  private final KannelSettings settings;
  private final GatewayInbox inbox;
  private final Clock clock;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

  KannelSmsGateway(String name, KannelSettings settings, GatewayInbox inbox, Clock clock) {
    this.name = name;
    this.settings = settings.validated(name);
    this.inbox = inbox;
    this.clock = clock;
    this.inFlight = new Semaphore(settings.concurrency());
    this.http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(callers).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<SubmitResult> submit(SmsSubmission s) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sendsmsUri(s))).timeout(settings.timeout()).GET().build();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            inFlight.acquire();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SubmitResult.TransientFailure("INTERRUPTED", "not sent");
          }
          try {
            return answer(http.send(request, HttpResponse.BodyHandlers.ofString()), s);
          } catch (HttpConnectTimeoutException | ConnectException e) {
            return new SubmitResult.TransientFailure(
                "KANNEL_UNREACHABLE", "smsbox could not be reached: " + e.getMessage());
          } catch (HttpTimeoutException e) {
            return new SubmitResult.Unknown(
                "KANNEL_TIMEOUT",
                "no answer from smsbox within " + settings.timeout().toMillis() + " ms");
          } catch (IOException e) {
            return new SubmitResult.Unknown("KANNEL_IO", String.valueOf(e.getMessage()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SubmitResult.Unknown("INTERRUPTED", "interrupted while waiting for smsbox");
          } finally {
            inFlight.release();
          }
        },
        callers);
  }

  private SubmitResult answer(HttpResponse<String> response, SmsSubmission s) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body().strip();
    if (status >= 200 && status < 300) {
      return new SubmitResult.Accepted(List.of(receiptId(s.messageId(), s.attempt())));
    }
    String text = "smsbox answered " + status + ": " + body;
    if (status >= 400 && status < 500 && status != 403 && status != 429) {
      return new SubmitResult.PermanentFailure("KANNEL_" + status, text);
    }
    return new SubmitResult.TransientFailure("KANNEL_" + status, text);
  }

  /** The id under which this attempt's delivery reports are matched. */
  static String receiptId(UUID messageId, int attempt) {
    return GatewayMessageIds.canonical(messageId + ":" + attempt, GatewayMessageIds.Format.TEXT);
  }

  private String sendsmsUri(SmsSubmission s) {
    StringBuilder q = new StringBuilder(settings.sendsmsUrl());
    q.append(settings.sendsmsUrl().contains("?") ? '&' : '?');
    param(q, "username", settings.username());
    param(q, "password", settings.password());
    param(q, "from", s.from());
    param(q, "to", s.to());
    param(q, "text", s.text());
    param(q, "charset", "UTF-8");
    param(q, "coding", s.encoding() == SmsEncoding.UCS_2 ? "2" : "0");
    if (settings.dlrMask() > 0) {
      param(q, "dlr-mask", Integer.toString(settings.dlrMask()));
      param(
          q,
          "dlr-url",
          settings.callbackUrl().replaceAll("/+$", "")
              + "/carriers/kannel/"
              + name
              + "/dlr?secret="
              + settings.secret()
              + "&message="
              + s.messageId()
              + "&attempt="
              + s.attempt()
              + "&type=%d&reply=%A");
    }
    if (s.validUntil() != null) {
      long minutes = Math.max(1, Duration.between(clock.instant(), s.validUntil()).toMinutes());
      param(q, "validity", Long.toString(minutes));
    }
    if (settings.smscId() != null && !settings.smscId().isBlank()) {
      param(q, "smsc", settings.smscId());
    }
    q.setLength(q.length() - 1);
    return q.toString();
  }

  private static void param(StringBuilder q, String key, String value) {
    q.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
  }

  /** Whether a callback carries this gateway's secret (compared in constant time). */
  boolean authentic(String secret) {
    return secret != null
        && MessageDigest.isEqual(
            secret.getBytes(StandardCharsets.UTF_8),
            settings.secret().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A delivery report from smsbox: type 1 delivered, 2 failed, 16 rejected by the SMSC (failed), 4
   * buffered and 8 accepted by the SMSC (not final).
   */
  CompletableFuture<Void> report(UUID messageId, int attempt, int type, String reply) {
    DeliveryReceipt.State state =
        switch (type) {
          case 1 -> DeliveryReceipt.State.DELIVERED;
          case 2, 16 -> DeliveryReceipt.State.FAILED;
          case 4, 8 -> DeliveryReceipt.State.PENDING;
          default -> DeliveryReceipt.State.UNKNOWN;
        };
    String error = null;
    if (state == DeliveryReceipt.State.FAILED) {
      Matcher m = ERR.matcher(reply == null ? "" : reply);
      error = m.find() ? m.group(1) : type == 16 ? "SMSC_REJECTED" : "UNDELIVERED";
      // a receipt text that says EXPIRED is an expiry, though Kannel reports it as a failure
      if (reply != null && reply.toUpperCase(Locale.ROOT).contains("STAT:EXPIR")) {
        state = DeliveryReceipt.State.EXPIRED;
      }
    }
    return inbox.receipts(
        List.of(
            new DeliveryReceipt(
                name, receiptId(messageId, attempt), state, error, clock.instant())));
  }

  /** An inbound SMS from smsbox's get-url. */
  CompletableFuture<Void> inbound(String from, String to, String text) {
    return inbox.inbound(
        List.of(new InboundSms(name, plus(from), plus(to), text, clock.instant())));
  }

  /** Kannel writes international numbers with + (SMPP TON 1), some SMSCs with 00. */
  private static String plus(String number) {
    if (number == null) {
      return "";
    }
    String n = number.strip();
    if (n.startsWith("00") && n.matches("00[1-9][0-9]{6,14}")) {
      return "+" + n.substring(2);
    }
    return n;
  }
}
