package dev.herald.conversation;

import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageFilter;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.MessageView;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A contact's thread: the SMS the customer sent (kept by {@link KeepingReplies}) and the SMS the
 * company sent them, oldest first.
 */
@Service
public class Conversations {

  /** How many of the latest entries a thread shows. */
  public static final int THREAD_SIZE = 50;

  /** One SMS of a thread: inbound from the customer, or outbound with its status. */
  public record Entry(
      boolean inbound, String text, Instant at, MessageStatus status, UUID messageId) {}

  private final JdbcClient jdbc;
  private final OutboundMessages outbound;

  Conversations(JdbcClient jdbc, OutboundMessages outbound) {
    this.jdbc = jdbc;
    this.outbound = outbound;
  }

  /** The latest {@link #THREAD_SIZE} SMS between the company and the contact, oldest first. */
  public List<Entry> thread(TenantId tenant, UUID contactId) {
    List<Entry> entries = new ArrayList<>();
    jdbc.sql(
            """
            SELECT text, occurred_at FROM conversation_message
            WHERE tenant_id = :t AND contact_id = :c AND direction = 'in'
            ORDER BY occurred_at DESC LIMIT :n
            """)
        .param("t", tenant.value())
        .param("c", contactId)
        .param("n", THREAD_SIZE)
        .query(
            (rs, i) -> new Entry(true, rs.getString(1), rs.getTimestamp(2).toInstant(), null, null))
        .list()
        .forEach(entries::add);
    for (MessageView m :
        outbound
            .search(tenant, new MessageFilter(null, Channel.SMS, contactId), 0, THREAD_SIZE)
            .items()) {
      entries.add(new Entry(false, m.body(), m.createdAt(), m.status(), m.id()));
    }
    entries.sort(Comparator.comparing(Entry::at));
    return entries.size() <= THREAD_SIZE
        ? entries
        : List.copyOf(entries.subList(entries.size() - THREAD_SIZE, entries.size()));
  }

  /** The number the contact last wrote from, where a reply goes first. */
  public Optional<String> lastNumber(TenantId tenant, UUID contactId) {
    return jdbc.sql(
            """
            SELECT number FROM conversation_message
            WHERE tenant_id = :t AND contact_id = :c AND direction = 'in'
            ORDER BY occurred_at DESC LIMIT 1
            """)
        .param("t", tenant.value())
        .param("c", contactId)
        .query(String.class)
        .optional();
  }
}
