package dev.herald.contact;

import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * SMS opt-outs per company and number (C5), each change written to the consent log with its time
 * and source. An opt-out overrides every preference.
 */
@Repository
public class OptOuts {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  OptOuts(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.events = events;
  }

  /** Records an opt-out; repeating it keeps the first time and logs nothing new. */
  @Transactional
  public boolean optOut(TenantId tenant, String e164, String source) {
    Timestamp now = Timestamp.from(clock.instant());
    int inserted =
        jdbc.sql(
                """
                INSERT INTO sms_opt_out (tenant_id, number, opted_out_at, source)
                VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, number) DO NOTHING
                """)
            .params(tenant.value(), e164, now, source)
            .update();
    if (inserted == 1) {
      log(tenant, e164, "OPT_OUT", source, now);
      events.publishEvent(new SmsOptedOut(tenant, e164, source));
    }
    return inserted == 1;
  }

  /** Lifts an opt-out (START); false when the number had not opted out. */
  @Transactional
  public boolean optIn(TenantId tenant, String e164, String source) {
    int deleted =
        jdbc.sql("DELETE FROM sms_opt_out WHERE tenant_id = ? AND number = ?")
            .params(tenant.value(), e164)
            .update();
    if (deleted == 1) {
      log(tenant, e164, "OPT_IN", source, Timestamp.from(clock.instant()));
      events.publishEvent(new SmsOptedIn(tenant, e164, source));
    }
    return deleted == 1;
  }

  /** Writes that the number asked for HELP (C5), with its time and source, to the consent log. */
  @Transactional
  public void logHelp(TenantId tenant, String e164, String source) {
    log(tenant, e164, "HELP", source, Timestamp.from(clock.instant()));
  }

  public boolean isOptedOut(TenantId tenant, String e164) {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM sms_opt_out WHERE tenant_id = ? AND number = ?)")
        .params(tenant.value(), e164)
        .query(Boolean.class)
        .single();
  }

  private void log(TenantId tenant, String e164, String action, String source, Timestamp at) {
    jdbc.sql(
            """
            INSERT INTO consent_log (tenant_id, id, number, action, source, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        .params(tenant.value(), Ids.next(), e164, action, source, at)
        .update();
  }
}
