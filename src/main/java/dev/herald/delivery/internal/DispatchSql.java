package dev.herald.delivery.internal;

import dev.herald.tenant.Company;

/**
 * The dispatcher's statements, in one place so that the benchmark's reference loop runs exactly
 * these without Herald around them.
 *
 * <p>A row's life: {@code queued} with {@code lease_until} NULL is waiting; a claim gives it a
 * lease (still {@code queued} in the database, shown as {@code sending}); the record step makes it
 * {@code sent}, {@code failed}, {@code queued} again (a retry) or {@code sending} (outcome unknown,
 * due again at the end of the gateway's window). A lease that lapses turns into an unknown outcome,
 * never straight into a new submit.
 */
public final class DispatchSql {

  private DispatchSql() {}

  /** Companies with due work in a channel: a skip scan over the claim index, from :cursor on. */
  private static final String DUE_IN_CHANNEL =
      "m.channel = :channel AND m.status IN ('queued', 'sending') AND m.next_attempt_at <= :now";

  /**
   * Claims due rows of one channel, in one round trip, fairly: up to :maxTenants companies with due
   * work (round robin: from the company after :cursor, where the lane's last claim stopped, so that
   * each gets its turn when there are more than a claim takes), an equal share of the batch from
   * each, in order of priority, then the share's rank, then due time; up to :budget parts
   * (rate-limit tokens). Senders' limits are not here: they are taken after routing (SenderLimits),
   * per routed gateway and the source address an SMS goes from. In the same statement it applies
   * the one rule of "may this still go out?" (the company may send SMS, the recipient is not
   * suppressed, the message is still valid, nobody asked to cancel it) and turns lapsed leases into
   * unknown outcomes, or failures after :maxLapses. Returns the rows to submit (with their kind,
   * their company's sender numbers, and the node and gateway of their earlier attempt, so that a
   * row put back can be restored exactly), and one row per other decision.
   */
  public static final String CLAIM =
      """
      WITH RECURSIVE upper_tenants(tenant_id, n) AS (
          (SELECT m.tenant_id, 1 FROM outbound_message m
           WHERE %1$s AND m.tenant_id > :cursor ORDER BY m.tenant_id LIMIT 1)
          UNION ALL
          SELECT (SELECT m.tenant_id FROM outbound_message m
                  WHERE %1$s AND m.tenant_id > t.tenant_id ORDER BY m.tenant_id LIMIT 1), t.n + 1
          FROM upper_tenants t WHERE t.tenant_id IS NOT NULL AND t.n < :maxTenants
      ), lower_tenants(tenant_id, n) AS (
          (SELECT m.tenant_id, 1 FROM outbound_message m
           WHERE %1$s AND m.tenant_id <= :cursor ORDER BY m.tenant_id LIMIT 1)
          UNION ALL
          SELECT (SELECT m.tenant_id FROM outbound_message m
                  WHERE %1$s AND m.tenant_id > t.tenant_id AND m.tenant_id <= :cursor
                  ORDER BY m.tenant_id LIMIT 1), t.n + 1
          FROM lower_tenants t WHERE t.tenant_id IS NOT NULL AND t.n < :maxTenants
      ), tenants AS (
          SELECT tenant_id, n FROM (
              SELECT tenant_id, n FROM upper_tenants WHERE tenant_id IS NOT NULL
              UNION ALL
              SELECT tenant_id, n + :maxTenants FROM lower_tenants WHERE tenant_id IS NOT NULL
          ) both_ends ORDER BY n LIMIT :maxTenants
      ), next_cursor AS (
          -- where the next claim of this lane starts: round robin over companies with due work
          SELECT tenant_id FROM tenants ORDER BY n DESC LIMIT 1
      ), share AS (
          SELECT greatest(1, ceil(:batch::numeric / greatest(count(*), 1)))::integer AS per_tenant FROM tenants
      ), picked AS (
          SELECT p.* FROM tenants t
          CROSS JOIN LATERAL (
              SELECT m.tenant_id, m.id, m.channel, m.recipient, m.priority, m.next_attempt_at, m.segments,
                     m.status, m.lease_until, m.lease_lapses, m.valid_until, m.cancel_requested,
                     m.kind, m.claimed_by, m.gateway
              FROM outbound_message m
              WHERE m.tenant_id = t.tenant_id AND %1$s
                AND (m.lease_until IS NULL OR m.lease_until <= :now)
              ORDER BY m.priority, m.next_attempt_at
              LIMIT (SELECT per_tenant FROM share)
              FOR UPDATE OF m SKIP LOCKED
          ) p
      ), decided AS (
          SELECT p.*,
                 row_number() OVER (PARTITION BY p.tenant_id ORDER BY p.priority, p.next_attempt_at, p.id) AS rank,
                 CASE
                     WHEN p.lease_until IS NOT NULL AND p.lease_lapses + 1 >= :maxLapses THEN 'fail_lapsed'
                     WHEN p.lease_until IS NOT NULL THEN 'lapse'
                     WHEN p.cancel_requested IS NOT NULL THEN 'cancel'
                     WHEN p.channel = 'sms' AND NOT %2$s THEN 'stop'
                     WHEN p.kind <> 'opt_out_answer'
                          AND EXISTS (SELECT 1 FROM delivery_suppression s
                                      WHERE s.tenant_id = p.tenant_id AND s.channel = p.channel
                                        AND s.recipient = p.recipient) THEN 'suppressed'
                     WHEN p.valid_until IS NOT NULL AND p.valid_until <= :now THEN 'expire'
                     WHEN p.status = 'sending' AND :unknownPolicy = 'fail' THEN 'fail_unknown'
                     ELSE 'submit'
                 END AS decision,
                 coalesce(nullif(btrim(c.sms_sender_name), ''), :defaultSender) AS sender_name
          FROM picked p JOIN company c ON c.id = p.tenant_id
      ), budgeted AS (
          SELECT d.*,
                 CASE WHEN d.decision = 'submit' THEN greatest(d.segments, 1) ELSE 0 END AS cost,
                 sum(CASE WHEN d.decision = 'submit' THEN greatest(d.segments, 1) ELSE 0 END)
                     OVER (ORDER BY d.priority, d.rank, d.next_attempt_at, d.id ROWS UNBOUNDED PRECEDING) AS running
          FROM decided d
      ), within_budget AS (
          -- A message starts within the budget (so one longer than a whole budget still goes).
          SELECT * FROM budgeted WHERE decision <> 'submit' OR running - cost < :budget
      ), claimed AS (
          UPDATE outbound_message m
          SET attempts = m.attempts + 1, lease_until = :leaseUntil, claimed_by = :node, gateway = :gateway,
              updated_at = :now
          FROM within_budget ch
          WHERE ch.decision = 'submit' AND m.tenant_id = ch.tenant_id AND m.id = ch.id
          RETURNING m.tenant_id, m.id, m.recipient, m.subject, m.body, m.encoding, m.segments, m.attempts,
                    'submit'::text AS decision, ch.sender_name, m.valid_until, m.kind,
                    ch.claimed_by AS prior_node, ch.gateway AS prior_gateway, m.reply_from, m.reply_gateway
      ), finished AS (
          UPDATE outbound_message m
          SET status = CASE ch.decision WHEN 'expire' THEN 'expired'
                                        WHEN 'fail_lapsed' THEN 'failed'
                                        WHEN 'fail_unknown' THEN 'failed'
                                        ELSE 'cancelled' END,
              status_reason = CASE ch.decision
                  WHEN 'cancel' THEN m.cancel_requested
                  WHEN 'stop' THEN '%4$s'
                  WHEN 'suppressed' THEN 'recipient opted out'
                  WHEN 'expire' THEN 'validity passed before it could be sent'
                  WHEN 'fail_lapsed' THEN 'no node recorded its outcome; lease lapsed ' || (m.lease_lapses + 1) || ' times'
                  ELSE 'outcome unknown; this gateway does not resubmit' END,
              error_code = CASE ch.decision WHEN 'fail_lapsed' THEN 'LEASE_LAPSED'
                                            WHEN 'fail_unknown' THEN 'OUTCOME_UNKNOWN'
                                            ELSE m.error_code END,
              lease_lapses = m.lease_lapses + CASE WHEN ch.decision = 'fail_lapsed' THEN 1 ELSE 0 END,
              next_attempt_at = NULL, lease_until = NULL, outcome_unknown_since = NULL, updated_at = :now
          FROM within_budget ch
          WHERE ch.decision IN ('cancel', 'stop', 'suppressed', 'expire', 'fail_lapsed', 'fail_unknown')
            AND m.tenant_id = ch.tenant_id AND m.id = ch.id
          RETURNING m.tenant_id, m.id, m.attempts, m.claimed_by, m.gateway, ch.lease_until, ch.decision,
                    m.recipient, m.cancel_requested, m.channel, m.segments,
                    (ch.decision IN ('fail_lapsed', 'fail_unknown') OR ch.status = 'sending'
                     OR %3$s) AS maybe_accepted
      ), lapsed AS (
          UPDATE outbound_message m
          SET status = 'sending', status_reason = 'outcome unknown', error_code = 'LEASE_LAPSED',
              outcome_unknown_since = :now, next_attempt_at = :unknownUntil, lease_until = NULL,
              lease_lapses = m.lease_lapses + 1, updated_at = :now
          FROM within_budget ch
          WHERE ch.decision = 'lapse' AND m.tenant_id = ch.tenant_id AND m.id = ch.id
          RETURNING m.tenant_id, m.id, m.attempts, m.claimed_by, m.gateway, ch.lease_until, ch.decision,
                    m.recipient, m.cancel_requested, m.channel, m.segments, true AS maybe_accepted
      ), lapsed_attempts AS (
          INSERT INTO outbound_attempt (tenant_id, message_id, number, node, gateway, started_at, finished_at,
                                        outcome, error_code, error_message)
          SELECT l.tenant_id, l.id, l.attempts, l.claimed_by, coalesce(l.gateway, :gateway),
                 l.lease_until - make_interval(secs => :leaseSeconds), :now, 'LEASE_LAPSED', 'LEASE_LAPSED',
                 'the node that claimed it did not record an outcome before its lease ended'
          FROM (SELECT * FROM lapsed UNION ALL SELECT * FROM finished WHERE decision = 'fail_lapsed') l
          WHERE l.attempts >= 1
          ON CONFLICT DO NOTHING
      ), sender_numbers AS (
          -- The numbers each company of the claim sends from ("number, country, gateway or empty"
          -- for any): the source addresses are chosen from these without a second read of the batch.
          SELECT a.tenant_id,
                 array_agg(n.number || E'\\x1F' || n.country || E'\\x1F' || coalesce(n.gateway, '')
                           ORDER BY n.number) AS numbers
          FROM sender_number_company a JOIN sender_number n ON n.id = a.number_id
          WHERE a.tenant_id IN (SELECT tenant_id FROM claimed)
          GROUP BY a.tenant_id
      )
      SELECT c.tenant_id, c.id, c.recipient, c.subject, c.body, c.encoding, c.segments, c.attempts, c.decision,
             (SELECT tenant_id FROM next_cursor) AS next_cursor, c.sender_name, NULL AS cancel_requested,
             NULL AS channel, NULL::boolean AS maybe_accepted, c.valid_until, c.kind, sn.numbers,
             c.prior_node, c.prior_gateway, c.reply_from, c.reply_gateway
      FROM claimed c LEFT JOIN sender_numbers sn ON sn.tenant_id = c.tenant_id
      UNION ALL
      SELECT tenant_id, id, recipient, NULL, NULL, NULL, segments, attempts, decision,
             (SELECT tenant_id FROM next_cursor), NULL, cancel_requested, channel, maybe_accepted, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL
      FROM finished
      UNION ALL
      SELECT tenant_id, id, NULL, NULL, NULL, NULL, 0, attempts, decision,
             (SELECT tenant_id FROM next_cursor), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL
      FROM lapsed
      """
          .formatted(
              DUE_IN_CHANNEL,
              Company.smsAvailableSql("c"),
              CreditSettlements.maybeAcceptedSql("m"),
              dev.herald.delivery.OutboundMessages.SMS_STOPPED);

  /**
   * The record's guard, over the message {@code m} and the batch row {@code r}: this node still
   * holds the lease and attempt it claimed. The lease and the node come from {@code r} (a
   * MATERIALIZED CTE), so the guard is a join condition: written as constants on {@code m}, the
   * planner took "lease_until = the claim's lease" for one row at most and planned a nested loop
   * with the whole batch as its inner side, for every row it scanned (500 x 500 comparisons,
   * 400-600 ms per batch of 500 in the SMPP benchmark; issue 12). Now it hashes the batch, or looks
   * each row up by its primary key on a large table.
   */
  private static final String LEASE_HELD =
      """
      m.attempts = r.attempt AND m.claimed_by = r.node
                AND (m.lease_until = r.lease_until
                     -- a late answer of this very attempt, after its lease lapsed: news that settles it
                     OR (m.status = 'sending' AND m.lease_until IS NULL AND m.error_code = 'LEASE_LAPSED'))\
      """;

  /**
   * Records accepted submits: sent, with the gateway's ids (part 1 on the row, further parts in
   * outbound_gateway_part). Only rows whose lease and attempt this node still holds; returns those.
   */
  public static final String MARK_SENT =
      """
      WITH r AS MATERIALIZED (
          -- The lease and node are columns here, not constants on m: see LEASE_HELD.
          SELECT u.*, :leaseUntil::timestamptz AS lease_until, :node::text AS node
          FROM unnest(:tenants::uuid[], :ids::uuid[], :attempts::integer[], :gatewayIds::text[])
              AS u(tenant_id, id, attempt, gateway_ids)
      ), sent AS (
          UPDATE outbound_message m
          SET status = 'sent', sent_at = :now, updated_at = :now, next_attempt_at = NULL, lease_until = NULL,
              status_reason = NULL, error_code = NULL, outcome_unknown_since = NULL,
              -- an account e-mail's one-time link is the addressee's alone: not kept once sent
              body = CASE WHEN m.kind = 'account' THEN '(one-time link, removed once sent)' ELSE m.body END,
              gateway_message_ids = string_to_array(nullif(r.gateway_ids, ''), E'\\x1F'),
              gateway_message_id = nullif(split_part(r.gateway_ids, E'\\x1F', 1), ''),
              parts_submitted = coalesce(cardinality(string_to_array(nullif(r.gateway_ids, ''), E'\\x1F')), 0)
          FROM r
          WHERE m.tenant_id = r.tenant_id AND m.id = r.id AND %s
          RETURNING m.tenant_id, m.id, m.attempts, m.gateway, m.gateway_message_ids, m.recipient,
                    m.cancel_requested
      ), parts AS (
          INSERT INTO outbound_gateway_part (gateway, gateway_message_id, tenant_id, message_id, attempt, part)
          SELECT s.gateway, g.id, s.tenant_id, s.id, s.attempts, g.n
          FROM sent s CROSS JOIN LATERAL unnest(s.gateway_message_ids) WITH ORDINALITY AS g(id, n)
          WHERE g.n >= 2
          ON CONFLICT DO NOTHING
      )
      SELECT tenant_id, id, recipient, cancel_requested FROM sent
      """
          .formatted(LEASE_HELD);

  /**
   * Records every other outcome, each with an attempt row: a retry (queued again at :next, or
   * cancelled when someone asked meanwhile), an unknown outcome (sending, due at the end of the
   * window), a failure. Only rows whose lease and attempt this node still holds; returns those.
   */
  public static final String RECORD_OUTCOMES =
      """
      WITH r AS MATERIALIZED (
          -- The lease and node are columns here, not constants on m: see LEASE_HELD.
          SELECT u.*, :leaseUntil::timestamptz AS lease_until, :node::text AS node
          FROM unnest(:tenants::uuid[], :ids::uuid[], :attempts::integer[], :outcomes::text[],
                      :codes::text[], :messages::text[], :statuses::text[], :reasons::text[],
                      :nexts::timestamptz[])
              AS u(tenant_id, id, attempt, outcome, code, message, status, reason, next_at)
      ), updated AS (
          UPDATE outbound_message m
          SET status = CASE WHEN r.status = 'queued' AND m.cancel_requested IS NOT NULL THEN 'cancelled'
                            ELSE r.status END,
              status_reason = CASE WHEN r.status = 'queued' AND m.cancel_requested IS NOT NULL
                                   THEN m.cancel_requested ELSE r.reason END,
              next_attempt_at = CASE WHEN r.status = 'queued' AND m.cancel_requested IS NOT NULL THEN NULL
                                     ELSE r.next_at END,
              outcome_unknown_since = CASE WHEN r.status = 'sending' THEN :now::timestamptz END,
              error_code = r.code, lease_until = NULL, updated_at = :now
          FROM r
          WHERE m.tenant_id = r.tenant_id AND m.id = r.id AND %s
          RETURNING m.tenant_id, m.id, m.gateway, r.attempt, r.outcome, r.code, r.message, m.recipient,
                    m.cancel_requested, m.status, m.channel, m.segments,
                    (r.outcome IN ('SUBMITTED', 'UNKNOWN') OR %s) AS maybe_accepted
      ), attempts AS (
          INSERT INTO outbound_attempt (tenant_id, message_id, number, node, gateway, started_at, finished_at,
                                        outcome, error_code, error_message)
          SELECT u.tenant_id, u.id, u.attempt, :node, coalesce(u.gateway, ''), :startedAt, :now, u.outcome,
                 u.code, u.message
          FROM updated u
          ON CONFLICT DO NOTHING
      )
      SELECT tenant_id, id, recipient, CASE WHEN status NOT IN ('queued', 'sending') THEN cancel_requested END
             AS cancel_requested, status, channel, segments, maybe_accepted
      FROM updated
      """
          .formatted(LEASE_HELD, CreditSettlements.maybeAcceptedSql("m", "r.attempt"));
}
