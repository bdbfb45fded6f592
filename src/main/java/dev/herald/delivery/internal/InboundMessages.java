package dev.herald.delivery.internal;

import dev.herald.delivery.InboundSmsReceived;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
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
      INSERT INTO inbound_sms (gateway, id, sender, recipient, text, received_at)
      SELECT * FROM unnest(:gateways::text[], :ids::uuid[], :senders::text[], :recipients::text[],
                           :texts::text[], :receivedAts::timestamptz[])
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

  InboundMessages(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Clock clock,
      ApplicationEventPublisher events,
      String defaultSender) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.events = events;
    this.defaultSender = defaultSender;
  }

  void store(java.util.List<InboundSms> messages) {
    int n = messages.size();
    String[] gateways = new String[n];
    UUID[] ids = new UUID[n];
    String[] senders = new String[n];
    String[] recipients = new String[n];
    String[] texts = new String[n];
    Timestamp[] receivedAts = new Timestamp[n];
    for (int i = 0; i < n; i++) {
      InboundSms m = messages.get(i);
      gateways[i] = m.gateway();
      ids[i] = Ids.next();
      senders[i] = clip(m.from().isBlank() ? "unknown" : m.from(), 32);
      recipients[i] = clip(m.to(), 32);
      texts[i] = m.text();
      receivedAts[i] = Timestamp.from(m.receivedAt().truncatedTo(ChronoUnit.MICROS));
    }
    transactions.executeWithoutResult(tx ->
        jdbc.sql(STORE)
            .param("gateways", gateways)
            .param("ids", ids)
            .param("senders", senders)
            .param("recipients", recipients)
            .param("texts", texts)
            .param("receivedAts", receivedAts)
            .update());
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
