package dev.herald.delivery;

import dev.herald.shared.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Files that go with a queued e-mail (a document's PDF): attached in the enqueuing transaction,
 * read by the dispatcher when it sends the e-mail, kept with the message.
 */
@Service
public class OutboundAttachments {

  private final JdbcClient jdbc;

  OutboundAttachments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Attaches the files to a queued e-mail of the company, in the caller's transaction. A message
   * that already has attachments (a dedupe key answered with the first message) keeps its own.
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public void attach(TenantId tenant, QueuedMessage email, List<OutboundAttachment> files) {
    if (email.channel() != Channel.EMAIL) {
      throw new IllegalArgumentException("Only e-mails carry attachments");
    }
    for (int i = 0; i < files.size(); i++) {
      OutboundAttachment file = files.get(i);
      jdbc.sql(
              """
              INSERT INTO outbound_attachment (tenant_id, message_id, position, filename, content_type, content)
              VALUES (:tenant, :message, :position, :filename, :type, :content)
              ON CONFLICT DO NOTHING
              """)
          .param("tenant", tenant.value())
          .param("message", email.id())
          .param("position", i)
          .param("filename", file.filename())
          .param("type", file.contentType())
          .param("content", file.content())
          .update();
    }
  }

  /** The attachments of each of these messages of the company that has any, in order. */
  public Map<UUID, List<OutboundAttachment>> of(TenantId tenant, Collection<UUID> messageIds) {
    Map<UUID, List<OutboundAttachment>> found = new HashMap<>();
    if (messageIds.isEmpty()) {
      return found;
    }
    jdbc.sql(
            """
            SELECT message_id, filename, content_type, content FROM outbound_attachment
            WHERE tenant_id = :tenant AND message_id = ANY(:ids::uuid[])
            ORDER BY message_id, position
            """)
        .param("tenant", tenant.value())
        .param("ids", messageIds.toArray(UUID[]::new))
        .query(rs -> {
          found
              .computeIfAbsent(rs.getObject("message_id", UUID.class), id -> new ArrayList<>())
              .add(
                  new OutboundAttachment(
                      rs.getString("filename"),
                      rs.getString("content_type"),
                      rs.getBytes("content")));
        });
    return found;
  }
}
