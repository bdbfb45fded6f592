package dev.herald.delivery.internal;

/**
 * The dispatcher's statements, in one place so that the benchmark's reference loop runs exactly
 * these without Herald around them.
 */
public final class DispatchSql {

  private DispatchSql() {}

  /**
   * Claims up to :limit due rows of a channel (queued, or sending with a lapsed lease), marks them
   * sending with a lease, counts the attempt and records it, in one round trip.
   */
  public static final String CLAIM =
      """
      WITH due AS (
          SELECT m.tenant_id, m.id,
                 -- SMS stopped for the company (locked, or a plan without SMS) since it was queued:
                 -- a retry of an attempt that was in flight when it stopped must not go out.
                 (m.channel = 'sms' AND (NOT c.sms_unlocked OR c.plan = 'FREE')) AS stopped
          FROM outbound_message m JOIN company c ON c.id = m.tenant_id
          WHERE m.channel = :channel AND m.status IN ('queued', 'sending') AND m.next_attempt_at <= :now
          ORDER BY m.next_attempt_at
          LIMIT :limit
          FOR UPDATE OF m SKIP LOCKED
      ), cancelled AS (
          UPDATE outbound_message m
          SET status = 'cancelled', status_reason = 'SMS stopped for the company', next_attempt_at = NULL,
              updated_at = :now
          FROM due WHERE due.stopped AND m.tenant_id = due.tenant_id AND m.id = due.id
      ), claimed AS (
          UPDATE outbound_message m
          SET status = 'sending', attempts = m.attempts + 1, next_attempt_at = :leaseUntil,
              claimed_by = :node, gateway = :gateway, updated_at = :now
          FROM due WHERE NOT due.stopped AND m.tenant_id = due.tenant_id AND m.id = due.id
          RETURNING m.tenant_id, m.id, m.recipient, m.subject, m.body, m.encoding, m.attempts
      ), attempt AS (
          INSERT INTO outbound_attempt (tenant_id, message_id, number, node, gateway, started_at)
          SELECT tenant_id, id, attempts, :node, :gateway, :now FROM claimed
      )
      SELECT * FROM claimed
      """;

  /**
   * Marks a batch sent and its attempts submitted; a row another node claimed since is left alone.
   */
  public static final String MARK_SENT =
      """
      WITH r AS (
          SELECT * FROM unnest(:tenants::uuid[], :ids::uuid[], :attempts::integer[]) AS r(tenant_id, id, attempt)
      ), message AS (
          UPDATE outbound_message m
          SET status = 'sent', sent_at = :now, updated_at = :now, next_attempt_at = NULL,
              status_reason = NULL, error_code = NULL
          FROM r
          WHERE m.tenant_id = r.tenant_id AND m.id = r.id
            AND m.status = 'sending' AND m.claimed_by = :node AND m.attempts = r.attempt
      )
      UPDATE outbound_attempt a SET outcome = 'SUBMITTED', finished_at = :now
      FROM r WHERE a.tenant_id = r.tenant_id AND a.message_id = r.id AND a.number = r.attempt
      """;

  /** Stores the gateway's id of each part, for delivery receipts. */
  public static final String INSERT_PARTS =
      """
      INSERT INTO outbound_part (tenant_id, message_id, attempt, part, gateway, gateway_message_id)
      SELECT p.tenant_id, p.message_id, p.attempt, p.part, a.gateway, p.gateway_message_id
      FROM unnest(:tenants::uuid[], :messages::uuid[], :attempts::integer[], :parts::integer[], :gatewayIds::text[])
           AS p(tenant_id, message_id, attempt, part, gateway_message_id)
      JOIN outbound_attempt a
        ON a.tenant_id = p.tenant_id AND a.message_id = p.message_id AND a.number = p.attempt
      """;

  static final String RETRY =
      """
      WITH message AS (
          UPDATE outbound_message
          SET status = 'queued', next_attempt_at = :next, status_reason = :reason, error_code = :code,
              updated_at = :now
          WHERE tenant_id = :tenant AND id = :id
            AND status = 'sending' AND claimed_by = :node AND attempts = :attempt
      )
      UPDATE outbound_attempt
      SET outcome = 'TRANSIENT_FAILURE', finished_at = :now, error_code = :code, error_message = :message
      WHERE tenant_id = :tenant AND message_id = :id AND number = :attempt
      """;

  static final String FAIL =
      """
      WITH message AS (
          UPDATE outbound_message
          SET status = 'failed', next_attempt_at = NULL, status_reason = :reason, error_code = :code,
              updated_at = :now
          WHERE tenant_id = :tenant AND id = :id
            AND status = 'sending' AND claimed_by = :node AND attempts = :attempt
      )
      UPDATE outbound_attempt
      SET outcome = :outcome, finished_at = :now, error_code = :code, error_message = :message
      WHERE tenant_id = :tenant AND message_id = :id AND number = :attempt
      """;
}
