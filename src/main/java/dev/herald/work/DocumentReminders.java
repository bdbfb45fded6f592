package dev.herald.work;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.notification.CommunicationKind;
import dev.herald.notification.CompanyAlerts;
import dev.herald.notification.MergeValues;
import dev.herald.notification.SendingCommunications;
import dev.herald.notification.SendingCommunications.Queued;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Overdue reminders (D3, C4): sent invoices unpaid after their due date, sent quotes neither
 * approved nor declined after their sending, on the company's schedule (days, at most so many),
 * when the company and the contact have reminders on, at the company's hour in the contact's time
 * zone and never at night. The due reminders are claimed in one set-based INSERT per batch, whose
 * primary key (document, number) lets each go out once whatever runs at the same time; their
 * messages carry a dedupe key too, and are queued in the transaction that claimed them.
 */
@Service
public class DocumentReminders {

  private static final Logger log = LoggerFactory.getLogger(DocumentReminders.class);

  /** Reminders claimed and queued per transaction. */
  static final int BATCH = 500;

  /** Local hour from which a late run waits for the next day: never at night. */
  static final int LAST_HOUR = 21;

  private final JdbcClient jdbc;
  private final Documents documents;
  private final Contacts contacts;
  private final Companies companies;
  private final DocumentSettingsStore settings;
  private final SendingCommunications sending;
  private final PortalLinks portalLinks;
  private final CompanyAlerts alerts;
  private final TransactionTemplate tx;
  private final Clock clock;

  DocumentReminders(
      JdbcClient jdbc,
      Documents documents,
      Contacts contacts,
      Companies companies,
      DocumentSettingsStore settings,
      SendingCommunications sending,
      PortalLinks portalLinks,
      CompanyAlerts alerts,
      TransactionTemplate tx,
      Clock clock) {
    this.jdbc = jdbc;
    this.documents = documents;
    this.contacts = contacts;
    this.companies = companies;
    this.settings = settings;
    this.sending = sending;
    this.portalLinks = portalLinks;
    this.alerts = alerts;
    this.tx = tx;
    this.clock = clock;
  }

  /** A reminder claimed for queueing. */
  record Due(TenantId tenant, UUID documentId, int number) {}

  /** Queues every reminder due now; returns how many it claimed. */
  public int run() {
    int total = 0;
    while (true) {
      Integer claimed = tx.execute(status -> batch());
      if (claimed == null || claimed == 0) {
        break;
      }
      total += claimed;
      if (claimed < BATCH) {
        break;
      }
    }
    if (total > 0) {
      log.info("Queued {} document reminders", total);
    }
    return total;
  }

  private int batch() {
    Instant now = clock.instant();
    List<Due> due =
        jdbc.sql(
                """
                INSERT INTO document_reminder (tenant_id, document_id, number, queued_at)
                SELECT d.tenant_id, d.id, r.sent + 1, :now
                FROM document d
                JOIN document_settings s ON s.tenant_id = d.tenant_id AND s.reminders_enabled
                JOIN company co ON co.id = d.tenant_id
                JOIN contact c ON c.tenant_id = d.tenant_id AND c.id = d.contact_id
                                AND c.reminders_enabled AND c.anonymised_at IS NULL
                CROSS JOIN LATERAL (
                    SELECT count(*)::integer AS sent FROM document_reminder x
                    WHERE x.tenant_id = d.tenant_id AND x.document_id = d.id) r
                CROSS JOIN LATERAL (
                    SELECT (CAST(:now AS timestamptz) AT TIME ZONE coalesce(c.time_zone, co.time_zone)) AS at) l
                WHERE d.status IN ('sent', 'viewed')
                  AND r.sent < least(s.max_reminders, cardinality(s.reminder_days))
                  AND l.at::date >= s.reminder_days[r.sent + 1] + CASE
                        WHEN d.kind = 'invoice' THEN d.due_date
                        ELSE (d.sent_at AT TIME ZONE coalesce(c.time_zone, co.time_zone))::date END
                  AND extract(hour FROM l.at) >= s.reminder_hour
                  AND extract(hour FROM l.at) < :lastHour
                ORDER BY d.tenant_id, d.id
                LIMIT :batch
                ON CONFLICT DO NOTHING
                RETURNING tenant_id, document_id, number
                """)
            .param("now", Timestamp.from(now))
            .param("lastHour", LAST_HOUR)
            .param("batch", BATCH)
            .query((rs, row) ->
                new Due(
                    new TenantId(rs.getObject("tenant_id", UUID.class)),
                    rs.getObject("document_id", UUID.class),
                    rs.getInt("number")))
            .list();
    for (Due reminder : due) {
      queue(reminder, now);
    }
    return due.size();
  }

  private void queue(Due reminder, Instant now) {
    TenantId tenant = reminder.tenant();
    Document doc = documents.require(tenant, reminder.documentId());
    Contact contact = contacts.find(tenant, doc.contactId()).orElseThrow();
    DocumentSettings s = settings.of(tenant);
    String link =
        portalLinks.issue(
            tenant, contact.id(), doc.id(), now.plus(Duration.ofDays(s.portalLinkDays())));
    boolean invoice = doc.kind() == DocumentKind.INVOICE;
    Queued queued =
        sending.sendAutomatic(
            tenant,
            contact.id(),
            invoice ? CommunicationKind.INVOICE_REMINDER : CommunicationKind.QUOTE_REMINDER,
            new MergeValues(
                contact.name(),
                companies.require(tenant).name(),
                doc.displayNumber(),
                doc.total(),
                doc.dueDate(),
                link),
            List.of(),
            "reminder:" + doc.id() + ":" + reminder.number());
    jdbc.sql(
            """
            UPDATE document_reminder SET sms_message_id = :sms, email_message_id = :email
            WHERE tenant_id = :tenant AND document_id = :document AND number = :number
            """)
        .param("sms", queued.smsMessageId(), java.sql.Types.OTHER)
        .param("email", queued.emailMessageId(), java.sql.Types.OTHER)
        .param("tenant", tenant.value())
        .param("document", doc.id())
        .param("number", reminder.number())
        .update();
    if (invoice && reminder.number() == 2) {
      alerts.alertAdmins(
          tenant,
          "documents.mail.overdue",
          new Object[] {
            doc.displayNumber(),
            contact.name(),
            DocumentSheets.money(doc.total(), companies.require(tenant).language().locale())
          },
          "payment-overdue:" + doc.id());
    }
  }

  /** The reminders a document has had, in order: when, and whether SMS and e-mail went. */
  public record Sent(int number, Instant queuedAt, boolean sms, boolean email) {}

  public List<Sent> of(TenantId tenant, UUID documentId) {
    return jdbc.sql(
            """
            SELECT number, queued_at, sms_message_id IS NOT NULL AS sms, email_message_id IS NOT NULL AS email
            FROM document_reminder WHERE tenant_id = :tenant AND document_id = :document ORDER BY number
            """)
        .param("tenant", tenant.value())
        .param("document", documentId)
        .query((rs, row) ->
            new Sent(
                rs.getInt("number"),
                rs.getTimestamp("queued_at").toInstant(),
                rs.getBoolean("sms"),
                rs.getBoolean("email")))
        .list();
  }
}
