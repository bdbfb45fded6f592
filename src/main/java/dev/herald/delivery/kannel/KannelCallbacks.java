package dev.herald.delivery.kannel;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What smsbox calls: delivery reports (the {@code dlr-url} of each message) and inbound SMS (its
 * get-url). Both carry the gateway's secret; each answers 200 only once what it carries is stored,
 * so that Kannel may try again otherwise. Plain text answers: Kannel reads no JSON, and an inbound
 * SMS answered with an empty body sends no reply SMS.
 */
@RestController
@RequestMapping(
    value = "/carriers/kannel/{gateway}",
    method = {RequestMethod.GET, RequestMethod.POST},
    produces = MediaType.TEXT_PLAIN_VALUE)
class KannelCallbacks {

  private static final Logger log = LoggerFactory.getLogger(KannelCallbacks.class);

  private final KannelGateways gateways;

  KannelCallbacks(KannelGateways gateways) {
    this.gateways = gateways;
  }

  @RequestMapping("/dlr")
  ResponseEntity<String> report(
      @PathVariable String gateway,
      @RequestParam(required = false) String secret,
      @RequestParam(required = false) String message,
      @RequestParam(required = false) Integer attempt,
      @RequestParam(required = false) Integer type,
      @RequestParam(required = false) String reply) {
    var kannel = gateways.named(gateway).orElse(null);
    if (kannel == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body("no Kannel gateway " + gateway);
    }
    if (!kannel.authentic(secret)) {
      return ResponseEntity.status(HttpStatus.FORBIDDEN).body("wrong secret");
    }
    UUID id;
    try {
      id = UUID.fromString(message == null ? "" : message);
    } catch (IllegalArgumentException e) {
      return ResponseEntity.badRequest().body("message must be a message id");
    }
    if (attempt == null || attempt < 1 || type == null) {
      return ResponseEntity.badRequest().body("attempt (1 or more) and type are required");
    }
    return stored(kannel.report(id, attempt, type, reply), "delivery report of " + id);
  }

  /**
   * smsbox's get-url: {@code ...?secret=...&from=%p&to=%P&text=%b&coding=%c&charset=%C}. Kannel
   * passes the text's octets as they are, in the charset {@code %C} names: UTF-16BE for a UCS-2 SMS
   * unless smsbox's mo-recode is on (it is off by default), so the text is decoded here from its
   * octets, not as UTF-8.
   */
  @RequestMapping("/inbound")
  ResponseEntity<String> inbound(
      @PathVariable String gateway,
      @RequestParam(required = false) String secret,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String text,
      @RequestParam(required = false) String coding,
      @RequestParam(required = false) String charset,
      HttpServletRequest request) {
    var kannel = gateways.named(gateway).orElse(null);
    if (kannel == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body("no Kannel gateway " + gateway);
    }
    if (!kannel.authentic(secret)) {
      return ResponseEntity.status(HttpStatus.FORBIDDEN).body("wrong secret");
    }
    if (from == null || from.isBlank() || to == null || from.length() > 32 || to.length() > 32) {
      return ResponseEntity.badRequest().body("from and to are required (at most 32 characters)");
    }
    Charset textCharset = charset(coding, charset);
    // A GET's parameters are octets here (KannelInboundQuery); a POST's were read as UTF-8.
    String decoded = text == null ? "" : text;
    if ("GET".equals(request.getMethod())) {
      decoded = new String(decoded.getBytes(StandardCharsets.ISO_8859_1), textCharset);
    }
    return stored(kannel.inbound(from, to, decoded), "inbound SMS");
  }

  /**
   * The charset of the text: the one {@code %C} names, else UTF-16BE for coding 2 (UCS-2), else
   * UTF-8 (smsbox's own for GSM text, whatever name it gives it).
   */
  static Charset charset(String coding, String name) {
    if (name != null && !name.isBlank()) {
      try {
        return Charset.forName(name.strip());
      } catch (IllegalArgumentException unknown) {
        // by its coding, below
      }
    }
    return "2".equals(coding == null ? null : coding.strip())
        ? StandardCharsets.UTF_16BE
        : StandardCharsets.UTF_8;
  }

  private static ResponseEntity<String> stored(CompletableFuture<Void> stored, String what) {
    try {
      stored.get(10, TimeUnit.SECONDS);
      return ResponseEntity.ok("");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("not stored");
    } catch (Exception e) {
      log.warn("Kannel callback: could not store a {}: {}", what, e.toString());
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("not stored; try again");
    }
  }
}
