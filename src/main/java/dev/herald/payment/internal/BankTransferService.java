package dev.herald.payment.internal;

import dev.herald.payment.BankTransfers;
import dev.herald.payment.PaymentStatus;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Manual bank transfers: the payments waiting for one (also after their checkout was cancelled),
 * and the operator recording what the bank received. The right amount for a known reference settles
 * the payment; anything else is kept, flagged, for the operator. The same transfer (reference,
 * amount, date) recorded again changes nothing.
 */
@Service
public class BankTransferService implements BankTransfers {

  private final JdbcClient jdbc;
  private final PaymentTransitions transitions;
  private final Clock clock;

  BankTransferService(JdbcClient jdbc, PaymentTransitions transitions, Clock clock) {
    this.jdbc = jdbc;
    this.transitions = transitions;
    this.clock = clock;
  }

  @Override
  public List<Expected> expected() {
    return jdbc.sql(
            """
            SELECT tenant_id, id, creditor_reference, amount_minor, currency, expected_by, status
            FROM payment
            WHERE provider = 'bank_transfer' AND status IN ('pending', 'cancelled')
            ORDER BY created_at
            """)
        .query((rs, n) ->
            new Expected(
                rs.getObject("id", UUID.class),
                new TenantId(rs.getObject("tenant_id", UUID.class)),
                rs.getString("creditor_reference"),
                Money.of(rs.getLong("amount_minor"), rs.getString("currency")),
                rs.getDate("expected_by").toLocalDate(),
                PaymentStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT))))
        .list();
  }

  @Override
  public List<Flagged> flagged() {
    return jdbc.sql(
            """
            SELECT id, reference, amount_minor, currency, received_on, flag_reason, payment_id
            FROM bank_transfer_received WHERE outcome = 'flagged' ORDER BY recorded_at
            """)
        .query((rs, n) ->
            new Flagged(
                rs.getObject("id", UUID.class),
                rs.getString("reference"),
                Money.of(rs.getLong("amount_minor"), rs.getString("currency")),
                rs.getDate("received_on").toLocalDate(),
                rs.getString("flag_reason"),
                rs.getObject("payment_id", UUID.class)))
        .list();
  }

  private record Key(TenantId tenant, UUID id) {}

  @Override
  @Transactional
  public Outcome record(String reference, Money amount, LocalDate receivedOn, String recordedBy) {
    String typed = CreditorReferences.normalise(reference);
    List<FieldProblem> problems = new ArrayList<>();
    if (typed.isEmpty() || typed.length() > 64) {
      problems.add(FieldProblem.of("reference", "payment.transfer.reference.required"));
    }
    if (amount == null || amount.minorUnits() <= 0) {
      problems.add(FieldProblem.of("amount", "payment.transfer.amount.invalid"));
    }
    if (receivedOn == null) {
      problems.add(FieldProblem.of("receivedOn", "payment.transfer.date.invalid"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    Optional<String> valid = CreditorReferences.valid(typed);
    Optional<PaymentRow> payment =
        valid
            .flatMap(ref ->
                jdbc.sql("SELECT tenant_id, id FROM payment WHERE creditor_reference = :ref")
                    .param("ref", ref)
                    .query((rs, n) ->
                        new Key(
                            new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class)))
                    .optional())
            .flatMap(key -> transitions.lock(key.tenant(), key.id()));
    String flag = null;
    if (valid.isEmpty()) {
      flag = "invalid_reference";
    } else if (payment.isEmpty()) {
      flag = "unknown_reference";
    } else if (!payment.get().amount().equals(amount)) {
      flag = "wrong_amount";
    } else if (payment.get().status() == PaymentStatus.SETTLED
        || !PaymentTransitions.allowed(payment.get().status(), PaymentStatus.SETTLED)) {
      flag = "already_settled";
    }
    UUID id = Ids.next();
    int inserted =
        jdbc.sql(
                """
                INSERT INTO bank_transfer_received (id, reference, amount_minor, currency, received_on,
                    recorded_by, recorded_at, payment_tenant_id, payment_id, outcome, flag_reason)
                VALUES (:id, :reference, :amount, :currency, :receivedOn, :by, :now, :paymentTenant,
                    :payment, :outcome, :flag)
                ON CONFLICT (reference, amount_minor, currency, received_on) DO NOTHING
                """)
            .param("id", id)
            .param("reference", valid.orElse(typed))
            .param("amount", amount.minorUnits())
            .param("currency", amount.currency().getCurrencyCode())
            .param("receivedOn", java.sql.Date.valueOf(receivedOn))
            .param("by", recordedBy)
            .param("now", Timestamp.from(clock.instant()))
            .param(
                "paymentTenant",
                payment.map(p -> p.tenantId().value()).orElse(null),
                java.sql.Types.OTHER)
            .param("payment", payment.map(PaymentRow::id).orElse(null), java.sql.Types.OTHER)
            .param("outcome", flag == null ? "settled" : "flagged")
            .param("flag", flag, java.sql.Types.VARCHAR)
            .update();
    if (inserted == 0) {
      return Outcome.ALREADY_RECORDED;
    }
    if (flag != null) {
      return Outcome.FLAGGED;
    }
    transitions.move(payment.get(), PaymentStatus.SETTLED, null, "bank_transfer:" + id);
    return Outcome.SETTLED;
  }
}
