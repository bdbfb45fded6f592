package dev.herald.delivery.internal;

import dev.herald.billing.CreditUse;
import dev.herald.billing.Credits;
import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What an SMS's reservation becomes when the message ends (issue 9): captured when a carrier took
 * it, or may have (an accepted submit, an unknown outcome that was never settled, a lapsed lease),
 * released when none did (a permanent failure before acceptance, a cancellation, an expiry). Called
 * in the transaction that ends the messages, once per batch: billing writes one capture row per
 * batch and company and one release row per company, never a row per message on a shared record.
 */
@Component
public class CreditSettlements {

  /** A message that just ended, and whether a carrier may have it. */
  public record Finished(TenantId tenant, UUID id, int segments, boolean maybeAccepted) {}

  private final Credits credits;

  CreditSettlements(Credits credits) {
    this.credits = credits;
  }

  /**
   * SQL that says, over the message row under {@code alias}, whether any earlier attempt of it may
   * have reached a carrier: one that was accepted, or whose outcome was unknown or whose lease
   * lapsed (those attempt rows are written in earlier statements).
   */
  public static String maybeAcceptedSql(String alias) {
    return maybeAcceptedSql(alias, "NULL");
  }

  /**
   * As {@link #maybeAcceptedSql(String)}, for the late answer of attempt {@code attempt} (an SQL
   * expression): that attempt's own lapse is not news that a carrier may have it, its answer is.
   */
  public static String maybeAcceptedSql(String alias, String attempt) {
    return """
    (%1$s.sent_at IS NOT NULL OR EXISTS (
        SELECT 1 FROM outbound_attempt a
        WHERE a.tenant_id = %1$s.tenant_id AND a.message_id = %1$s.id
          AND a.outcome IN ('SUBMITTED', 'UNKNOWN', 'LEASE_LAPSED')
          AND NOT (a.outcome = 'LEASE_LAPSED' AND a.number IS NOT DISTINCT FROM %2$s)))\
    """
        .formatted(alias, attempt);
  }

  /** Maps a row with tenant_id, id, channel, segments and maybe_accepted; null for an e-mail. */
  public static Finished finished(ResultSet rs, int row) throws SQLException {
    return new Finished(
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        rs.getObject("id", UUID.class),
        "sms".equals(rs.getString("channel")) ? rs.getInt("segments") : -1,
        rs.getBoolean("maybe_accepted"));
  }

  /**
   * Captures (as one batch) or releases each SMS's reservation; e-mails (segments -1) have none.
   */
  public void settle(List<Finished> finished) {
    List<CreditUse> capture = new ArrayList<>();
    List<CreditUse> release = new ArrayList<>();
    for (Finished f : finished) {
      if (f == null || f.segments() < 0) {
        continue;
      }
      (f.maybeAccepted() ? capture : release).add(new CreditUse(f.tenant(), f.id(), f.segments()));
    }
    capture(capture);
    release(release);
  }

  /** Makes the reservations of SMS a gateway accepted final: one usage row per company. */
  void capture(List<CreditUse> accepted) {
    if (!accepted.isEmpty()) {
      credits.capture(Ids.next(), accepted);
    }
  }

  void release(List<CreditUse> notAccepted) {
    if (!notAccepted.isEmpty()) {
      credits.release(notAccepted);
    }
  }
}
