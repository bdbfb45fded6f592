package dev.herald.payment.internal;

import java.nio.file.Path;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Payment's sealer of companies' provider keys: {@link dev.herald.shared.SecretsBox} (AES-256-GCM,
 * the company id as associated data) with the key from {@code HERALD_SECRETS_KEY}; the embedded
 * default keeps a generated one in its data folder ({@code secrets.key}); a production start
 * without it has no key and refuses to store secrets.
 */
@Component
public class SecretsBox {

  private final dev.herald.shared.SecretsBox box;

  SecretsBox(PaymentSettings settings, Environment env) {
    this.box = new dev.herald.shared.SecretsBox(resolve(settings.secretsKey(), env));
  }

  /** Whether secrets can be stored (a key is configured, or the embedded default made one). */
  public boolean available() {
    return box.available();
  }

  public byte[] seal(String secret, String associated) {
    return box.seal(secret, associated);
  }

  public String open(byte[] sealed, String associated) {
    return box.open(sealed, associated);
  }

  static Optional<byte[]> resolve(String configured, Environment env) {
    if (env == null) {
      return dev.herald.shared.SecretsBox.resolveKey(configured, false, false, Path.of("."));
    }
    return dev.herald.shared.SecretsBox.resolveKey(
        configured,
        env.getProperty("herald.embedded-database.active", Boolean.class, false),
        env.getProperty("herald.embedded-database.durable", Boolean.class, true),
        Path.of(env.getProperty("herald.data-dir", "./data")));
  }
}
