package dev.herald.tenant;

import dev.herald.shared.Hashes;
import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Per-company API keys: opaque random strings shown once, stored as SHA-256 hashes, revocable. */
@Repository
public class ApiKeys {

  /** Shorter keys are refused: they could be guessed. */
  public static final int MIN_LENGTH = 32;

  private static final SecureRandom random = new SecureRandom();

  private final JdbcClient jdbc;
  private final Clock clock;

  ApiKeys(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A key as listed: never the key itself, only a hint of its start. */
  public record ApiKey(UUID id, String name, String hint, Instant createdAt, Instant revokedAt) {}

  /** A key just created: {@code secret} is shown to the admin once and never stored. */
  public record IssuedApiKey(UUID id, String name, String secret) {}

  /**
   * Issues a key for the form with this one-time token; empty when that form was already used (a
   * reload of the page that showed its key), so a repeated POST never creates a second key.
   */
  @Transactional
  public Optional<IssuedApiKey> issueOnce(TenantId tenant, String name, UUID formToken) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = "hk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    UUID id = Ids.next();
    int inserted =
        jdbc.sql(
                """
                INSERT INTO api_key (tenant_id, id, name, key_hash, key_hint, created_at, form_token)
                VALUES (:tenant, :id, :name, :hash, :hint, :now, :token)
                ON CONFLICT (tenant_id, form_token) WHERE form_token IS NOT NULL DO NOTHING
                """)
            .param("tenant", tenant.value())
            .param("id", id)
            .param("name", name.strip())
            .param("hash", Hashes.sha256(secret))
            .param("hint", secret.substring(0, 6) + "…")
            .param("now", Timestamp.from(clock.instant()))
            .param("token", formToken)
            .update();
    return inserted == 1
        ? Optional.of(new IssuedApiKey(id, name.strip(), secret))
        : Optional.empty();
  }

  /** The key a form with this token created, if any. */
  public Optional<ApiKey> createdBy(TenantId tenant, UUID formToken) {
    return jdbc.sql(
            """
            SELECT id, name, key_hint, created_at, revoked_at FROM api_key
            WHERE tenant_id = :tenant AND form_token = :token
            """)
        .param("tenant", tenant.value())
        .param("token", formToken)
        .query(ApiKeys::map)
        .optional();
  }

  @Transactional
  public IssuedApiKey issue(TenantId tenant, String name) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = "hk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return register(tenant, name, secret).orElseThrow();
  }

  /**
   * Registers a key chosen by the caller (the demo's {@code HERALD_DEMO_API_KEY}); empty when that
   * key is registered already.
   */
  @Transactional
  public Optional<IssuedApiKey> register(TenantId tenant, String name, String secret) {
    if (secret == null || secret.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("An API key needs at least " + MIN_LENGTH + " characters");
    }
    UUID id = Ids.next();
    int inserted =
        jdbc.sql(
                """
                INSERT INTO api_key (tenant_id, id, name, key_hash, key_hint, created_at)
                VALUES (:tenant, :id, :name, :hash, :hint, :now)
                ON CONFLICT (key_hash) DO NOTHING
                """)
            .param("tenant", tenant.value())
            .param("id", id)
            .param("name", name.strip())
            .param("hash", Hashes.sha256(secret))
            .param("hint", secret.substring(0, 6) + "…")
            .param("now", Timestamp.from(clock.instant()))
            .update();
    return inserted == 1 ? Optional.of(new IssuedApiKey(id, name, secret)) : Optional.empty();
  }

  /** The company a presented key belongs to, if the key exists and is not revoked. */
  public Optional<TenantId> authenticate(String secret) {
    if (secret == null || secret.length() < MIN_LENGTH) {
      return Optional.empty();
    }
    return jdbc.sql("SELECT tenant_id FROM api_key WHERE key_hash = :hash AND revoked_at IS NULL")
        .param("hash", Hashes.sha256(secret))
        .query(UUID.class)
        .optional()
        .map(TenantId::new);
  }

  public List<ApiKey> of(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT id, name, key_hint, created_at, revoked_at FROM api_key
            WHERE tenant_id = :tenant ORDER BY created_at DESC
            """)
        .param("tenant", tenant.value())
        .query(ApiKeys::map)
        .list();
  }

  /** Revokes a key of this company; false when the company has no such key. */
  @Transactional
  public boolean revoke(TenantId tenant, UUID keyId) {
    return jdbc.sql(
                """
                UPDATE api_key SET revoked_at = coalesce(revoked_at, :now)
                WHERE tenant_id = :tenant AND id = :id
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .param("id", keyId)
            .update()
        == 1;
  }

  private static ApiKey map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new ApiKey(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getString("key_hint"),
        rs.getTimestamp("created_at").toInstant(),
        Optional.ofNullable(rs.getTimestamp("revoked_at")).map(Timestamp::toInstant).orElse(null));
  }
}
