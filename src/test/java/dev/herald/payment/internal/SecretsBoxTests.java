package dev.herald.payment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Sealing companies' provider keys: where the key comes from, and what sealing guarantees. */
class SecretsBoxTests {

  @TempDir Path dataDir;

  static PaymentSettings settings(String secretsKey) {
    return new PaymentSettings(
        "",
        Duration.ofSeconds(10),
        secretsKey,
        new PaymentSettings.Sandbox(null, Duration.ofSeconds(3)),
        new PaymentSettings.Stripe(null, null, "https://api.stripe.com", Duration.ofSeconds(300)),
        new PaymentSettings.Bank(null, null, null),
        new PaymentSettings.TestHooks(null));
  }

  @Test
  void a_production_start_without_herald_secrets_key_has_no_key_and_refuses_to_store() {
    SecretsBox box = new SecretsBox(settings(""), new MockEnvironment());
    assertThat(box.available()).isFalse();
    assertThatThrownBy(() -> box.seal("sk_test_x", "a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void the_embedded_default_generates_a_key_in_its_data_folder_and_keeps_it() throws Exception {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("herald.embedded-database.active", "true")
            .withProperty("herald.data-dir", dataDir.toString());
    SecretsBox first = new SecretsBox(settings(""), env);
    byte[] sealed = first.seal("sk_test_abcdef123456", "company-1");

    Path file = dataDir.resolve("secrets.key");
    assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
    SecretsBox afterRestart = new SecretsBox(settings(""), env);
    assertThat(afterRestart.open(sealed, "company-1")).isEqualTo("sk_test_abcdef123456");
  }

  @Test
  void a_sealed_secret_is_not_readable_and_opens_only_for_its_company_under_its_key() {
    byte[] key = new byte[32];
    key[0] = 7;
    SecretsBox box =
        new SecretsBox(settings(Base64.getEncoder().encodeToString(key)), new MockEnvironment());
    byte[] sealed = box.seal("sk_live_supersecret987654", "company-1");

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("supersecret");
    assertThat(box.seal("sk_live_supersecret987654", "company-1")).isNotEqualTo(sealed);
    assertThat(box.open(sealed, "company-1")).isEqualTo("sk_live_supersecret987654");
    assertThatThrownBy(() -> box.open(sealed, "company-2"))
        .isInstanceOf(IllegalStateException.class);
    byte[] other = new byte[32];
    SecretsBox otherKey =
        new SecretsBox(settings(Base64.getEncoder().encodeToString(other)), new MockEnvironment());
    assertThatThrownBy(() -> otherKey.open(sealed, "company-1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void a_secrets_key_of_the_wrong_length_stops_the_start() {
    assertThatThrownBy(() -> new SecretsBox(settings("c2hvcnQ="), new MockEnvironment()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HERALD_SECRETS_KEY");
  }
}
