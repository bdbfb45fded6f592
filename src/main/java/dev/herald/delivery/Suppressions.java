package dev.herald.delivery;

import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recipients a company may not send to on a channel (an SMS opt-out). The claim checks this list
 * for every message, so a message queued before the opt-out, or retrying, never goes out after it;
 * suppressing also cancels the recipient's waiting messages at once.
 */
@Service
public class Suppressions {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final OutboundMessages outbound;

  Suppressions(JdbcClient jdbc, Clock clock, OutboundMessages outbound) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.outbound = outbound;
  }

  /** Adds the recipient (idempotent) and cancels what waits for it; returns how many. */
  @Transactional(propagation = Propagation.REQUIRED)
  public int suppress(TenantId tenant, Channel channel, String recipient, String reason) {
    jdbc.sql(
            """
            INSERT INTO delivery_suppression (tenant_id, channel, recipient, reason, created_at)
            VALUES (:tenant, :channel, :recipient, :reason, :now)
            ON CONFLICT (tenant_id, channel, recipient) DO NOTHING
            """)
        .param("tenant", tenant.value())
        .param("channel", channel.code())
        .param("recipient", recipient)
        .param("reason", reason)
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return outbound.cancelWaiting(
        tenant,
        // The confirmation of this STOP (queued after it) still goes.
        "channel = :channel AND recipient = :recipient AND kind <> 'opt_out_answer'",
        Map.of("channel", channel.code(), "recipient", recipient),
        reason);
  }

  /** Lets the recipient receive again (START); false when it was not suppressed. */
  @Transactional(propagation = Propagation.REQUIRED)
  public boolean lift(TenantId tenant, Channel channel, String recipient) {
    return jdbc.sql(
                """
                DELETE FROM delivery_suppression
                WHERE tenant_id = :tenant AND channel = :channel AND recipient = :recipient
                """)
            .param("tenant", tenant.value())
            .param("channel", channel.code())
            .param("recipient", recipient)
            .update()
        == 1;
  }

  public boolean isSuppressed(TenantId tenant, Channel channel, String recipient) {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM delivery_suppression
                           WHERE tenant_id = :tenant AND channel = :channel AND recipient = :recipient)
            """)
        .param("tenant", tenant.value())
        .param("channel", channel.code())
        .param("recipient", recipient)
        .query(Boolean.class)
        .single();
  }
}
