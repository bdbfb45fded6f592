package dev.herald.payment.internal;

import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A company's own Stripe account (Settings > Payments): its secret key and webhook signing secret,
 * sealed by {@link SecretsBox}; only their last four characters are ever shown again.
 */
@Component
public class PaymentAccountStore {

  private final JdbcClient jdbc;
  private final SecretsBox box;
  private final Clock clock;

  PaymentAccountStore(JdbcClient jdbc, SecretsBox box, Clock clock) {
    this.jdbc = jdbc;
    this.box = box;
    this.clock = clock;
  }

  /** What the settings page shows: whether keys are set, and how they end. */
  public record Summary(String secretKeyHint, String webhookSecretHint, Instant updatedAt) {}

  public Optional<Summary> summary(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT secret_key_hint, webhook_secret_hint, updated_at FROM payment_account
            WHERE tenant_id = :tenant AND provider = 'stripe'
            """)
        .param("tenant", tenant.value())
        .query((rs, n) ->
            new Summary(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
        .optional();
  }

  /** The company's Stripe account with its keys opened, when it set them. */
  public Optional<ProviderAccount> stripe(TenantId tenant) {
    if (!box.available()) {
      return Optional.empty();
    }
    return jdbc.sql(
            """
            SELECT secret_key_sealed, webhook_secret_sealed FROM payment_account
            WHERE tenant_id = :tenant AND provider = 'stripe'
            """)
        .param("tenant", tenant.value())
        .query((rs, n) ->
            new ProviderAccount(
                "stripe",
                tenant,
                box.open(rs.getBytes(1), associated(tenant, "secret")),
                box.open(rs.getBytes(2), associated(tenant, "webhook"))))
        .optional();
  }

  public boolean canStore() {
    return box.available();
  }

  /**
   * Checks and stores the company's Stripe keys: every problem at once; refused when this Herald
   * has no key to seal them with.
   */
  @Transactional
  public void save(TenantId tenant, String secretKey, String webhookSecret, String by) {
    String key = secretKey == null ? "" : secretKey.strip();
    String hook = webhookSecret == null ? "" : webhookSecret.strip();
    java.util.List<dev.herald.shared.FieldProblem> problems = new java.util.ArrayList<>();
    if (!box.available()) {
      problems.add(dev.herald.shared.FieldProblem.of("form", "payment.settings.noSecretsKey"));
    }
    if (!key.matches("(sk|rk)_(live|test)_[A-Za-z0-9]{8,240}")) {
      problems.add(
          dev.herald.shared.FieldProblem.of("secretKey", "payment.settings.secretKey.invalid"));
    }
    if (!hook.matches("whsec_[A-Za-z0-9_+/=]{8,240}")) {
      problems.add(
          dev.herald.shared.FieldProblem.of(
              "webhookSecret", "payment.settings.webhookSecret.invalid"));
    }
    if (!problems.isEmpty()) {
      throw new dev.herald.shared.InvalidInputException(problems);
    }
    store(tenant, key, hook, by);
  }

  @Transactional
  public void store(TenantId tenant, String secretKey, String webhookSecret, String by) {
    jdbc.sql(
            """
            INSERT INTO payment_account (tenant_id, provider, secret_key_sealed, secret_key_hint,
                webhook_secret_sealed, webhook_secret_hint, updated_at, updated_by)
            VALUES (:tenant, 'stripe', :key, :keyHint, :hook, :hookHint, :now, :by)
            ON CONFLICT (tenant_id, provider) DO UPDATE SET
                secret_key_sealed = excluded.secret_key_sealed, secret_key_hint = excluded.secret_key_hint,
                webhook_secret_sealed = excluded.webhook_secret_sealed,
                webhook_secret_hint = excluded.webhook_secret_hint,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """)
        .param("tenant", tenant.value())
        .param("key", box.seal(secretKey, associated(tenant, "secret")))
        .param("keyHint", hint(secretKey))
        .param("hook", box.seal(webhookSecret, associated(tenant, "webhook")))
        .param("hookHint", hint(webhookSecret))
        .param("now", Timestamp.from(clock.instant()))
        .param("by", by)
        .update();
  }

  @Transactional
  public boolean remove(TenantId tenant) {
    return jdbc.sql("DELETE FROM payment_account WHERE tenant_id = :tenant AND provider = 'stripe'")
            .param("tenant", tenant.value())
            .update()
        == 1;
  }

  static String hint(String secret) {
    return secret.length() <= 4 ? "" : secret.substring(secret.length() - 4);
  }

  private static String associated(TenantId tenant, String what) {
    UUID id = tenant.value();
    return "payment_account:" + id + ":stripe:" + what;
  }
}
