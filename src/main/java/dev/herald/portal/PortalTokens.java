package dev.herald.portal;

import dev.herald.notification.MessageTemplates;
import dev.herald.shared.Hashes;
import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import dev.herald.tenant.PublicUrls;
import dev.herald.work.PortalLinks;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Portal tokens (E1): 128 random bits in base64url (22 characters), stored only as their SHA-256,
 * bound to one contact of one company and the document they were sent for, with an expiry.
 */
@Service
public class PortalTokens implements PortalLinks {

  private static final SecureRandom random = new SecureRandom();
  private static final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();

  private final JdbcClient jdbc;
  private final PublicUrls urls;
  private final Clock clock;

  PortalTokens(JdbcClient jdbc, PublicUrls urls, Clock clock) {
    this.jdbc = jdbc;
    this.urls = urls;
    this.clock = clock;
  }

  /** Whom a valid token opens the portal for. */
  public record Visitor(TenantId tenant, UUID contactId, UUID documentId, Instant expiresAt) {}

  @Override
  @Transactional(propagation = Propagation.REQUIRED)
  public String issue(TenantId tenant, UUID contactId, UUID documentId, Instant expiresAt) {
    return urls.base()
        + MessageTemplates.PORTAL_PATH
        + newToken(tenant, contactId, documentId, expiresAt);
  }

  /** The links of a batch, stored in one statement (the reminder run issues hundreds at once). */
  @Override
  @Transactional(propagation = Propagation.REQUIRED)
  public List<String> issueAll(TenantId tenant, List<Request> requests, Instant expiresAt) {
    int n = requests.size();
    if (n == 0) {
      return List.of();
    }
    List<String> links = new ArrayList<>(n);
    UUID[] ids = new UUID[n];
    byte[][] hashes = new byte[n][];
    UUID[] contacts = new UUID[n];
    UUID[] documents = new UUID[n];
    String base = urls.base() + MessageTemplates.PORTAL_PATH;
    for (int i = 0; i < n; i++) {
      byte[] bits = new byte[16];
      random.nextBytes(bits);
      String token = base64.encodeToString(bits);
      ids[i] = Ids.next();
      hashes[i] = Hashes.sha256(token);
      contacts[i] = requests.get(i).contactId();
      documents[i] = requests.get(i).documentId();
      links.add(base + token);
    }
    jdbc.sql(
            """
            INSERT INTO portal_token (tenant_id, id, token_hash, contact_id, document_id, created_at, expires_at)
            SELECT :tenant, t.id, t.hash, t.contact, t.document, :now, :expires
            FROM unnest(:ids::uuid[], :hashes::bytea[], :contacts::uuid[], :documents::uuid[])
                 AS t(id, hash, contact, document)
            """)
        .param("tenant", tenant.value())
        .param("ids", ids)
        .param("hashes", hashes)
        .param("contacts", contacts)
        .param("documents", documents)
        .param("now", Timestamp.from(clock.instant()))
        .param("expires", Timestamp.from(expiresAt))
        .update();
    return links;
  }

  /** Stores a new token and returns it (the only time it exists in clear). */
  @Transactional(propagation = Propagation.REQUIRED)
  public String newToken(TenantId tenant, UUID contactId, UUID documentId, Instant expiresAt) {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    String token = base64.encodeToString(bits);
    jdbc.sql(
            """
            INSERT INTO portal_token (tenant_id, id, token_hash, contact_id, document_id, created_at, expires_at)
            VALUES (:tenant, :id, :hash, :contact, :document, :now, :expires)
            """)
        .param("tenant", tenant.value())
        .param("id", Ids.next())
        .param("hash", Hashes.sha256(token))
        .param("contact", contactId)
        .param("document", documentId, java.sql.Types.OTHER)
        .param("now", Timestamp.from(clock.instant()))
        .param("expires", Timestamp.from(expiresAt))
        .update();
    return token;
  }

  /**
   * The visitor a token stands for, when it is well-formed, known and not expired; empty for any
   * other token, whatever the reason, so that a refusal says nothing.
   */
  public Optional<Visitor> resolve(String token) {
    if (token == null
        || !token.matches("[A-Za-z0-9_-]{" + MessageTemplates.PORTAL_TOKEN_LENGTH + "}")) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return jdbc.sql(
            """
            UPDATE portal_token SET last_used_at = :now
            WHERE token_hash = :hash AND expires_at > :now
            RETURNING tenant_id, contact_id, document_id, expires_at
            """)
        .param("hash", Hashes.sha256(token))
        .param("now", Timestamp.from(now))
        .query((rs, row) ->
            new Visitor(
                new TenantId(rs.getObject("tenant_id", UUID.class)),
                rs.getObject("contact_id", UUID.class),
                rs.getObject("document_id", UUID.class),
                rs.getTimestamp("expires_at").toInstant()))
        .optional();
  }
}
