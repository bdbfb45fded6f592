package dev.herald.conversation;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.delivery.InboundSmsReceived;
import dev.herald.notification.CompanyAlerts;
import dev.herald.notification.InboundKeywords;
import dev.herald.shared.Ids;
import dev.herald.shared.PhoneNumber;
import dev.herald.tenant.Notices;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Keeps every inbound SMS that is not a keyword (G5: "Stop texting me" is a reply, not an opt-out)
 * against the company and the contact whose number sent it, and tells the company: an in-app notice
 * and an e-mail to its owners and admins. Once per inbound SMS and company. On a number shared by
 * several companies, only those whose contact sent it keep it.
 */
@Component
class KeepingReplies {

  private final JdbcClient jdbc;
  private final Contacts contacts;
  private final Notices notices;
  private final CompanyAlerts alerts;

  KeepingReplies(JdbcClient jdbc, Contacts contacts, Notices notices, CompanyAlerts alerts) {
    this.jdbc = jdbc;
    this.contacts = contacts;
    this.notices = notices;
    this.alerts = alerts;
  }

  @ApplicationModuleListener
  void on(InboundSmsReceived sms) {
    if (InboundKeywords.of(sms.text()) != InboundKeywords.Keyword.NONE || sms.text().isBlank()) {
      return;
    }
    Optional<Contact> contact =
        sms.from().matches("\\+[1-9][0-9]{6,14}")
            ? contacts.findByNumber(sms.tenant(), sms.from())
            : Optional.empty();
    if (contact.isEmpty() && sms.shared()) {
      // A number several companies send from: a stranger's reply belongs to none of them in
      // particular, and every one of them would be told; only a company that knows the sender
      // keeps it.
      return;
    }
    String text = sms.text().length() > 2000 ? sms.text().substring(0, 2000) : sms.text();
    int kept =
        jdbc.sql(
                """
                INSERT INTO conversation_message
                    (tenant_id, id, contact_id, direction, number, text, inbound_id, occurred_at)
                VALUES (:t, :id, :c, 'in', :number, :text, :inbound, :at)
                ON CONFLICT (tenant_id, inbound_id) WHERE inbound_id IS NOT NULL DO NOTHING
                """)
            .param("t", sms.tenant().value())
            .param("id", Ids.next())
            .param("c", contact.map(Contact::id).orElse(null), java.sql.Types.OTHER)
            .param("number", sms.from())
            .param("text", text)
            .param("inbound", sms.inboundId())
            .param("at", Timestamp.from(sms.receivedAt()))
            .update();
    if (kept == 0) {
      return;
    }
    String who = contact.map(Contact::name).orElse(PhoneNumber.mask(sms.from()));
    String link = contact.map(c -> "/contacts/" + c.id() + "#conversation").orElse(null);
    String preview = text.length() > 80 ? text.substring(0, 79) + "…" : text;
    UUID id = sms.inboundId();
    notices.raise(
        sms.tenant(), "conversation.notice.reply", List.of(who, preview), link, "reply:" + id);
    alerts.alertAdmins(
        sms.tenant(), "conversation.alert.reply", new Object[] {who, text}, "reply:" + id);
  }
}
