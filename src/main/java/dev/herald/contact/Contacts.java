package dev.herald.contact;

import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The contacts (customers) of each company. */
@Repository
public class Contacts {

  private final JdbcClient jdbc;
  private final Clock clock;

  Contacts(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional
  public UUID create(TenantId tenant, NewContact contact) {
    UUID id = Ids.next();
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            """
            INSERT INTO contact (tenant_id, id, name, language, email_enabled, sms_enabled,
                                 reminders_enabled, created_at, updated_at)
            VALUES (:tenant, :id, :name, :language, :email, :sms, :reminders, :now, :now)
            """)
        .param("tenant", tenant.value())
        .param("id", id)
        .param("name", contact.name().strip())
        .param("language", contact.language().code())
        .param("email", contact.emailEnabled())
        .param("sms", contact.smsEnabled())
        .param("reminders", contact.remindersEnabled())
        .param("now", now)
        .update();
    for (int i = 0; i < contact.emails().size(); i++) {
      jdbc.sql(
              "INSERT INTO contact_email (tenant_id, contact_id, position, address) VALUES (?, ?, ?, ?)")
          .params(tenant.value(), id, i, contact.emails().get(i).strip())
          .update();
    }
    for (int i = 0; i < contact.phones().size(); i++) {
      ContactPhone phone = contact.phones().get(i);
      jdbc.sql(
              "INSERT INTO contact_phone (tenant_id, contact_id, position, type, number) VALUES (?, ?, ?, ?, ?)")
          .params(tenant.value(), id, i, phone.type().name(), phone.number())
          .update();
    }
    return id;
  }

  public long count(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM contact WHERE tenant_id = :t AND anonymised_at IS NULL")
        .param("t", tenant.value())
        .query(Long.class)
        .single();
  }
}
