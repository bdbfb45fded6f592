package dev.herald.delivery.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook's signature: {@code X-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">} with
 * {@code X-Signature-Timestamp: <unix seconds>}, the shape of the common providers' signing
 * schemes. Checked in constant time, and refused outside the tolerance (no replay of old calls).
 */
final class WebhookSignature {

  static final String SIGNATURE_HEADER = "X-Signature";
  static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
  private static final String VERSION = "v1=";

  private final byte[] key;
  private final Duration tolerance;

  WebhookSignature(String secret, Duration tolerance) {
    this.key = secret.getBytes(StandardCharsets.UTF_8);
    this.tolerance = tolerance;
  }

  /** The header value a provider sends for this body at this time. */
  String sign(long timestamp, byte[] body) {
    return VERSION + HexFormat.of().formatHex(mac(timestamp, body));
  }

  /** Empty when the call is authentic and fresh, else why it is refused. */
  Optional<String> refusal(String timestamp, String signature, byte[] body, Instant now) {
    if (timestamp == null || signature == null) {
      return Optional.of("the signature headers are missing");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return Optional.of("the signature timestamp is not a number of seconds");
    }
    if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
      return Optional.of("the signature timestamp is outside the tolerance");
    }
    byte[] given;
    String s = signature.strip();
    try {
      given = s.startsWith(VERSION) ? HexFormat.of().parseHex(s.substring(VERSION.length())) : null;
    } catch (IllegalArgumentException e) {
      given = null;
    }
    if (given == null || !MessageDigest.isEqual(given, mac(seconds, body))) {
      return Optional.of("the signature does not match");
    }
    return Optional.empty();
  }

  private byte[] mac(long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
