package dev.herald.tenant;

import dev.herald.shared.Ids;
import dev.herald.shared.PageOf;
import dev.herald.shared.TenantId;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-app notices to a company (a customer replied, a quote was approved, ...): a message key of the
 * bundles with its arguments, shown in each reader's language, a link, read or unread for the whole
 * company. Raised in the caller's transaction; a dedupe key makes a repeated event raise it once.
 */
@Service
public class Notices {

  /** One notice; {@code key} and {@code args} make its text in the reader's language. */
  public record Notice(
      UUID id, String key, List<String> args, String link, Instant createdAt, boolean read) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  Notices(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Raises a notice for the company; link is a path inside Herald ({@code /contacts/...}) or null.
   * Returns false when {@code dedupeKey} was raised already.
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public boolean raise(
      TenantId tenant, String key, List<String> args, String link, String dedupeKey) {
    return jdbc.sql(
                """
                INSERT INTO notice (tenant_id, id, key, args, link, dedupe_key, created_at)
                VALUES (:tenant, :id, :key, :args::text[], :link, :dedupe, :now)
                ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                """)
            .param("tenant", tenant.value())
            .param("id", Ids.next())
            .param("key", key)
            .param("args", args.toArray(String[]::new))
            .param("link", link, java.sql.Types.VARCHAR)
            .param("dedupe", dedupeKey, java.sql.Types.VARCHAR)
            .param("now", Timestamp.from(clock.instant()))
            .update()
        == 1;
  }

  public long unreadCount(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM notice WHERE tenant_id = :t AND read_at IS NULL")
        .param("t", tenant.value())
        .query(Long.class)
        .single();
  }

  /** The company's notices, newest first, a page at a time. */
  public PageOf<Notice> of(TenantId tenant, int page, int size) {
    int pageSize = Math.clamp(size, 1, 100);
    int pageNumber = Math.max(0, page);
    long total =
        jdbc.sql("SELECT count(*) FROM notice WHERE tenant_id = :t")
            .param("t", tenant.value())
            .query(Long.class)
            .single();
    List<Notice> items =
        jdbc.sql(
                """
                SELECT id, key, args, link, created_at, read_at FROM notice WHERE tenant_id = :t
                ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset
                """)
            .param("t", tenant.value())
            .param("limit", pageSize)
            .param("offset", (long) pageNumber * pageSize)
            .query((rs, n) -> {
              Array args = rs.getArray("args");
              return new Notice(
                  rs.getObject("id", UUID.class),
                  rs.getString("key"),
                  Arrays.asList((String[]) args.getArray()),
                  rs.getString("link"),
                  rs.getTimestamp("created_at").toInstant(),
                  rs.getTimestamp("read_at") != null);
            })
            .list();
    return new PageOf<>(items, pageNumber, pageSize, total);
  }

  /** Where a notice of the company points, if it exists and points somewhere. */
  public java.util.Optional<String> linkOf(TenantId tenant, UUID id) {
    return jdbc.sql(
            "SELECT link FROM notice WHERE tenant_id = :t AND id = :id AND link IS NOT NULL")
        .param("t", tenant.value())
        .param("id", id)
        .query(String.class)
        .optional();
  }

  /** Marks one notice read; false when the company has no such unread notice. */
  @Transactional
  public boolean markRead(TenantId tenant, UUID id) {
    return jdbc.sql(
                "UPDATE notice SET read_at = :now WHERE tenant_id = :t AND id = :id AND read_at IS NULL")
            .param("now", Timestamp.from(clock.instant()))
            .param("t", tenant.value())
            .param("id", id)
            .update()
        == 1;
  }

  /** Marks every notice of the company read; returns how many were unread. */
  @Transactional
  public int markAllRead(TenantId tenant) {
    return jdbc.sql("UPDATE notice SET read_at = :now WHERE tenant_id = :t AND read_at IS NULL")
        .param("now", Timestamp.from(clock.instant()))
        .param("t", tenant.value())
        .update();
  }
}
