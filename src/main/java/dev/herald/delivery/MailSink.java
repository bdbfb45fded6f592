package dev.herald.delivery;

import dev.herald.shared.PageOf;
import dev.herald.shared.TenantId;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The e-mails the embedded mail sink received (no SMTP server configured), per company, newest
 * first.
 */
@Service
public class MailSink {

  private final JdbcClient jdbc;

  MailSink(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public PageOf<SinkMail> of(TenantId tenant, int page, int size) {
    int pageSize = Math.clamp(size, 1, 200);
    int pageNumber = Math.max(0, page);
    long total =
        jdbc.sql("SELECT count(*) FROM mail_sink WHERE tenant_id = :tenant")
            .param("tenant", tenant.value())
            .query(Long.class)
            .single();
    List<SinkMail> items =
        jdbc.sql(
                """
                SELECT s.*, coalesce(m.kind = 'account', false) AS account,
                       ARRAY(SELECT a.filename FROM outbound_attachment a
                             WHERE a.tenant_id = s.tenant_id AND a.message_id = s.message_id
                             ORDER BY a.position) AS attachments
                FROM mail_sink s
                LEFT JOIN outbound_message m ON m.tenant_id = s.tenant_id AND m.id = s.message_id
                WHERE s.tenant_id = :tenant
                ORDER BY s.received_at DESC, s.id DESC LIMIT :limit OFFSET :offset
                """)
            .param("tenant", tenant.value())
            .param("limit", pageSize)
            .param("offset", (long) pageNumber * pageSize)
            .query((rs, row) ->
                new SinkMail(
                    rs.getObject("id", UUID.class),
                    rs.getObject("message_id", UUID.class),
                    rs.getString("sender"),
                    rs.getString("recipient"),
                    rs.getString("subject"),
                    rs.getString("body"),
                    rs.getTimestamp("received_at").toInstant(),
                    rs.getString("node"),
                    rs.getBoolean("account"),
                    List.of((String[]) rs.getArray("attachments").getArray())))
            .list();
    return new PageOf<>(items, pageNumber, pageSize, total);
  }
}
