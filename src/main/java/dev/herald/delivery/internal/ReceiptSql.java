package dev.herald.delivery.internal;

/**
 * Delivery receipts in SQL, set-based per batch: store, match to message parts, settle messages,
 * and record answers that came after the dispatcher stopped waiting.
 */
final class ReceiptSql {

  private ReceiptSql() {}

  /**
   * CTEs {@code candidates} and {@code found} over the receipts in {@code %1$s} (gateway, id,
   * gateway_message_id): the part whose gateway id each names (part 1 on the message row, further
   * parts in outbound_gateway_part, of the message's current attempt), scoped to the gateway; of a
   * carrier that reuses ids, the latest message that had it.
   */
  private static final String FOUND =
      """
      candidates AS (
          SELECT b.gateway, b.id, m.tenant_id, m.id AS message_id, 1 AS part, m.sent_at, m.parts_submitted
          FROM %1$s b
          JOIN outbound_message m ON m.gateway = b.gateway AND m.gateway_message_id = b.gateway_message_id
          UNION ALL
          SELECT b.gateway, b.id, p.tenant_id, p.message_id, p.part, m.sent_at, m.parts_submitted
          FROM %1$s b
          JOIN outbound_gateway_part p ON p.gateway = b.gateway AND p.gateway_message_id = b.gateway_message_id
          JOIN outbound_message m ON m.tenant_id = p.tenant_id AND m.id = p.message_id AND m.attempts = p.attempt
      ), found AS (
          SELECT DISTINCT ON (c.gateway, c.id) c.*
          FROM candidates c
          ORDER BY c.gateway, c.id, c.sent_at DESC NULLS LAST
      )\
      """;

  /**
   * The verdict over the receipts in {@code parts} (tenant_id, message_id, part, state, error_code,
   * received_at; final states only) and the update of their messages: a message is failed when a
   * part was reported failed, expired when one expired, delivered when every part it submitted was
   * reported delivered; otherwise it stays as it is. (Kannel reports the parts it split under one
   * id: any failed report fails the message.) Only messages a carrier accepted (sent, or already
   * settled by earlier receipts); never money.
   */
  private static final String VERDICT_AND_UPDATE =
      """
      verdict AS (
          SELECT p.tenant_id, p.message_id,
                 CASE WHEN bool_or(p.state = 'failed') THEN 'failed'
                      WHEN bool_or(p.state = 'expired') THEN 'expired'
                      ELSE 'delivered' END AS state,
                 count(DISTINCT p.part) FILTER (WHERE p.state = 'delivered') AS delivered_parts,
                 (array_agg(p.error_code ORDER BY p.part) FILTER (WHERE p.state <> 'delivered'))[1] AS error_code,
                 (array_agg(p.part ORDER BY p.part) FILTER (WHERE p.state <> 'delivered'))[1] AS bad_part,
                 max(p.received_at) AS receipt_at
          FROM parts p
          GROUP BY p.tenant_id, p.message_id
      ), settled AS (
          UPDATE outbound_message m
          SET status = v.state,
              status_reason = CASE v.state
                  WHEN 'delivered' THEN NULL
                  WHEN 'failed' THEN 'the carrier could not deliver it'
                                     || CASE WHEN coalesce(m.parts_submitted, 1) > 1 THEN ' (part ' || v.bad_part || ')'
                                             ELSE '' END
                                     || coalesce(' (error ' || v.error_code || ')', '')
                  ELSE 'expired at the carrier before it reached the phone' END,
              error_code = CASE WHEN v.state = 'delivered' THEN NULL
                                ELSE coalesce(v.error_code, upper(v.state)) END,
              receipt_at = v.receipt_at,
              updated_at = :now
          FROM verdict v
          WHERE m.tenant_id = v.tenant_id AND m.id = v.message_id
            AND m.status IN ('sent', 'delivered', 'failed', 'expired') AND m.sent_at IS NOT NULL
            AND (v.state <> 'delivered' OR v.delivered_parts >= greatest(coalesce(m.parts_submitted, 1), 1))
            -- Never back: failed outranks expired outranks delivered, and a receipt only adds to a
            -- verdict. A statement that read fewer receipts than one that settled the message
            -- meanwhile (the receipt store and the matcher, two nodes' matchers) cannot undo it:
            -- this is checked again on the row as the other statement left it.
            AND CASE m.status WHEN 'failed' THEN v.state = 'failed'
                              WHEN 'expired' THEN v.state IN ('expired', 'failed')
                              ELSE true END
            AND (m.status <> v.state OR m.receipt_at IS NULL OR v.receipt_at > m.receipt_at)
          RETURNING m.tenant_id, m.id, m.status
      )
      """;

  /**
   * Stores receipts as they came, and matches and settles at once those of one-part messages (one
   * write per receipt: its row is stored matched, not stored and then matched). The others (no
   * message has their id yet, a receipt before its submit_sm_resp was recorded; or a part of a
   * message of several parts, whose verdict needs its other parts' receipts, which may be stored by
   * a concurrent statement on another node) are stored due for the matcher at once. A receipt of a
   * one-part message stored by another node at the same time is settled by whichever statement
   * updates the message last, as two matchers would. Returns how many were left to the matcher.
   */
  static final String STORE =
      """
      WITH input AS (
          SELECT r.*
          FROM unnest(:gateways::text[], :ids::uuid[], :messageIds::text[], :states::text[], :errors::text[],
                      :receivedAts::timestamptz[])
               AS r(gateway, id, gateway_message_id, state, error_code, received_at)
      ), %1$s, one_part AS (
          SELECT f.* FROM found f WHERE coalesce(f.parts_submitted, 1) <= 1
      ), locked AS (
          -- The messages it can settle now without waiting: one another statement holds (the
          -- matcher settling it from a receipt stored earlier, a record) is left to the matcher,
          -- its receipt stored unmatched. So the carrier's acknowledgement never waits for a lock,
          -- and two statements never lock the same messages in opposite orders.
          SELECT m.tenant_id, m.id FROM outbound_message m
          WHERE (m.tenant_id, m.id) IN (SELECT o.tenant_id, o.message_id FROM one_part o)
          FOR NO KEY UPDATE OF m SKIP LOCKED
      ), matchable AS (
          SELECT o.* FROM one_part o JOIN locked l ON l.tenant_id = o.tenant_id AND l.id = o.message_id
      ), stored AS (
          INSERT INTO delivery_receipt (gateway, id, gateway_message_id, state, error_code, received_at,
                                        next_match_at, matched_at, tenant_id, message_id, part, match_tries)
          SELECT i.gateway, i.id, i.gateway_message_id, i.state, i.error_code, i.received_at,
                 CASE WHEN o.id IS NULL THEN i.received_at END,
                 CASE WHEN o.id IS NOT NULL THEN :now::timestamptz END,
                 o.tenant_id, o.message_id, o.part, CASE WHEN o.id IS NULL THEN 0 ELSE 1 END
          FROM input i LEFT JOIN matchable o ON o.gateway = i.gateway AND o.id = i.id
          RETURNING tenant_id, message_id, part, state, error_code, received_at
      ), touched AS (
          SELECT DISTINCT s.tenant_id, s.message_id FROM stored s WHERE s.message_id IS NOT NULL
      ), parts AS (
          -- the message's receipts stored before, and this statement's (not visible to a scan here)
          SELECT r.tenant_id, r.message_id, r.part, r.state, r.error_code, r.received_at
          FROM delivery_receipt r
          JOIN touched t ON r.tenant_id = t.tenant_id AND r.message_id = t.message_id
          WHERE r.state IN ('delivered', 'failed', 'expired')
          UNION ALL
          SELECT s.tenant_id, s.message_id, s.part, s.state, s.error_code, s.received_at
          FROM stored s
          WHERE s.message_id IS NOT NULL AND s.state IN ('delivered', 'failed', 'expired')
      ), %2$s
      SELECT count(*) FILTER (WHERE message_id IS NULL) FROM stored
      """
          .formatted(FOUND.formatted("input"), VERDICT_AND_UPDATE);

  /**
   * Matches a batch of due receipts to the part whose gateway id they name (part 1 on the message
   * row, further parts in outbound_gateway_part, of the message's current attempt), scoped to the
   * gateway. Receipts with no match yet wait a growing pause and are tried again, until the
   * horizon. Returns the messages that got receipts.
   */
  static final String MATCH =
      """
      WITH batch AS (
          SELECT r.gateway, r.id, r.gateway_message_id
          FROM delivery_receipt r
          WHERE r.matched_at IS NULL AND r.next_match_at IS NOT NULL AND r.next_match_at <= :now
          ORDER BY r.next_match_at
          LIMIT :limit
          FOR UPDATE SKIP LOCKED
      ), %s, matched AS (
          UPDATE delivery_receipt r
          SET matched_at = :now, next_match_at = NULL, tenant_id = f.tenant_id, message_id = f.message_id,
              part = f.part, match_tries = r.match_tries + 1
          FROM found f
          WHERE r.gateway = f.gateway AND r.id = f.id
          RETURNING r.tenant_id, r.message_id
      ), postponed AS (
          UPDATE delivery_receipt r
          SET match_tries = r.match_tries + 1,
              next_match_at = CASE
                  WHEN r.received_at < :horizon THEN NULL
                  ELSE :now::timestamptz + least(make_interval(secs => :maxPauseSeconds),
                                    make_interval(secs => 0.5 * power(2, least(r.match_tries, 16))))
              END
          FROM batch b
          WHERE r.gateway = b.gateway AND r.id = b.id
            AND NOT EXISTS (SELECT 1 FROM found f WHERE f.gateway = b.gateway AND f.id = b.id)
          RETURNING r.id
      )
      SELECT DISTINCT tenant_id, message_id, (SELECT count(*) FROM batch) AS batch_size,
             (SELECT count(*) FROM postponed) AS postponed
      FROM matched
      UNION ALL
      SELECT NULL, NULL, (SELECT count(*) FROM batch), (SELECT count(*) FROM postponed)
      """
          .formatted(FOUND.formatted("batch"));

  /**
   * Settles messages from their matched receipts (the verdict of {@link #VERDICT_AND_UPDATE}).
   * Returns the messages it changed.
   */
  static final String SETTLE =
      """
      WITH touched AS (
          SELECT DISTINCT t.tenant_id, t.id FROM unnest(:tenants::uuid[], :ids::uuid[]) AS t(tenant_id, id)
      ), parts AS (
          SELECT r.tenant_id, r.message_id, r.part, r.state, r.error_code, r.received_at
          FROM delivery_receipt r
          JOIN touched t ON r.tenant_id = t.tenant_id AND r.message_id = t.id
          WHERE r.state IN ('delivered', 'failed', 'expired')
      ), %s
      SELECT tenant_id, id, status FROM settled
      """
          .formatted(VERDICT_AND_UPDATE);

  /**
   * A carrier's answer that came after the dispatcher stopped waiting: the message, still an
   * unknown outcome of this very attempt, is sent with the carrier's ids (so its receipts match),
   * and its attempt row says it was accepted late. Receipts that came first are tried again now.
   */
  static final String LATE_ACCEPTED =
      """
      WITH late AS (
          UPDATE outbound_message m
          SET status = 'sent', sent_at = :now, updated_at = :now, next_attempt_at = NULL, lease_until = NULL,
              status_reason = NULL, error_code = NULL, outcome_unknown_since = NULL,
              gateway_message_ids = :ids::text[], gateway_message_id = (:ids::text[])[1],
              parts_submitted = cardinality(:ids::text[])
          WHERE m.tenant_id = :tenant AND m.id = :id AND m.attempts = :attempt AND m.status = 'sending'
            AND m.gateway = :gateway
          RETURNING m.tenant_id, m.id, m.attempts, m.gateway
      ), parts AS (
          INSERT INTO outbound_gateway_part (gateway, gateway_message_id, tenant_id, message_id, attempt, part)
          SELECT l.gateway, g.id, l.tenant_id, l.id, l.attempts, g.n
          FROM late l CROSS JOIN LATERAL unnest(:ids::text[]) WITH ORDINALITY AS g(id, n)
          WHERE g.n >= 2
          ON CONFLICT DO NOTHING
      ), attempt AS (
          UPDATE outbound_attempt a
          SET outcome = 'SUBMITTED', gateway_message_ids = :ids::text[],
              error_message = 'accepted by the gateway after the dispatcher stopped waiting ('
                              || coalesce(a.error_code, 'no answer') || ')'
          FROM late l
          WHERE a.tenant_id = l.tenant_id AND a.message_id = l.id AND a.number = l.attempts
      ), nudged AS (
          UPDATE delivery_receipt r SET next_match_at = :now
          FROM late l
          WHERE r.matched_at IS NULL AND r.gateway = l.gateway AND r.gateway_message_id = ANY(:ids::text[])
      )
      SELECT count(*) FROM late
      """;

  /**
   * Whether the dispatcher still holds this attempt (its record, with the unknown outcome, is due).
   */
  static final String STILL_CLAIMED =
      """
      SELECT count(*) FROM outbound_message
      WHERE tenant_id = :tenant AND id = :id AND attempts = :attempt AND status = 'queued'
        AND lease_until IS NOT NULL
      """;
}
