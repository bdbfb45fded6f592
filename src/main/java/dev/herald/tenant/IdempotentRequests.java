package dev.herald.tenant;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.Hashes;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.shared.Text;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Idempotency-Key for POSTs that create something (J2). The key is claimed by inserting it in the
 * same transaction as the work: a concurrent repeat blocks on the primary key until the first
 * commits, then answers the stored response. A repeat with another body is refused. Work that fails
 * rolls the key back with it, so a corrected retry may use the same key.
 */
@Service
public class IdempotentRequests {

  /** Longest key accepted, as most providers do. */
  public static final int MAX_KEY_LENGTH = 255;

  private final JdbcClient jdbc;
  private final Clock clock;

  IdempotentRequests(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** An answer as it was given: status, JSON body and Location; {@code replayed} on a repeat. */
  public record StoredResponse(int status, String body, String location, boolean replayed) {

    public static StoredResponse of(int status, String body, String location) {
      return new StoredResponse(status, body, location, false);
    }

    /** The HTTP answer; a replay says so in {@code Idempotent-Replayed: true}. */
    public ResponseEntity<String> toResponseEntity() {
      ResponseEntity.BodyBuilder builder =
          ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
      if (location != null) {
        builder.location(URI.create(location));
      }
      if (replayed) {
        builder.header("Idempotent-Replayed", "true");
      }
      return builder.body(body);
    }
  }

  /**
   * Runs {@code work} once per (company, endpoint, key). {@code requestFingerprint} identifies the
   * request body (a canonical serialisation of what was parsed).
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public StoredResponse once(
      TenantId tenant,
      String endpoint,
      String key,
      String requestFingerprint,
      Supplier<StoredResponse> work) {
    if (key == null
        || key.isBlank()
        || key.length() > MAX_KEY_LENGTH
        || Text.problem(key, false).isPresent()) {
      throw new InvalidInputException(
          FieldProblem.of("Idempotency-Key", "api.idempotencyKey.invalid", MAX_KEY_LENGTH));
    }
    byte[] hash = Hashes.sha256(requestFingerprint);
    int claimed =
        jdbc.sql(
                """
                INSERT INTO idempotency_key (tenant_id, endpoint, key, request_hash, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
            .params(tenant.value(), endpoint, key, hash, Timestamp.from(clock.instant()))
            .update();
    if (claimed == 0) {
      return replay(tenant, endpoint, key, hash);
    }
    StoredResponse response = work.get();
    jdbc.sql(
            """
            UPDATE idempotency_key SET status = ?, response_body = ?, location = ?
            WHERE tenant_id = ? AND endpoint = ? AND key = ?
            """)
        .params(
            response.status(), response.body(), response.location(), tenant.value(), endpoint, key)
        .update();
    return response;
  }

  private StoredResponse replay(TenantId tenant, String endpoint, String key, byte[] hash) {
    var stored =
        jdbc.sql(
                """
                SELECT request_hash, status, response_body, location FROM idempotency_key
                WHERE tenant_id = ? AND endpoint = ? AND key = ?
                """)
            .params(tenant.value(), endpoint, key)
            .query((rs, row) ->
                new Object[] {
                  rs.getBytes("request_hash"), rs.getObject("status", Integer.class),
                  rs.getString("response_body"), rs.getString("location")
                })
            .single();
    if (!Arrays.equals((byte[]) stored[0], hash)) {
      throw new InvalidInputException(
          FieldProblem.of("Idempotency-Key", "api.idempotencyKey.otherBody"));
    }
    return new StoredResponse((Integer) stored[1], (String) stored[2], (String) stored[3], true);
  }
}
