package dev.herald.delivery.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an HTTP provider calls: {@code POST /carriers/http/<gateway>/status} ({@code {"id",
 * "status", "error_code"}}) and {@code /inbound} ({@code {"id", "from", "to", "text",
 * "received_at"}}; an id seen before is the same SMS again), both signed. The signature is checked
 * over the raw body before anything is read from it: a call not signed right is 400 with the reason
 * and changes nothing. 200 only once stored, so that the provider tries again otherwise.
 */
@RestController
@RequestMapping(value = "/carriers/http/{gateway}", produces = MediaType.TEXT_PLAIN_VALUE)
class HttpProviderWebhooks {

  private static final Logger log = LoggerFactory.getLogger(HttpProviderWebhooks.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpProviderGateways gateways;

  HttpProviderWebhooks(HttpProviderGateways gateways) {
    this.gateways = gateways;
  }

  @PostMapping("/status")
  ResponseEntity<String> status(
      @PathVariable String gateway,
      @RequestHeader(value = WebhookSignature.TIMESTAMP_HEADER, required = false) String timestamp,
      @RequestHeader(value = WebhookSignature.SIGNATURE_HEADER, required = false) String signature,
      @RequestBody(required = false) byte[] body) {
    var provider = gateways.named(gateway).orElse(null);
    if (provider == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body("no HTTP gateway " + gateway);
    }
    byte[] raw = body == null ? new byte[0] : body;
    var refused = provider.refusal(timestamp, signature, raw);
    if (refused.isPresent()) {
      return ResponseEntity.badRequest().body(refused.get());
    }
    JsonNode json = read(raw);
    String id = text(json, "id", 100);
    String state = text(json, "status", 40);
    if (id == null || id.isBlank() || state == null || state.isBlank()) {
      return ResponseEntity.badRequest()
          .body("id and status are required (at most 100 and 40 characters)");
    }
    return stored(provider.status(id, state, text(json, "error_code", 40)), "status of " + id);
  }

  @PostMapping("/inbound")
  ResponseEntity<String> inbound(
      @PathVariable String gateway,
      @RequestHeader(value = WebhookSignature.TIMESTAMP_HEADER, required = false) String timestamp,
      @RequestHeader(value = WebhookSignature.SIGNATURE_HEADER, required = false) String signature,
      @RequestBody(required = false) byte[] body) {
    var provider = gateways.named(gateway).orElse(null);
    if (provider == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body("no HTTP gateway " + gateway);
    }
    byte[] raw = body == null ? new byte[0] : body;
    var refused = provider.refusal(timestamp, signature, raw);
    if (refused.isPresent()) {
      return ResponseEntity.badRequest().body(refused.get());
    }
    JsonNode json = read(raw);
    String from = text(json, "from", 32);
    String to = text(json, "to", 32);
    String text = text(json, "text", 2000);
    boolean textTooLong = text == null && json.hasNonNull("text");
    String id = text(json, "id", 100);
    boolean idTooLong = id == null && json.hasNonNull("id");
    if (from == null || from.isBlank() || to == null || to.isBlank() || textTooLong || idTooLong) {
      return ResponseEntity.badRequest()
          .body(
              "from and to are required (at most 32 characters), text at most 2000, id at most"
                  + " 100");
    }
    Instant receivedAt = null;
    String at = text(json, "received_at", 40);
    if (at != null) {
      try {
        receivedAt = Instant.parse(at);
      } catch (DateTimeParseException e) {
        return ResponseEntity.badRequest().body("received_at must be an ISO-8601 instant");
      }
    }
    return stored(
        provider.inbound(id, from.strip(), to.strip(), text == null ? "" : text, receivedAt),
        "inbound SMS");
  }

  private static JsonNode read(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
      return node != null && node.isObject() ? node : JSON.createObjectNode();
    } catch (JacksonException e) {
      return JSON.createObjectNode();
    }
  }

  /** A text field no longer than max, else null (too long counts as missing). */
  private static String text(JsonNode json, String name, int max) {
    JsonNode v = json.get(name);
    if (v == null || v.isNull() || v.isContainer()) {
      return null;
    }
    String s = v.asString();
    return s.length() > max ? null : s;
  }

  private static ResponseEntity<String> stored(CompletableFuture<Void> stored, String what) {
    try {
      stored.get(10, TimeUnit.SECONDS);
      return ResponseEntity.ok("");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("not stored");
    } catch (Exception e) {
      log.warn("HTTP provider webhook: could not store a {}: {}", what, e.toString());
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("not stored; try again");
    }
  }
}
