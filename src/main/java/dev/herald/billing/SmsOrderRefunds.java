package dev.herald.billing;

import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Payments of SMS orders that the order could not use (paid twice, another amount, the company on
 * the other model by then): nothing is granted for them, and each is kept, once per payment, for
 * the operator to refund at the provider or the bank and then mark refunded on the console.
 */
@Service
public class SmsOrderRefunds {

  private static final Logger log = LoggerFactory.getLogger(SmsOrderRefunds.class);

  /** How many refunded ones the console still shows under the open ones. */
  private static final int RECENTLY_REFUNDED = 20;

  /** A payment to refund (or refunded), with why it could not pay its order. */
  public record Refund(
      TenantId tenantId,
      UUID paymentId,
      UUID orderId,
      Money amount,
      Reason reason,
      Instant noticedAt,
      Instant refundedAt,
      String refundedBy) {

    public boolean open() {
      return refundedAt == null;
    }
  }

  /** Why the payment could not pay its order. */
  public enum Reason {
    /** The order was paid already, by another payment. */
    PAID_TWICE,
    /** The payment's amount is not the order's total. */
    AMOUNT_DIFFERS,
    /** The company was moved to the other SMS model before the payment came. */
    MODEL_CHANGED,
    /** A first block's order paid after the company's first month was paid by another order. */
    FIRST_BLOCK_PAID;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final JdbcClient jdbc;
  private final Clock clock;

  SmsOrderRefunds(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Keeps a payment to refund, in the settling transaction; the same payment told again adds
   * nothing.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  void due(TenantId tenant, UUID paymentId, UUID orderId, Money amount, Reason reason) {
    int added =
        jdbc.sql(
                """
                INSERT INTO sms_order_refund (tenant_id, payment_id, order_id, amount_minor, currency,
                                              reason, noticed_at)
                VALUES (:t, :p, :o, :amount, :currency, :reason, :now)
                ON CONFLICT (tenant_id, payment_id) DO NOTHING
                """)
            .param("t", tenant.value())
            .param("p", paymentId)
            .param("o", orderId)
            .param("amount", amount.minorUnits())
            .param("currency", amount.currency().getCurrencyCode())
            .param("reason", reason.code())
            .param("now", Timestamp.from(clock.instant()))
            .update();
    if (added == 1) {
      log.warn(
          "Payment {} of {} for SMS order {} of {} could not pay it ({}): kept for a refund",
          paymentId,
          amount,
          orderId,
          tenant,
          reason.code());
    }
  }

  /** Every payment still to refund (oldest first), then the latest ones refunded. */
  public List<Refund> list() {
    return jdbc.sql(
            """
            (SELECT * FROM sms_order_refund WHERE refunded_at IS NULL ORDER BY noticed_at, payment_id)
            UNION ALL
            (SELECT * FROM sms_order_refund WHERE refunded_at IS NOT NULL
             ORDER BY refunded_at DESC, payment_id LIMIT :recent)
            """)
        .param("recent", RECENTLY_REFUNDED)
        .query((rs, n) -> refund(rs))
        .list();
  }

  /** Payments still to refund, for every company. */
  public int openCount() {
    return jdbc.sql("SELECT count(*) FROM sms_order_refund WHERE refunded_at IS NULL")
        .query(Integer.class)
        .single();
  }

  public Optional<Refund> find(TenantId tenant, UUID paymentId) {
    return jdbc.sql("SELECT * FROM sms_order_refund WHERE tenant_id = :t AND payment_id = :p")
        .param("t", tenant.value())
        .param("p", paymentId)
        .query((rs, n) -> refund(rs))
        .optional();
  }

  /** The SMS order's payments kept for a refund (the order's page on the console). */
  public List<Refund> ofOrder(TenantId tenant, UUID orderId) {
    return jdbc.sql(
            "SELECT * FROM sms_order_refund WHERE tenant_id = :t AND order_id = :o ORDER BY noticed_at")
        .param("t", tenant.value())
        .param("o", orderId)
        .query((rs, n) -> refund(rs))
        .list();
  }

  /**
   * The operator refunded the payment (at the provider or the bank): marked so, with who said it;
   * false when it was marked already (a second click, a second tab) or is not kept here.
   */
  @Transactional
  public boolean markRefunded(TenantId tenant, UUID paymentId, String by) {
    return jdbc.sql(
                """
                UPDATE sms_order_refund SET refunded_at = :now, refunded_by = :by
                WHERE tenant_id = :t AND payment_id = :p AND refunded_at IS NULL
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("by", by)
            .param("t", tenant.value())
            .param("p", paymentId)
            .update()
        == 1;
  }

  private static Refund refund(ResultSet rs) throws SQLException {
    Timestamp refunded = rs.getTimestamp("refunded_at");
    return new Refund(
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        rs.getObject("payment_id", UUID.class),
        rs.getObject("order_id", UUID.class),
        Money.of(rs.getLong("amount_minor"), rs.getString("currency")),
        Reason.valueOf(rs.getString("reason").toUpperCase(Locale.ROOT)),
        rs.getTimestamp("noticed_at").toInstant(),
        refunded == null ? null : refunded.toInstant(),
        rs.getString("refunded_by"));
  }
}
