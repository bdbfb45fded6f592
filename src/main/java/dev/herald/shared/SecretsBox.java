package dev.herald.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets with AES-256-GCM: a random 96-bit nonce per value, and associated data (the owner's
 * id or name) so that a sealed value cannot be moved to another owner. The key is {@code
 * HERALD_SECRETS_KEY} (base64 of 32 bytes); the embedded default keeps a generated one in its data
 * folder ({@code secrets.key}); a production start without it has none and refuses to seal. Used by
 * payment (companies' provider keys) and delivery (gateways' passwords and API keys).
 */
public final class SecretsBox {

  private static final SecureRandom random = new SecureRandom();
  private static final int NONCE = 12;

  private final Optional<SecretKeySpec> key;

  public SecretsBox(Optional<byte[]> key) {
    this.key = key.map(bytes -> new SecretKeySpec(bytes, "AES"));
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

  /**
   * The key: the configured one (base64 of 32 bytes); else, with the embedded database, a throwaway
   * one (tests, not durable) or the one kept in {@code <dataDir>/secrets.key} (made on first use);
   * else none.
   */
  public static Optional<byte[]> resolveKey(
      String configured, boolean embedded, boolean durable, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      byte[] bytes = Base64.getDecoder().decode(configured.strip());
      if (bytes.length != 32) {
        throw new IllegalStateException("HERALD_SECRETS_KEY must be base64 of 32 bytes");
      }
      return Optional.of(bytes);
    }
    if (!embedded) {
      return Optional.empty();
    }
    if (!durable) {
      // Tests: one throwaway database per context, so a throwaway key too.
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      return Optional.of(bytes);
    }
    Path file = dataDir.toAbsolutePath().resolve("secrets.key");
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
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
          Files.deleteIfExists(temp);
        }
      }
      return resolveKey(Files.readString(file).strip(), false, false, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create " + file, e);
    }
  }
}
