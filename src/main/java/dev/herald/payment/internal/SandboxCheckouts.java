package dev.herald.payment.internal;

import dev.herald.payment.PaymentStatus;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The sandbox's hosted checkout sessions, read from the payments they belong to. */
@Component
public class SandboxCheckouts {

  private final JdbcClient jdbc;
  private final SandboxProvider sandbox;
  private final ProviderRegistry registry;

  SandboxCheckouts(JdbcClient jdbc, SandboxProvider sandbox, ProviderRegistry registry) {
    this.jdbc = jdbc;
    this.sandbox = sandbox;
    this.registry = registry;
  }

  public Optional<PaymentRow> session(String sessionId) {
    if (!registry.sandboxActive() || sessionId == null || !sessionId.matches("sbx_[0-9a-f]{32}")) {
      return Optional.empty();
    }
    return jdbc.sql(
            "SELECT "
                + PaymentRow.COLUMNS
                + " FROM payment WHERE provider = 'sandbox' AND provider_session_id = :session")
        .param("session", sessionId)
        .query(PaymentRow::map)
        .optional();
  }

  /** What a test card does. */
  public enum CardOutcome {
    SUCCEEDS,
    DECLINED,
    NEEDS_A_MOMENT
  }

  public static Optional<CardOutcome> testCard(String digits) {
    return switch (digits) {
      case "4242424242424242" -> Optional.of(CardOutcome.SUCCEEDS);
      case "4000000000000002" -> Optional.of(CardOutcome.DECLINED);
      case "4000000000003220" -> Optional.of(CardOutcome.NEEDS_A_MOMENT);
      default -> Optional.empty();
    };
  }

  /**
   * Pays the session as the buyer chose, by posting the signed event(s) a provider would; false
   * when the webhook did not take it (the buyer may try again).
   */
  public boolean pay(PaymentRow payment, CardOutcome outcome) {
    if (payment.status() != PaymentStatus.PENDING) {
      return true;
    }
    String session = payment.sessionId();
    String body =
        switch (outcome) {
          case SUCCEEDS ->
              SandboxProvider.event(
                  SandboxProvider.newEventId(),
                  "checkout.completed",
                  session,
                  payment.id(),
                  "paid",
                  null);
          case DECLINED ->
              SandboxProvider.event(
                  SandboxProvider.newEventId(),
                  "checkout.failed",
                  session,
                  payment.id(),
                  null,
                  "declined");
          case NEEDS_A_MOMENT ->
              SandboxProvider.event(
                  SandboxProvider.newEventId(),
                  "checkout.completed",
                  session,
                  payment.id(),
                  "unpaid",
                  null);
        };
    int status = sandbox.post(body);
    if (status >= 300) {
      return false;
    }
    if (outcome == CardOutcome.NEEDS_A_MOMENT) {
      sandbox.settleLater(session, payment.id());
    }
    return true;
  }
}
