package dev.herald.payment.internal;

import dev.herald.payment.Payee;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentStatus;
import dev.herald.payment.PaymentView;
import dev.herald.payment.ReferenceKind;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** A payment row as the module reads it. */
public record PaymentRow(
    TenantId tenantId,
    UUID id,
    Payee payee,
    ReferenceKind kind,
    String reference,
    Money amount,
    PaymentMethod method,
    String provider,
    String account,
    String sessionId,
    URI checkoutUrl,
    String creditorReference,
    LocalDate expectedBy,
    String description,
    Locale locale,
    URI returnUrl,
    PaymentStatus status,
    String failureReason,
    Instant createdAt,
    Instant settledAt) {

  static final String COLUMNS =
      """
      tenant_id, id, payee_kind, reference_kind, reference, amount_minor, currency, method, provider,
      account, provider_session_id, checkout_url, creditor_reference, expected_by, description,
      locale, return_url, status, failure_reason, created_at, settled_at
      """;

  static PaymentRow map(ResultSet rs, int row) throws SQLException {
    TenantId tenant = new TenantId(rs.getObject("tenant_id", UUID.class));
    java.sql.Date expected = rs.getDate("expected_by");
    String url = rs.getString("checkout_url");
    String back = rs.getString("return_url");
    java.sql.Timestamp settled = rs.getTimestamp("settled_at");
    return new PaymentRow(
        tenant,
        rs.getObject("id", UUID.class),
        "company".equals(rs.getString("payee_kind")) ? Payee.company(tenant) : Payee.operator(),
        ReferenceKind.valueOf(rs.getString("reference_kind").toUpperCase(Locale.ROOT)),
        rs.getString("reference"),
        Money.of(rs.getLong("amount_minor"), rs.getString("currency")),
        PaymentMethod.valueOf(rs.getString("method").toUpperCase(Locale.ROOT)),
        rs.getString("provider"),
        rs.getString("account"),
        rs.getString("provider_session_id"),
        url == null ? null : URI.create(url),
        rs.getString("creditor_reference"),
        expected == null ? null : expected.toLocalDate(),
        rs.getString("description"),
        Locale.forLanguageTag(rs.getString("locale")),
        back == null ? null : URI.create(back),
        PaymentStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        rs.getString("failure_reason"),
        rs.getTimestamp("created_at").toInstant(),
        settled == null ? null : settled.toInstant());
  }

  public PaymentView view() {
    return new PaymentView(
        id,
        tenantId,
        payee,
        kind,
        reference,
        amount,
        method,
        provider,
        status,
        Optional.ofNullable(failureReason),
        createdAt);
  }

  public boolean open() {
    return status == PaymentStatus.PENDING || status == PaymentStatus.PROCESSING;
  }

  static String code(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
