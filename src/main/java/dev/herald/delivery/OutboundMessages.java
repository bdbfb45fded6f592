package dev.herald.delivery;

import dev.herald.billing.CreditOutlook;
import dev.herald.billing.CreditRequest;
import dev.herald.billing.CreditReservation;
import dev.herald.billing.CreditUse;
import dev.herald.billing.Credits;
import dev.herald.delivery.internal.CreditSettlements;
import dev.herald.delivery.internal.RecipientMasking;
import dev.herald.delivery.internal.WakeUps;
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
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

  /**
   * Account e-mails (a password reset link) are the addressee's alone: no list, page or API of the
   * company shows them, and their text is removed once sent (see DispatchSql.MARK_SENT).
   */
  static final String NOT_ACCOUNT = "kind <> 'account'";

  /** The reason a deleted contact's messages are cancelled with (and masked after). */
  public static final String CONTACT_DELETED = "contact deleted";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final WakeUps wakeUp;
  private final Credits credits;
  private final CreditSettlements settlements;

  OutboundMessages(
      JdbcClient jdbc,
      Clock clock,
      WakeUps wakeUp,
      Credits credits,
      CreditSettlements settlements) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.wakeUp = wakeUp;
    this.credits = credits;
    this.settlements = settlements;
  }

  /**
   * Writes the messages in the caller's transaction (or a new one) and wakes the workers when that
   * transaction commits. SMS bodies are stored as sent (after smart encoding when asked), with
   * their encoding and segments, and their billed segments are reserved in one call for the whole
   * list, in its order (H2): an SMS that finds no credit is {@code no_credit}, and its e-mail
   * fallback (when the draft carries one and the company keeps that choice on) is queued instead;
   * an SMS of a company that may not send SMS is cancelled at once. A draft with a dedupe key that
   * this company already queued on that channel is not queued (nor reserved) again: its answer is
   * the message queued first. The answer has one entry per draft, in order, then the fallback
   * e-mails queued. Throws IllegalArgumentException for a draft the caller should have refused (no
   * body, a recipient that is not E.164 or an address).
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public List<QueuedMessage> enqueue(TenantId tenant, List<OutboundDraft> drafts) {
    Objects.requireNonNull(tenant, "tenant");
    if (drafts.isEmpty()) {
      return List.of();
    }
    // As the claim reads it: PostgreSQL keeps microseconds.
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    int n = drafts.size();
    List<Row> rows = new ArrayList<>(n);
    for (OutboundDraft draft : drafts) {
      checkDraft(draft);
      rows.add(Row.of(draft, now));
    }
    if (drafts.stream().anyMatch(d -> d.channel() == Channel.SMS && d.dedupeKey() != null)) {
      // A duplicate of this call (an event delivered twice, a form sent twice) waits here for the
      // first to commit, then finds its keys taken: it reserves nothing, so it cannot announce a
      // credit crossing that did not happen.
      credits.lockWallet(tenant);
    }
    Set<Integer> known = alreadyQueued(tenant, drafts);
    List<CreditRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (rows.get(i).channel == Channel.SMS && !known.contains(i) && !rows.get(i).kind.free()) {
        requests.add(new CreditRequest(rows.get(i).id, rows.get(i).segments));
      }
    }
    CreditReservation reservation =
        requests.isEmpty()
            ? null
            : credits.reserve(tenant, "enqueue:" + requests.get(0).reference(), requests);
    List<Row> fallbacks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      if (row.channel != Channel.SMS
          || known.contains(i)
          || row.kind.free()
          || reservation.isReserved(row.id)) {
        continue;
      }
      if (reservation.refusal() == CreditReservation.Refusal.NO_SMS) {
        row.finish(MessageStatus.CANCELLED, SMS_STOPPED);
      } else if (drafts.get(i).fallback() != null && reservation.emailFallback()) {
        Row fallback = Row.fallbackOf(drafts.get(i), now);
        row.finish(MessageStatus.NO_CREDIT, NO_CREDIT_SENT_BY_EMAIL);
        row.fallbackId = fallback.id;
        fallback.fallbackFor = row.id;
        fallbacks.add(fallback);
      } else {
        row.finish(MessageStatus.NO_CREDIT, NO_CREDIT);
      }
    }
    Set<UUID> inserted = insert(tenant, rows, now);
    // A fallback goes only with an SMS row that this call inserted (not one a dedupe key refused).
    fallbacks.removeIf(f -> !inserted.contains(f.fallbackFor));
    inserted.addAll(insert(tenant, fallbacks, now));

    List<QueuedMessage> queued = new ArrayList<>(n + fallbacks.size());
    List<CreditUse> lostRace = new ArrayList<>();
    EnumSet<Channel> woken = EnumSet.noneOf(Channel.class);
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      if (inserted.contains(row.id)) {
        queued.add(new QueuedMessage(row.id, row.channel, row.status, row.segments));
        if (row.status == MessageStatus.QUEUED) {
          woken.add(row.channel);
        }
      } else {
        if (reservation != null && reservation.isReserved(row.id)) {
          // Another enqueue with the same dedupe key committed first: this one's credit goes back.
          lostRace.add(new CreditUse(tenant, row.id, row.segments));
        }
        queued.add(firstWithKey(tenant, drafts.get(i)));
      }
    }
    for (Row fallback : fallbacks) {
      queued.add(new QueuedMessage(fallback.id, Channel.EMAIL, MessageStatus.QUEUED, 0));
      woken.add(Channel.EMAIL);
    }
    credits.release(lostRace);
    if (!woken.isEmpty()) {
      wakeUp.afterCommit(woken);
    }
    return List.copyOf(queued);
  }

  /**
   * What {@link #enqueue} would do with these drafts now, without queuing or reserving anything:
   * the same analysis of each SMS and the same rule for credit (the action's order until it runs
   * out). Dedupe keys are not looked at.
   */
  public EnqueuePreview preview(TenantId tenant, List<OutboundDraft> drafts) {
    Instant now = clock.instant();
    List<Row> rows = new ArrayList<>(drafts.size());
    List<CreditRequest> requests = new ArrayList<>();
    int sms = 0;
    int segments = 0;
    int emails = 0;
    for (OutboundDraft draft : drafts) {
      checkDraft(draft);
      Row row = Row.of(draft, now);
      rows.add(row);
      if (row.channel == Channel.SMS) {
        sms++;
        segments += row.segments;
        requests.add(new CreditRequest(row.id, row.segments));
      } else {
        emails++;
      }
    }
    CreditOutlook outlook = credits.outlook(tenant, requests);
    int fallbacks = 0;
    int noCredit = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      if (row.channel != Channel.SMS
          || !outlook.smsAvailable()
          || outlook.covered().contains(row.id)) {
        continue;
      }
      if (drafts.get(i).fallback() != null && outlook.emailFallback()) {
        fallbacks++;
      } else {
        noCredit++;
      }
    }
    return new EnqueuePreview(
        sms,
        segments,
        emails,
        outlook.covered().size(),
        outlook.units(),
        fallbacks,
        noCredit,
        outlook.smsAvailable(),
        outlook.prepaid(),
        outlook.balance(),
        outlook.balanceAfter());
  }

  /**
   * The reason on an SMS of a company that may not send SMS (also the claim's, see DispatchSql).
   */
  public static final String SMS_STOPPED = "SMS stopped for the company";

  /** The reason on an SMS that found no credit. */
  public static final String NO_CREDIT = "no credit";

  /** The reason on an SMS that found no credit and went by e-mail instead. */
  public static final String NO_CREDIT_SENT_BY_EMAIL = "no credit, sent by e-mail";

  /** One row to insert: a draft as analysed, with the status its reservation gave it. */
  private static final class Row {
    final UUID id = Ids.next();
    UUID contactId;
    Channel channel;
    String recipient;
    String subject;
    String body;
    String encoding;
    int segments;
    OutboundKind kind;
    Instant validUntil;
    String dedupeKey;
    MessageStatus status = MessageStatus.QUEUED;
    String reason;
    UUID fallbackId;
    UUID fallbackFor;
    String replyFrom;
    String replyGateway;

    static Row of(OutboundDraft draft, Instant now) {
      Row row = new Row();
      row.contactId = draft.contactId();
      row.channel = draft.channel();
      row.recipient = draft.recipient().strip();
      if (draft.channel() == Channel.SMS) {
        SmsAnalysis analysis = SmsTexts.analyze(draft.body(), draft.smartEncoding());
        row.body = analysis.text();
        row.encoding = analysis.encoding().name();
        row.segments = analysis.segments();
      } else {
        row.subject = draft.subject();
        row.body = draft.body();
      }
      row.kind = draft.kind();
      row.validUntil =
          draft.validUntil() != null
              ? draft.validUntil()
              : now.plus(draft.kind().defaultValidity());
      row.dedupeKey = draft.dedupeKey();
      if (draft.replyFrom() != null) {
        row.replyFrom = draft.replyFrom().number();
        row.replyGateway = draft.replyFrom().gateway();
      }
      return row;
    }

    static Row fallbackOf(OutboundDraft sms, Instant now) {
      OutboundDraft.EmailFallback f = sms.fallback();
      Row row = new Row();
      row.contactId = sms.contactId();
      row.channel = Channel.EMAIL;
      row.recipient = f.recipient().strip();
      row.subject = f.subject();
      row.body = f.body();
      row.kind = sms.kind();
      row.validUntil =
          sms.validUntil() != null ? sms.validUntil() : now.plus(sms.kind().defaultValidity());
      return row;
    }

    void finish(MessageStatus finalStatus, String why) {
      status = finalStatus;
      reason = why;
    }
  }

  /** The drafts whose dedupe key this company already used on their channel (by index). */
  private Set<Integer> alreadyQueued(TenantId tenant, List<OutboundDraft> drafts) {
    List<String> keys = new ArrayList<>();
    List<String> channels = new ArrayList<>();
    for (OutboundDraft d : drafts) {
      if (d.dedupeKey() != null) {
        keys.add(d.dedupeKey());
        channels.add(d.channel().code());
      }
    }
    if (keys.isEmpty()) {
      return Set.of();
    }
    Set<String> taken =
        new HashSet<>(
            jdbc.sql(
                    """
                    SELECT m.channel || ':' || m.dedupe_key FROM outbound_message m
                    JOIN unnest(:keys::text[], :channels::text[]) AS k(dedupe_key, channel)
                      ON m.dedupe_key = k.dedupe_key AND m.channel = k.channel
                    WHERE m.tenant_id = :tenant
                    """)
                .param("tenant", tenant.value())
                .param("keys", keys.toArray(String[]::new))
                .param("channels", channels.toArray(String[]::new))
                .query(String.class)
                .list());
    Set<Integer> known = new HashSet<>();
    for (int i = 0; i < drafts.size(); i++) {
      OutboundDraft d = drafts.get(i);
      if (d.dedupeKey() != null && taken.contains(d.channel().code() + ":" + d.dedupeKey())) {
        known.add(i);
      }
    }
    return known;
  }

  /**
   * One statement for the whole list: a bulk caller (a route start, the benchmark) pays one round
   * trip. A dedupe key already taken inserts nothing. Returns the ids inserted.
   */
  private Set<UUID> insert(TenantId tenant, List<Row> rows, Instant now) {
    if (rows.isEmpty()) {
      return new HashSet<>();
    }
    int n = rows.size();
    UUID[] ids = new UUID[n];
    UUID[] contacts = new UUID[n];
    String[] channels = new String[n];
    String[] recipients = new String[n];
    String[] subjects = new String[n];
    String[] bodies = new String[n];
    String[] encodings = new String[n];
    Integer[] segments = new Integer[n];
    String[] kinds = new String[n];
    Integer[] priorities = new Integer[n];
    String[] validUntil = new String[n];
    String[] dedupeKeys = new String[n];
    String[] statuses = new String[n];
    String[] reasons = new String[n];
    UUID[] fallbackIds = new UUID[n];
    String[] replyFroms = new String[n];
    String[] replyGateways = new String[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      ids[i] = r.id;
      contacts[i] = r.contactId;
      channels[i] = r.channel.code();
      recipients[i] = r.recipient;
      subjects[i] = r.subject;
      bodies[i] = r.body;
      encodings[i] = r.encoding;
      segments[i] = r.segments;
      kinds[i] = r.kind.code();
      priorities[i] = r.kind.priority();
      validUntil[i] = r.validUntil.toString();
      dedupeKeys[i] = r.dedupeKey;
      statuses[i] = r.status.code();
      reasons[i] = r.reason;
      fallbackIds[i] = r.fallbackId;
      replyFroms[i] = r.replyFrom;
      replyGateways[i] = r.replyGateway;
    }
    return new HashSet<>(
        jdbc.sql(
                """
                INSERT INTO outbound_message (tenant_id, id, contact_id, channel, recipient, subject, body,
                                              encoding, segments, status, status_reason, next_attempt_at,
                                              created_at, updated_at, kind, priority, valid_until, dedupe_key,
                                              fallback_id, reply_from, reply_gateway)
                SELECT :tenant, d.id, d.contact_id, d.channel, d.recipient, d.subject, d.body,
                       d.encoding, d.segments, d.status, d.reason,
                       CASE WHEN d.status = 'queued' THEN :now::timestamptz END, :now, :now, d.kind,
                       d.priority, d.valid_until::timestamptz, d.dedupe_key, d.fallback_id, d.reply_from,
                       d.reply_gateway
                FROM unnest(:ids::uuid[], :contacts::uuid[], :channels::text[], :recipients::text[],
                            :subjects::text[], :bodies::text[], :encodings::text[], :segments::integer[],
                            :kinds::text[], :priorities::integer[], :validUntil::text[], :dedupeKeys::text[],
                            :statuses::text[], :reasons::text[], :fallbackIds::uuid[], :replyFroms::text[],
                            :replyGateways::text[])
                     WITH ORDINALITY
                     AS d(id, contact_id, channel, recipient, subject, body, encoding, segments, kind,
                          priority, valid_until, dedupe_key, status, reason, fallback_id, reply_from,
                          reply_gateway, position)
                ORDER BY d.position
                ON CONFLICT (tenant_id, dedupe_key, channel) WHERE dedupe_key IS NOT NULL DO NOTHING
                RETURNING id
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
            .param("kinds", kinds)
            .param("priorities", priorities)
            .param("validUntil", validUntil)
            .param("dedupeKeys", dedupeKeys)
            .param("statuses", statuses)
            .param("reasons", reasons)
            .param("fallbackIds", fallbackIds)
            .param("replyFroms", replyFroms)
            .param("replyGateways", replyGateways)
            .query(UUID.class)
            .list());
  }

  /** The message a dedupe key queued first (the enqueue that lost the race sees it committed). */
  private QueuedMessage firstWithKey(TenantId tenant, OutboundDraft draft) {
    return jdbc.sql(
            """
            SELECT id, channel, status, lease_until, segments FROM outbound_message
            WHERE tenant_id = :tenant AND dedupe_key = :key AND channel = :channel
            """)
        .param("tenant", tenant.value())
        .param("key", draft.dedupeKey())
        .param("channel", draft.channel().code())
        .query((rs, row) ->
            new QueuedMessage(
                rs.getObject("id", UUID.class),
                Channel.fromCode(rs.getString("channel")),
                shownStatus(
                    rs.getString("status"), rs.getTimestamp("lease_until"), clock.instant()),
                rs.getInt("segments")))
        .single();
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
        cancelWaiting(
            tenant, "contact_id = :contact", Map.of("contact", contactId), CONTACT_DELETED);
    List<Map.Entry<UUID, String>> recipients =
        jdbc.sql(
                """
                SELECT id, recipient FROM outbound_message
                WHERE tenant_id = :tenant AND contact_id = :contact AND NOT recipient_masked
                  AND status NOT IN ('queued', 'sending')
                """)
            .param("tenant", tenant.value())
            .param("contact", contactId)
            .query(
                (rs, row) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("recipient")))
            .list();
    RecipientMasking.mask(jdbc, tenant, recipients, now);
    return cancelled;
  }

  /** SMS stopped for a company (locked, or a plan without SMS): its waiting SMS are cancelled. */
  @Transactional(propagation = Propagation.REQUIRED)
  public int cancelQueuedSms(TenantId tenant, String reason) {
    return cancelWaiting(tenant, "channel = 'sms'", Map.of(), reason);
  }

  /**
   * Cancels the company's messages that match {@code condition} and still wait (queued, retrying,
   * or with an unknown outcome): none of them is submitted again. One a gateway has in hand right
   * now is marked, so that its outcome, if not a success, ends it as cancelled rather than retried.
   * Returns how many it cancelled at once.
   */
  int cancelWaiting(TenantId tenant, String condition, Map<String, Object> params, String reason) {
    // One statement: a row whose lease a record ends meanwhile is re-read after the lock wait, so
    // it is either cancelled here (the record came first) or marked (it is still in hand).
    List<CreditSettlements.Finished> cancelled =
        jdbc.sql(
                """
                WITH changed AS (
                    UPDATE outbound_message SET
                        status = CASE WHEN lease_until IS NOT NULL THEN status ELSE 'cancelled' END,
                        status_reason = CASE WHEN lease_until IS NOT NULL THEN status_reason ELSE :reason END,
                        next_attempt_at = CASE WHEN lease_until IS NOT NULL THEN next_attempt_at END,
                        outcome_unknown_since = CASE WHEN lease_until IS NOT NULL THEN outcome_unknown_since END,
                        cancel_requested = CASE WHEN lease_until IS NOT NULL THEN :reason ELSE cancel_requested END,
                        lease_until = CASE WHEN lease_until IS NOT NULL THEN lease_until END,
                        updated_at = :now
                    WHERE tenant_id = :tenant AND status IN ('queued', 'sending') AND %s
                    RETURNING tenant_id, id, channel, status, segments,
                              %s AS maybe_accepted
                )
                SELECT tenant_id, id, channel, segments, maybe_accepted FROM changed
                WHERE status = 'cancelled'
                """
                    .formatted(condition, CreditSettlements.maybeAcceptedSql("outbound_message")))
            .params(params)
            .param("reason", reason)
            .param("now", Timestamp.from(clock.instant()))
            .param("tenant", tenant.value())
            .query(CreditSettlements::finished)
            .list();
    settlements.settle(cancelled);
    return cancelled.size();
  }

  /** The message with its attempts, if it is this company's. */
  public Optional<MessageView> find(TenantId tenant, UUID id) {
    Optional<MessageView> message =
        jdbc.sql(
                "SELECT * FROM outbound_message WHERE tenant_id = :tenant AND id = :id AND "
                    + NOT_ACCOUNT)
            .param("tenant", tenant.value())
            .param("id", id)
            .query((rs, row) -> map(rs, List.of(), clock.instant()))
            .optional();
    return message.map(m -> withAttempts(m, attempts(tenant, m)));
  }

  /** Newest first; attemptHistory is empty in lists (find has it). */
  public PageOf<MessageView> search(TenantId tenant, MessageFilter filter, int page, int size) {
    MessageFilter f = filter == null ? MessageFilter.all() : filter;
    int pageSize = Math.clamp(size, 1, 200);
    int pageNumber = Math.max(0, page);
    StringBuilder where = new StringBuilder("tenant_id = :tenant AND " + NOT_ACCOUNT);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("tenant", tenant.value());
    if (f.status() == MessageStatus.SENDING) {
      // In flight (a lease) or with an unknown outcome: see V9.
      where.append(" AND (status = 'sending' OR (status = 'queued' AND lease_until > :statusNow))");
      params.put("statusNow", Timestamp.from(clock.instant()));
    } else if (f.status() == MessageStatus.QUEUED) {
      where.append(" AND status = 'queued' AND (lease_until IS NULL OR lease_until <= :statusNow)");
      params.put("statusNow", Timestamp.from(clock.instant()));
    } else if (f.status() != null) {
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
    Instant now = clock.instant();
    long total =
        jdbc.sql("SELECT count(*) FROM outbound_message WHERE " + where)
            .params(params)
            .query(Long.class)
            .single();
    List<MessageView> items =
        jdbc.sql(
                "SELECT * FROM outbound_message WHERE "
                    + where
                    + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
            .params(params)
            .param("limit", pageSize)
            .param("offset", (long) pageNumber * pageSize)
            .query((rs, row) -> map(rs, List.of(), now))
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
            WHERE tenant_id = :tenant AND created_at >= :from AND kind <> 'account'
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
            WHERE tenant_id = :tenant AND created_at >= :from AND kind <> 'account' GROUP BY channel
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
            WHERE tenant_id = :tenant AND status IN ('failed', 'expired', 'no_credit') AND kind <> 'account'
            ORDER BY id DESC LIMIT :limit
            """)
        .param("tenant", tenant.value())
        .param("limit", Math.clamp(limit, 1, 100))
        .query((rs, row) -> map(rs, List.of(), clock.instant()))
        .list();
  }

  /**
   * The attempts of a message: the rows written off the happy path (failures, unknown outcomes,
   * lapsed leases), and the accepted one, which lives on the message row itself.
   */
  private List<AttemptView> attempts(TenantId tenant, MessageView m) {
    List<AttemptView> attempts =
        new ArrayList<>(
            jdbc.sql(
                    """
                    SELECT * FROM outbound_attempt WHERE tenant_id = :tenant AND message_id = :id
                    ORDER BY number
                    """)
                .param("tenant", tenant.value())
                .param("id", m.id())
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
                .list());
    boolean accepted = m.sentAt() != null;
    boolean inFlight = m.status() == MessageStatus.SENDING && m.statusReason() == null;
    // The accepted attempt lives on the row; after a lapsed lease it follows that attempt's own
    // LEASE_LAPSED row (its late answer settled it).
    if ((accepted
            && attempts.stream()
                .noneMatch(a -> a.number() == m.attempts() && "SUBMITTED".equals(a.outcome())))
        || (inFlight && attempts.stream().noneMatch(a -> a.number() == m.attempts()))) {
      attempts.add(
          new AttemptView(
              m.attempts(),
              m.node(),
              m.gateway(),
              null,
              accepted ? m.sentAt() : null,
              accepted ? "SUBMITTED" : null,
              null,
              null));
    }
    return attempts;
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

  private static MessageView map(ResultSet rs, List<AttemptView> attempts, Instant now)
      throws SQLException {
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
        shownStatus(rs.getString("status"), rs.getTimestamp("lease_until"), now),
        rs.getString("status_reason"),
        rs.getString("error_code"),
        rs.getInt("attempts"),
        instant(rs, "created_at"),
        instant(rs, "sent_at"),
        instant(rs, "next_attempt_at"),
        attempts,
        OutboundKind.fromCode(rs.getString("kind")),
        instant(rs, "valid_until"),
        rs.getString("claimed_by"),
        rs.getString("gateway"),
        recipient);
  }

  /**
   * A claimed row is queued with a lease in the database (V9): people see it as sending, also when
   * its lease lapsed and no claim has turned it into an unknown outcome yet.
   */
  static MessageStatus shownStatus(String status, Timestamp leaseUntil, Instant now) {
    if ("queued".equals(status) && leaseUntil != null) {
      return MessageStatus.SENDING; // in a node's hands, or its node died: outcome not known yet
    }
    return MessageStatus.fromCode(status).orElseThrow();
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
        m.kind(),
        m.validUntil(),
        m.node(),
        m.gateway(),
        m.recipient());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
