package dev.herald.notification;

import dev.herald.billing.CreditLow;
import dev.herald.billing.CreditUsedUp;
import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.Users;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * E-mails the owners and admins when SMS credit runs low or out (H2, D6), after the reservation
 * that crossed the line committed. The registry may deliver an event twice: a row per alert makes
 * the second delivery send nothing.
 */
@Component
class CreditAlerts {

  private final JdbcClient jdbc;
  private final Users users;
  private final Companies companies;
  private final OutboundMessages outbound;
  private final MessageSource messages;
  private final Clock clock;

  CreditAlerts(
      JdbcClient jdbc,
      Users users,
      Companies companies,
      OutboundMessages outbound,
      MessageSource messages,
      Clock clock) {
    this.jdbc = jdbc;
    this.users = users;
    this.companies = companies;
    this.outbound = outbound;
    this.messages = messages;
    this.clock = clock;
  }

  @ApplicationModuleListener
  void on(CreditLow low) {
    send(low.tenantId(), low.alertId(), "low", low.balance(), low.threshold());
  }

  @ApplicationModuleListener
  void on(CreditUsedUp usedUp) {
    send(usedUp.tenantId(), usedUp.alertId(), "used_up", 0, 0);
  }

  /** Mails the alert unless this alert id was mailed already. */
  void send(TenantId tenant, UUID alertId, String kind, long balance, int threshold) {
    int first =
        jdbc.sql(
                """
                INSERT INTO credit_alert_sent (tenant_id, alert_id, kind, sent_at)
                VALUES (:t, :a, :k, :now) ON CONFLICT DO NOTHING
                """)
            .param("t", tenant.value())
            .param("a", alertId)
            .param("k", kind)
            .param("now", Timestamp.from(clock.instant()))
            .update();
    if (first == 0) {
      return;
    }
    Company company = companies.require(tenant);
    String key = kind.equals("low") ? "billing.mail.low" : "billing.mail.usedUp";
    List<OutboundDraft> drafts =
        users.ofCompany(tenant).stream()
            .filter(u -> u.enabled() && u.role().managesCompany())
            .map(u -> {
              Locale locale = (u.language() != null ? u.language() : company.language()).locale();
              Object[] args = {company.name(), balance, threshold};
              return new OutboundDraft(
                      Channel.EMAIL,
                      null,
                      u.email(),
                      messages.getMessage(key + ".subject", args, locale),
                      messages.getMessage(key + ".body", args, locale),
                      false)
                  // to the company's own people: ahead of customers' mass messages
                  .withKind(OutboundKind.ALERT);
            })
            .toList();
    outbound.enqueue(tenant, drafts);
  }
}
