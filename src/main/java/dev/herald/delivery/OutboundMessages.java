package dev.herald.delivery;

import dev.herald.shared.Ids;
import dev.herald.shared.PageOf;
import dev.herald.shared.PhoneNumber;
import dev.herald.shared.Recipients;
import dev.herald.shared.TenantId;
import dev.herald.smstext.SmsAnalysis;
import dev.herald.smstext.SmsTexts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbound queue (G1): messages are queued in the caller's transaction and followed to the end.
 */
@Service
public class OutboundMessages {

  /**
   * The channel workers LISTEN on; a NOTIFY is delivered when the enqueuing transaction commits.
   */
  public static final String WAKE_UP_CHANNEL = "herald_delivery";

  private final JdbcClient jdbc;
  private final Clock clock;

  OutboundMessages(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Writes the messages in the caller's transaction (or a new one), status queued, and NOTIFYs the
   * workers, which PostgreSQL delivers on commit. SMS bodies are stored as sent (after smart
   * encoding when asked), with their encoding and segments. Throws IllegalArgumentException for a
   * draft the caller should have refused (no body, a recipient that is not E.164 or an address).
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public List<QueuedMessage> enqueue(TenantId tenant, List<OutboundDraft> drafts) {
    Objects.requireNonNull(tenant, "tenant");
    if (drafts.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    int n = drafts.size();
    UUID[] ids = new UUID[n];
    UUID[] contacts = new UUID[n];
    String[] channels = new String[n];
    String[] recipients = new String[n];
    String[] subjects = new String[n];
    String[] bodies = new String[n];
    String[] encodings = new String[n];
    Integer[] segments = new Integer[n];
    List<QueuedMessage> queued = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      OutboundDraft draft = drafts.get(i);
      checkDraft(draft);
      ids[i] = Ids.next();
      contacts[i] = draft.contactId();
      channels[i] = draft.channel().code();
      recipients[i] = draft.recipient().strip();
      if (draft.channel() == Channel.SMS) {
        SmsAnalysis analysis = SmsTexts.analyze(draft.body(), draft.smartEncoding());
        bodies[i] = analysis.text();
        encodings[i] = analysis.encoding().name();
        segments[i] = analysis.segments();
      } else {
        subjects[i] = draft.subject();
        bodies[i] = draft.body();
        segments[i] = 0;
      }
      queued.add(new QueuedMessage(ids[i], draft.channel(), MessageStatus.QUEUED, segments[i]));
    }
    // One statement for the whole list: a bulk caller (a route start, the benchmark) pays one round
    // trip.
    jdbc.sql(
            """
            INSERT INTO outbound_message (tenant_id, id, contact_id, channel, recipient, subject, body,
                                          encoding, segments, status, next_attempt_at, created_at, updated_at)
            SELECT :tenant, d.id, d.contact_id, d.channel, d.recipient, d.subject, d.body,
                   d.encoding, d.segments, 'queued', :now, :now, :now
            FROM unnest(:ids::uuid[], :contacts::uuid[], :channels::text[], :recipients::text[],
                        :subjects::text[], :bodies::text[], :encodings::text[], :segments::integer[])
                 AS d(id, contact_id, channel, recipient, subject, body, encoding, segments)
            """)
        .param("tenant", tenant.value())
        .param("now", Timestamp.from(now))
        .param("ids", ids)
        .param("contacts", contacts)
        .param("channels", channels)
        .param("recipients", recipients)
        .param("subjects", subjects)
        .param("bodies", bodies)
        .param("encodings", encodings)
        .param("segments", segments)
        .update();
    jdbc.sql("SELECT pg_notify('" + WAKE_UP_CHANNEL + "', '')").query().singleValue();
    return List.copyOf(queued);
  }

  /**
   * Forgets a deleted contact: messages still waiting are cancelled, and every message's recipient
   * is masked here, in the simulator's records and in the mail sink. The texts stay, so the history
   * and the money records still add up. In-flight messages ('sending') are left to finish.
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public int forgetContact(TenantId tenant, UUID contactId) {
    Timestamp now = Timestamp.from(clock.instant());
    int cancelled =
        jdbc.sql(
                """
                UPDATE outbound_message SET status = 'cancelled', status_reason = 'contact deleted',
                       next_attempt_at = NULL, updated_at = :now
                WHERE tenant_id = :tenant AND contact_id = :contact AND status = 'queued'
                """)
            .param("now", now)
            .param("tenant", tenant.value())
            .param("contact", contactId)
            .update();
    List<Map.Entry<UUID, String>> recipients =
        jdbc.sql(
                """
                SELECT id, recipient FROM outbound_message
                WHERE tenant_id = :tenant AND contact_id = :contact AND NOT recipient_masked
                  AND status <> 'sending'
                """)
            .param("tenant", tenant.value())
            .param("contact", contactId)
            .query(
                (rs, row) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("recipient")))
            .list();
    for (Map.Entry<UUID, String> r : recipients) {
      String masked = Recipients.mask(r.getValue());
      jdbc.sql(
              """
              UPDATE outbound_message SET recipient = :masked, recipient_masked = true, updated_at = :now
              WHERE tenant_id = :tenant AND id = :id
              """)
          .param("masked", masked)
          .param("now", now)
          .param("tenant", tenant.value())
          .param("id", r.getKey())
          .update();
      for (String table : List.of("simulator_sms", "mail_sink")) {
        jdbc.sql(
                "UPDATE "
                    + table
                    + " SET recipient = :masked WHERE tenant_id = :tenant AND message_id = :id")
            .param("masked", masked)
            .param("tenant", tenant.value())
            .param("id", r.getKey())
            .update();
      }
    }
    return cancelled;
  }

  /** SMS stopped for a company (locked, or a plan without SMS): its queued SMS are cancelled. */
  @Transactional(propagation = Propagation.REQUIRED)
  public int cancelQueuedSms(TenantId tenant, String reason) {
    return jdbc.sql(
            """
            UPDATE outbound_message SET status = 'cancelled', status_reason = :reason,
                   next_attempt_at = NULL, updated_at = :now
            WHERE tenant_id = :tenant AND channel = 'sms' AND status = 'queued'
            """)
        .param("reason", reason)
        .param("now", Timestamp.from(clock.instant()))
        .param("tenant", tenant.value())
        .update();
  }

  /** The message with its attempts, if it is this company's. */
  public Optional<MessageView> find(TenantId tenant, UUID id) {
    Optional<MessageView> message =
        jdbc.sql("SELECT * FROM outbound_message WHERE tenant_id = :tenant AND id = :id")
            .param("tenant", tenant.value())
            .param("id", id)
            .query((rs, row) -> map(rs, List.of()))
            .optional();
    return message.map(m -> withAttempts(m, attempts(tenant, id)));
  }

  /** Newest first; attemptHistory is empty in lists (find has it). */
  public PageOf<MessageView> search(TenantId tenant, MessageFilter filter, int page, int size) {
    MessageFilter f = filter == null ? MessageFilter.all() : filter;
    int pageSize = Math.clamp(size, 1, 200);
    int pageNumber = Math.max(0, page);
    StringBuilder where = new StringBuilder("tenant_id = :tenant");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("tenant", tenant.value());
    if (f.status() != null) {
      where.append(" AND status = :status");
      params.put("status", f.status().code());
    }
    if (f.channel() != null) {
      where.append(" AND channel = :channel");
      params.put("channel", f.channel().code());
    }
    if (f.contactId() != null) {
      where.append(" AND contact_id = :contact");
      params.put("contact", f.contactId());
    }
    long total =
        jdbc.sql("SELECT count(*) FROM outbound_message WHERE " + where)
            .params(params)
            .query(Long.class)
            .single();
    List<MessageView> items =
        jdbc.sql(
                "SELECT * FROM outbound_message WHERE "
                    + where
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
            .params(params)
            .param("limit", pageSize)
            .param("offset", (long) pageNumber * pageSize)
            .query((rs, row) -> map(rs, List.of()))
            .list();
    return new PageOf<>(items, pageNumber, pageSize, total);
  }

  /** Sent and failed messages of one day (in the company's time zone) and channel. */
  public record DailyCount(java.time.LocalDate day, Channel channel, long sent, long failed) {}

  /**
   * Per day from {@code from} (inclusive, in {@code zone}) and channel: messages sent or delivered,
   * and those that failed, expired or had no credit. Days without messages are absent.
   */
  public List<DailyCount> dailyCounts(TenantId tenant, java.time.ZoneId zone, Instant from) {
    return jdbc.sql(
            """
            SELECT (created_at AT TIME ZONE :zone)::date AS day, channel,
                   count(*) FILTER (WHERE status IN ('sent', 'delivered')) AS sent,
                   count(*) FILTER (WHERE status IN ('failed', 'expired', 'no_credit')) AS failed
            FROM outbound_message
            WHERE tenant_id = :tenant AND created_at >= :from
            GROUP BY 1, 2 ORDER BY 1, 2
            """)
        .param("zone", zone.getId())
        .param("tenant", tenant.value())
        .param("from", Timestamp.from(from))
        .query((rs, row) ->
            new DailyCount(
                rs.getObject("day", java.time.LocalDate.class),
                Channel.fromCode(rs.getString("channel")),
                rs.getLong("sent"),
                rs.getLong("failed")))
        .list();
  }

  /** How many messages the company queued since {@code from}, per channel. */
  public Map<Channel, Long> countsSince(TenantId tenant, Instant from) {
    Map<Channel, Long> counts = new LinkedHashMap<>();
    for (Channel c : Channel.values()) {
      counts.put(c, 0L);
    }
    jdbc.sql(
            """
            SELECT channel, count(*) FROM outbound_message
            WHERE tenant_id = :tenant AND created_at >= :from GROUP BY channel
            """)
        .param("tenant", tenant.value())
        .param("from", Timestamp.from(from))
        .query(rs -> {
          counts.put(Channel.fromCode(rs.getString(1)), rs.getLong(2));
        });
    return counts;
  }

  /** The company's latest messages that failed, expired or had no credit, newest first. */
  public List<MessageView> lastFailures(TenantId tenant, int limit) {
    return jdbc.sql(
            """
            SELECT * FROM outbound_message
            WHERE tenant_id = :tenant AND status IN ('failed', 'expired', 'no_credit')
            ORDER BY created_at DESC, id DESC LIMIT :limit
            """)
        .param("tenant", tenant.value())
        .param("limit", Math.clamp(limit, 1, 100))
        .query((rs, row) -> map(rs, List.of()))
        .list();
  }

  private List<AttemptView> attempts(TenantId tenant, UUID id) {
    return jdbc.sql(
            """
            SELECT * FROM outbound_attempt WHERE tenant_id = :tenant AND message_id = :id ORDER BY number
            """)
        .param("tenant", tenant.value())
        .param("id", id)
        .query((rs, row) ->
            new AttemptView(
                rs.getInt("number"),
                rs.getString("node"),
                rs.getString("gateway"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getString("outcome"),
                rs.getString("error_code"),
                rs.getString("error_message")))
        .list();
  }

  private static void checkDraft(OutboundDraft draft) {
    Objects.requireNonNull(draft.channel(), "channel");
    if (draft.body() == null || draft.body().isBlank()) {
      throw new IllegalArgumentException("A message needs a body");
    }
    String recipient = draft.recipient() == null ? "" : draft.recipient().strip();
    if (draft.channel() == Channel.SMS) {
      new PhoneNumber(recipient); // throws for anything but E.164
    } else if (recipient.indexOf('@') < 1) {
      throw new IllegalArgumentException("Not an e-mail address");
    }
  }

  private static MessageView map(ResultSet rs, List<AttemptView> attempts) throws SQLException {
    Channel channel = Channel.fromCode(rs.getString("channel"));
    String recipient = rs.getString("recipient");
    return new MessageView(
        rs.getObject("id", UUID.class),
        rs.getObject("contact_id", UUID.class),
        channel,
        Recipients.mask(recipient),
        rs.getString("subject"),
        rs.getString("body"),
        rs.getString("encoding"),
        rs.getInt("segments"),
        MessageStatus.fromCode(rs.getString("status")).orElseThrow(),
        rs.getString("status_reason"),
        rs.getString("error_code"),
        rs.getInt("attempts"),
        instant(rs, "created_at"),
        instant(rs, "sent_at"),
        instant(rs, "next_attempt_at"),
        attempts,
        recipient);
  }

  private static MessageView withAttempts(MessageView m, List<AttemptView> attempts) {
    return new MessageView(
        m.id(),
        m.contactId(),
        m.channel(),
        m.maskedRecipient(),
        m.subject(),
        m.body(),
        m.encoding(),
        m.segments(),
        m.status(),
        m.statusReason(),
        m.errorCode(),
        m.attempts(),
        m.createdAt(),
        m.sentAt(),
        m.nextAttemptAt(),
        List.copyOf(attempts),
        m.recipient());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
