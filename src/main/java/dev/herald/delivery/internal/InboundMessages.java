package dev.herald.delivery.internal;

import dev.herald.delivery.InboundSmsReceived;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inbound SMS: stored as the gateway hands them over (before the carrier is acknowledged), then
 * published as {@link InboundSmsReceived} to each company that sends from the number it was sent to
 * (its SMS sender, or the shared default sender when it has none), in the transaction that marks it
 * published. A number shared by several companies reaches all of them, so a STOP to it opts the
 * sender out of every company sending from it. One that reaches no company is kept, published to
 * none.
 */
final class InboundMessages {

  private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);

  private static final String STORE =
      """
      INSERT INTO inbound_sms (gateway, id, sender, recipient, text, received_at, carrier_id)
      SELECT * FROM unnest(:gateways::text[], :ids::uuid[], :senders::text[], :recipients::text[],
                           :texts::text[], :receivedAts::timestamptz[], :carrierIds::text[])
      ON CONFLICT (gateway, carrier_id) WHERE carrier_id IS NOT NULL DO NOTHING
      """;

  /**
   * A batch of unpublished inbound SMS, each with the companies it reaches: a company whose sender
   * is the number it was sent to (compared by digits when both are numbers), or, for the default
   * sender, each company with no sender of its own, and every company the number is assigned to.
   */
  private static final String PUBLISH =
      """
      WITH batch AS (
          SELECT i.gateway, i.id, i.sender, i.recipient, i.text, i.received_at
          FROM inbound_sms i
          WHERE i.published_at IS NULL
          ORDER BY i.received_at
          LIMIT 200
          FOR UPDATE SKIP LOCKED
      ), published AS (
          UPDATE inbound_sms i SET published_at = :now
          FROM batch b WHERE i.gateway = b.gateway AND i.id = b.id
      )
      SELECT b.gateway, b.id, b.sender, b.recipient, b.text, b.received_at, c.id AS tenant_id,
             count(c.id) OVER (PARTITION BY b.gateway, b.id) AS reached
      FROM batch b
      LEFT JOIN company c ON (
          CASE WHEN nullif(btrim(c.sms_sender_name), '') IS NULL THEN :defaultSender
               ELSE btrim(c.sms_sender_name) END = b.recipient
          OR (regexp_replace(coalesce(nullif(btrim(c.sms_sender_name), ''), :defaultSender), '[^0-9]', '', 'g')
                  = regexp_replace(b.recipient, '[^0-9]', '', 'g')
              AND coalesce(nullif(btrim(c.sms_sender_name), ''), :defaultSender) ~ '^\\+?[0-9 ]+$'
              AND b.recipient ~ '^\\+?[0-9]+$')
          -- a number the operator assigned to the company (issue 12: senders), maybe to several
          OR EXISTS (SELECT 1 FROM sender_number_company a JOIN sender_number n ON n.id = a.number_id
                     WHERE a.tenant_id = c.id AND b.recipient ~ '^\\+?[0-9]+$'
                       AND ltrim(n.number, '+') = ltrim(b.recipient, '+')))
      ORDER BY b.received_at, b.id
      """;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final String defaultSender;
  private final Duration partWait;
  private volatile Instant nextOverdueLook = Instant.MIN;

  InboundMessages(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Clock clock,
      ApplicationEventPublisher events,
      String defaultSender,
      Duration partWait) {
    this.partWait = partWait;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.events = events;
    this.defaultSender = defaultSender;
  }

  /**
   * Stores a batch as one transaction: whole SMS as they are; a part of a concatenated SMS beside
   * the others of its set (a part delivered again changes nothing), and the part that completes the
   * set stores the joined SMS.
   */
  void store(List<InboundSms> messages) {
    List<InboundSms> whole = new ArrayList<>();
    List<InboundSms> parts = new ArrayList<>();
    for (InboundSms m : messages) {
      (m.part() == null ? whole : parts).add(m);
    }
    // One order of the sets' locks for every node: two batches never wait for each other in a ring.
    parts.sort(Comparator.comparing(InboundMessages::setKey));
    transactions.executeWithoutResult(tx -> {
      List<InboundSms> joined = new ArrayList<>(whole);
      for (InboundSms part : parts) {
        InboundSms complete = storePart(part);
        if (complete != null) {
          joined.add(complete);
        }
      }
      insert(joined);
    });
  }

  private void insert(List<InboundSms> messages) {
    int n = messages.size();
    if (n == 0) {
      return;
    }
    String[] gateways = new String[n];
    UUID[] ids = new UUID[n];
    String[] senders = new String[n];
    String[] recipients = new String[n];
    String[] texts = new String[n];
    Timestamp[] receivedAts = new Timestamp[n];
    String[] carrierIds = new String[n];
    for (int i = 0; i < n; i++) {
      InboundSms m = messages.get(i);
      carrierIds[i] = m.carrierId() == null || m.carrierId().isBlank() ? null : m.carrierId();
      gateways[i] = m.gateway();
      ids[i] = Ids.next();
      senders[i] = sender(m);
      recipients[i] = clip(m.to(), 32);
      texts[i] = m.text();
      receivedAts[i] = Timestamp.from(m.receivedAt().truncatedTo(ChronoUnit.MICROS));
    }
    jdbc.sql(STORE)
        .param("gateways", gateways)
        .param("ids", ids)
        .param("senders", senders)
        .param("recipients", recipients)
        .param("texts", texts)
        .param("receivedAts", receivedAts)
        .param("carrierIds", carrierIds)
        .update();
  }

  /** Stores one part; returns the whole SMS when this part completed its set, else null. */
  private InboundSms storePart(InboundSms m) {
    InboundSms.Part part = m.part();
    lockSet(m.gateway(), sender(m), clip(m.to(), 32), part.reference(), part.total());
    jdbc.sql(
            """
            INSERT INTO inbound_sms_part (gateway, sender, recipient, reference, total, sequence,
                                          text, received_at)
            VALUES (:gateway, :sender, :recipient, :reference, :total, :sequence, :text,
                    :receivedAt)
            ON CONFLICT DO NOTHING
            """)
        .param("gateway", m.gateway())
        .param("sender", sender(m))
        .param("recipient", clip(m.to(), 32))
        .param("reference", part.reference())
        .param("total", part.total())
        .param("sequence", part.sequence())
        .param("text", m.text())
        .param("receivedAt", Timestamp.from(m.receivedAt().truncatedTo(ChronoUnit.MICROS)))
        .update();
    return joinSet(m.gateway(), sender(m), clip(m.to(), 32), part.reference(), part.total(), true);
  }

  /**
   * Joins the waiting parts of one set into one SMS and marks them joined: only when all are there
   * ({@code complete}), or whatever is there (a set whose other parts never came). Null when there
   * is nothing to join.
   */
  private InboundSms joinSet(
      String gateway, String sender, String recipient, int reference, int total, boolean complete) {
    List<Map<String, Object>> waiting =
        jdbc.sql(
                """
                UPDATE inbound_sms_part SET joined_at = :now
                WHERE gateway = :gateway AND sender = :sender AND recipient = :recipient
                  AND reference = :reference AND total = :total AND joined_at IS NULL
                  AND (NOT :complete OR (SELECT count(*) FROM inbound_sms_part p
                                         WHERE p.gateway = :gateway AND p.sender = :sender
                                           AND p.recipient = :recipient
                                           AND p.reference = :reference AND p.total = :total
                                           AND p.joined_at IS NULL) = :total)
                RETURNING sequence, text, received_at
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("gateway", gateway)
            .param("sender", sender)
            .param("recipient", recipient)
            .param("reference", reference)
            .param("total", total)
            .param("complete", complete)
            .query()
            .listOfRows();
    if (waiting.isEmpty()) {
      return null;
    }
    List<Map<String, Object>> inOrder = new ArrayList<>(waiting);
    inOrder.sort(Comparator.comparingInt(r -> ((Number) r.get("sequence")).intValue()));
    StringBuilder text = new StringBuilder();
    Instant first = null;
    for (Map<String, Object> r : inOrder) {
      text.append((String) r.get("text"));
      Instant at = ((Timestamp) r.get("received_at")).toInstant();
      first = first == null || at.isBefore(first) ? at : first;
    }
    if (inOrder.size() < total) {
      log.info(
          "Inbound SMS on {}: {} of its {} parts came; kept as they are",
          gateway,
          inOrder.size(),
          total);
    }
    return new InboundSms(gateway, sender, recipient, text.toString(), first);
  }

  private void lockSet(String gateway, String sender, String recipient, int reference, int total) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
        .param("key", String.join("|", gateway, sender, recipient, "" + reference, "" + total))
        .query()
        .listOfRows();
  }

  /**
   * Sets whose parts waited longer than {@code partWait} for the rest become one SMS with what
   * came; joined parts are forgotten after as long again. Returns how many sets it joined.
   */
  int joinOverdueParts() {
    Instant now = clock.instant();
    // The matcher loops many times a second under load; a look a few times per part-wait is enough.
    if (now.isBefore(nextOverdueLook)) {
      return 0;
    }
    nextOverdueLook = now.plus(partWait.dividedBy(10));
    Timestamp overdue = Timestamp.from(now.minus(partWait));
    return transactions.execute(tx -> {
      jdbc.sql("DELETE FROM inbound_sms_part WHERE joined_at < :overdue")
          .param("overdue", overdue)
          .update();
      List<Map<String, Object>> sets =
          jdbc.sql(
                  """
                  SELECT gateway, sender, recipient, reference, total
                  FROM inbound_sms_part WHERE joined_at IS NULL
                  GROUP BY gateway, sender, recipient, reference, total
                  HAVING max(received_at) < :overdue
                  ORDER BY gateway, sender, recipient, reference, total
                  LIMIT 100
                  """)
              .param("overdue", overdue)
              .query()
              .listOfRows();
      List<InboundSms> joined = new ArrayList<>();
      for (Map<String, Object> set : sets) {
        String gateway = (String) set.get("gateway");
        String sender = (String) set.get("sender");
        String recipient = (String) set.get("recipient");
        int reference = ((Number) set.get("reference")).intValue();
        int total = ((Number) set.get("total")).intValue();
        lockSet(gateway, sender, recipient, reference, total);
        InboundSms sms = joinSet(gateway, sender, recipient, reference, total, false);
        if (sms != null) {
          joined.add(sms);
        }
      }
      insert(joined);
      return joined.size();
    });
  }

  private static String setKey(InboundSms m) {
    return String.join(
        "|",
        m.gateway(),
        sender(m),
        clip(m.to(), 32),
        "" + m.part().reference(),
        "" + m.part().total());
  }

  private static String sender(InboundSms m) {
    return clip(m.from().isBlank() ? "unknown" : m.from(), 32);
  }

  /** Publishes one batch of stored inbound SMS; returns how many SMS it took. */
  int publishDue() {
    return transactions.execute(tx -> {
      java.util.Set<UUID> seen = new java.util.HashSet<>();
      int[] reached = {0};
      jdbc.sql(PUBLISH)
          .param("now", Timestamp.from(clock.instant()))
          .param("defaultSender", defaultSender)
          .query(rs -> {
            UUID id = rs.getObject("id", UUID.class);
            seen.add(id);
            UUID tenant = rs.getObject("tenant_id", UUID.class);
            if (tenant == null) {
              log.info(
                  "Inbound SMS {} on {}: the number it was sent to belongs to no company; kept",
                  id,
                  rs.getString("gateway"));
              return;
            }
            reached[0]++;
            events.publishEvent(
                new InboundSmsReceived(
                    new TenantId(tenant),
                    id,
                    rs.getString("gateway"),
                    rs.getString("sender"),
                    rs.getString("recipient"),
                    rs.getString("text"),
                    rs.getTimestamp("received_at").toInstant(),
                    rs.getInt("reached") > 1));
          });
      return seen.size();
    });
  }

  private static String clip(String s, int max) {
    return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
  }
}
