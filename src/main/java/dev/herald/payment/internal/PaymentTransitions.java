package dev.herald.payment.internal;

import dev.herald.payment.PaymentFailed;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.PaymentStatus;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The payment state machine: pending -> processing -> settled, failed or cancelled. A final state
 * never moves back, except cancelled -> settled (money that arrives after all). A move locks the
 * payment row, records the transition with its cause, and publishes {@link PaymentSettled} or
 * {@link PaymentFailed} in the caller's transaction, so listeners' effects commit with it.
 */
@Component
public class PaymentTransitions {

  private static final Logger log = LoggerFactory.getLogger(PaymentTransitions.class);

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  PaymentTransitions(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
    this.jdbc = jdbc;
    this.events = events;
    this.clock = clock;
  }

  /** Whether a payment in {@code from} may move to {@code to}. */
  public static boolean allowed(PaymentStatus from, PaymentStatus to) {
    return switch (from) {
      case PENDING -> to != PaymentStatus.PENDING;
      case PROCESSING -> to != PaymentStatus.PENDING && to != PaymentStatus.PROCESSING;
      case CANCELLED -> to == PaymentStatus.SETTLED;
      case SETTLED, FAILED -> false;
    };
  }

  /** The payment, locked for the rest of the transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public Optional<PaymentRow> lock(TenantId tenant, UUID paymentId) {
    return jdbc.sql(
            "SELECT "
                + PaymentRow.COLUMNS
                + " FROM payment WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
        .param("tenant", tenant.value())
        .param("id", paymentId)
        .query(PaymentRow::map)
        .optional();
  }

  /**
   * Moves the payment to {@code to} when the state machine allows it; false (and nothing changes)
   * otherwise.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean move(PaymentRow locked, PaymentStatus to, String reason, String cause) {
    if (!allowed(locked.status(), to)) {
      log.debug(
          "Payment {} of {} stays {} ({} -> {} not allowed, cause {})",
          locked.id(),
          locked.tenantId(),
          locked.status(),
          locked.status(),
          to,
          cause);
      return false;
    }
    Instant now = clock.instant();
    jdbc.sql(
            """
            UPDATE payment SET status = :to, failure_reason = :reason, updated_at = :now,
                settled_at = CASE WHEN :to = 'settled' THEN :now ELSE settled_at END
            WHERE tenant_id = :tenant AND id = :id AND status = :from
            """)
        .param("to", PaymentRow.code(to))
        .param("reason", to == PaymentStatus.SETTLED ? null : reason, java.sql.Types.VARCHAR)
        .param("now", Timestamp.from(now))
        .param("tenant", locked.tenantId().value())
        .param("id", locked.id())
        .param("from", PaymentRow.code(locked.status()))
        .update();
    jdbc.sql(
            """
            INSERT INTO payment_transition (tenant_id, payment_id, from_status, to_status, cause, at)
            VALUES (:tenant, :id, :from, :to, :cause, :now)
            """)
        .param("tenant", locked.tenantId().value())
        .param("id", locked.id())
        .param("from", PaymentRow.code(locked.status()))
        .param("to", PaymentRow.code(to))
        .param("cause", cause)
        .param("now", Timestamp.from(now))
        .update();
    log.info(
        "Payment {} of {} {} -> {} ({})",
        locked.id(),
        locked.tenantId(),
        locked.status(),
        to,
        cause);
    switch (to) {
      case SETTLED ->
          events.publishEvent(
              new PaymentSettled(
                  locked.id(),
                  locked.tenantId(),
                  locked.payee(),
                  locked.kind(),
                  locked.reference(),
                  locked.amount(),
                  locked.method(),
                  now));
      case FAILED ->
          events.publishEvent(
              new PaymentFailed(
                  locked.id(),
                  locked.tenantId(),
                  locked.payee(),
                  locked.kind(),
                  locked.reference(),
                  reason,
                  now));
      default -> {}
    }
    return true;
  }
}
