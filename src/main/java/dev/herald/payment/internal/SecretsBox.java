package dev.herald.payment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Seals companies' provider keys with AES-256-GCM (a random 96-bit nonce per value, the company id
 * as associated data so a sealed value cannot be moved to another company). The key comes from
 * {@code HERALD_SECRETS_KEY}; the embedded default keeps a generated one in its data folder ({@code
 * secrets.key}); a production start without it has no key and refuses to store secrets.
 */
@Component
public class SecretsBox {

  private static final Logger log = LoggerFactory.getLogger(SecretsBox.class);
  private static final SecureRandom random = new SecureRandom();
  private static final int NONCE = 12;

  private final Optional<SecretKeySpec> key;

  SecretsBox(PaymentSettings settings, Environment env) {
    this.key = resolve(settings.secretsKey(), env).map(bytes -> new SecretKeySpec(bytes, "AES"));
  }

  /** Whether secrets can be stored (a key is configured, or the embedded default made one). */
  public boolean available() {
    return key.isPresent();
  }

  public byte[] seal(String secret, String associated) {
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, requireKey(), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not seal a secret", e);
    }
  }

  public String open(byte[] sealed, String associated) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, requireKey(), new GCMParameterSpec(128, sealed, 0, NONCE));
      cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
      return new String(
          cipher.doFinal(sealed, NONCE, sealed.length - NONCE), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "Could not open a sealed secret (was HERALD_SECRETS_KEY changed?)", e);
    }
  }

  private SecretKeySpec requireKey() {
    return key.orElseThrow(() -> new IllegalStateException("HERALD_SECRETS_KEY is not set"));
  }

  static Optional<byte[]> resolve(String configured, Environment env) {
    if (configured != null && !configured.isBlank()) {
      byte[] bytes = Base64.getDecoder().decode(configured.strip());
      if (bytes.length != 32) {
        throw new IllegalStateException("HERALD_SECRETS_KEY must be base64 of 32 bytes");
      }
      return Optional.of(bytes);
    }
    if (!env.getProperty("herald.embedded-database.active", Boolean.class, false)) {
      return Optional.empty();
    }
    if (!env.getProperty("herald.embedded-database.durable", Boolean.class, true)) {
      // Tests: one throwaway database per context, so a throwaway key too.
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      return Optional.of(bytes);
    }
    Path file =
        Path.of(env.getProperty("herald.data-dir", "./data"))
            .toAbsolutePath()
            .resolve("secrets.key");
    try {
      if (!Files.exists(file)) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "secrets", ".tmp");
        try {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // Windows: the folder's own permissions apply.
        }
        Files.writeString(temp, Base64.getEncoder().encodeToString(bytes));
        try {
          Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
          Files.deleteIfExists(temp);
        }
        log.info("Generated the key that seals payment provider keys in {}", file);
      }
      return resolve(Files.readString(file).strip(), null);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create " + file, e);
    }
  }
}
