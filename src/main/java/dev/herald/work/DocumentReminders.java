package dev.herald.work;

import dev.herald.notification.CommunicationKind;
import dev.herald.notification.CompanyAlerts;
import dev.herald.notification.MergeValues;
import dev.herald.notification.SendingCommunications;
import dev.herald.notification.SendingCommunications.Automatic;
import dev.herald.notification.SendingCommunications.Queued;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Local hour from which a late run waits for the next day: never at night. */
  static final int LAST_HOUR = 21;

  private final JdbcClient jdbc;
  private final Documents documents;
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
      Companies companies,
      DocumentSettingsStore settings,
      SendingCommunications sending,
      PortalLinks portalLinks,
      CompanyAlerts alerts,
      TransactionTemplate tx,
      Clock clock) {
    this.jdbc = jdbc;
    this.documents = documents;
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

  /** Where a run has got to: the last document it looked at, in (company, document) order. */
  record Cursor(UUID tenant, UUID document) {

    static final Cursor START = new Cursor(new UUID(0, 0), new UUID(0, 0));
  }

  /**
   * Queues every reminder due now, a batch per transaction; returns how many it claimed. The run
   * walks the waiting documents once, in (company, document) order, each batch a window of them
   * after the last one's, so no batch reads what an earlier one read (and a document gets at most
   * one reminder per run).
   */
  public int run() {
    int total = 0;
    Cursor cursor = Cursor.START;
    while (true) {
      Cursor from = cursor;
      Claim claim = tx.execute(status -> batch(from));
      if (claim == null) {
        break;
      }
      total += claim.due().size();
      if (!claim.full() || claim.last() == null) {
        break;
      }
      cursor = claim.last();
    }
    if (total > 0) {
      log.info("Queued {} document reminders", total);
    }
    return total;
  }

  private Claim batch(Cursor after) {
    Instant now = clock.instant();
    Claim claim = claim(now, after);
    // Each company's reminders are queued together.
    Map<TenantId, List<Due>> byTenant = new LinkedHashMap<>();
    for (Due reminder : claim.due()) {
      byTenant.computeIfAbsent(reminder.tenant(), t -> new ArrayList<>()).add(reminder);
    }
    byTenant.forEach((tenant, reminders) -> queue(tenant, reminders, now));
    return claim;
  }

  /**
   * Queues one company's claimed reminders set-wise: documents and contacts read in one query each,
   * the portal links stored in one statement, the messages queued in one enqueue (one credit
   * reservation for the batch's SMS), the reminders' message ids written in one UPDATE.
   */
  private void queue(TenantId tenant, List<Due> due, Instant now) {
    Map<UUID, Document> docs = new HashMap<>();
    documents
        .all(tenant, due.stream().map(Due::documentId).toList())
        .forEach(d -> docs.put(d.id(), d));
    DocumentSettings s = settings.of(tenant);
    Company company = companies.require(tenant);
    List<String> links =
        portalLinks.issueAll(
            tenant,
            due.stream()
                .map(r ->
                    new PortalLinks.Request(docs.get(r.documentId()).contactId(), r.documentId()))
                .toList(),
            now.plus(Duration.ofDays(s.portalLinkDays())));
    List<Automatic> batch = new ArrayList<>(due.size());
    for (int i = 0; i < due.size(); i++) {
      Due reminder = due.get(i);
      Document doc = docs.get(reminder.documentId());
      boolean invoice = doc.kind() == DocumentKind.INVOICE;
      batch.add(
          new Automatic(
              doc.contactId(),
              invoice ? CommunicationKind.INVOICE_REMINDER : CommunicationKind.QUOTE_REMINDER,
              new MergeValues(
                  doc.contactName(),
                  company.name(),
                  doc.displayNumber(),
                  doc.total(),
                  doc.dueDate(),
                  links.get(i)),
              List.of(),
              "reminder:" + doc.id() + ":" + reminder.number()));
    }
    List<Queued> queued = sending.sendAutomatic(tenant, batch);
    int n = due.size();
    UUID[] ids = new UUID[n];
    Integer[] numbers = new Integer[n];
    UUID[] sms = new UUID[n];
    UUID[] emails = new UUID[n];
    for (int i = 0; i < n; i++) {
      ids[i] = due.get(i).documentId();
      numbers[i] = due.get(i).number();
      sms[i] = queued.get(i).smsMessageId();
      emails[i] = queued.get(i).emailMessageId();
    }
    jdbc.sql(
            """
            UPDATE document_reminder r SET sms_message_id = q.sms, email_message_id = q.email
            FROM unnest(:ids::uuid[], :numbers::integer[], :sms::uuid[], :emails::uuid[])
                 AS q(document_id, number, sms, email)
            WHERE r.tenant_id = :tenant AND r.document_id = q.document_id AND r.number = q.number
            """)
        .param("ids", ids)
        .param("numbers", numbers)
        .param("sms", sms)
        .param("emails", emails)
        .param("tenant", tenant.value())
        .update();
    for (Due reminder : due) {
      Document doc = docs.get(reminder.documentId());
      if (doc.kind() == DocumentKind.INVOICE && reminder.number() == 2) {
        alerts.alertAdmins(
            tenant,
            "documents.mail.overdue",
            new Object[] {
              doc.displayNumber(),
              doc.contactName(),
              DocumentSheets.money(doc.total(), company.language().locale())
            },
            "payment-overdue:" + doc.id());
      }
    }
  }

  /**
   * One batch of the run: the next {@link #WINDOW} waiting documents after the cursor, walked in
   * (company, document) order on document_waiting_order_ix and read once (MATERIALIZED, so the
   * joins see a few thousand rows, not every contact); of those, the ones whose reminder is due now
   * (the company's schedule and switch, the contact's switch, the company's hour in the contact's
   * time zone, never at night) are claimed in one INSERT whose primary key lets each reminder be
   * claimed once whatever runs at the same time. The answer: the claimed rows, then one row {@code
   * last} with the window's last document and how many documents the window held.
   */
  static final String CLAIM =
      """
      WITH w AS MATERIALIZED (
          SELECT d.tenant_id, d.id, d.kind, d.due_date, d.sent_at, d.contact_id
          FROM document d
          WHERE d.status IN ('sent', 'viewed')
            AND (d.tenant_id, d.id) > (:afterTenant, :afterDocument)
          ORDER BY d.tenant_id, d.id
          LIMIT :window),
      due AS (
          SELECT w.tenant_id, w.id, r.sent + 1 AS number
          FROM w
          JOIN document_settings s ON s.tenant_id = w.tenant_id AND s.reminders_enabled
          JOIN company co ON co.id = w.tenant_id
          -- LATERAL: one primary-key look-up per document, never a hash of every contact
          CROSS JOIN LATERAL (
              SELECT c.time_zone FROM contact c
              WHERE c.tenant_id = w.tenant_id AND c.id = w.contact_id
                AND c.reminders_enabled AND c.anonymised_at IS NULL) c
          CROSS JOIN LATERAL (
              SELECT count(*)::integer AS sent FROM document_reminder x
              WHERE x.tenant_id = w.tenant_id AND x.document_id = w.id) r
          CROSS JOIN LATERAL (
              SELECT (CAST(:now AS timestamptz) AT TIME ZONE coalesce(c.time_zone, co.time_zone)) AS at) l
          WHERE r.sent < least(s.max_reminders, cardinality(s.reminder_days))
            AND l.at::date >= s.reminder_days[r.sent + 1] + CASE
                  WHEN w.kind = 'invoice' THEN w.due_date
                  ELSE (w.sent_at AT TIME ZONE coalesce(c.time_zone, co.time_zone))::date END
            AND extract(hour FROM l.at) >= s.reminder_hour
            AND extract(hour FROM l.at) < :lastHour),
      claimed AS (
          INSERT INTO document_reminder (tenant_id, document_id, number, queued_at)
          SELECT tenant_id, id, number, :now FROM due
          ON CONFLICT DO NOTHING
          RETURNING tenant_id, document_id, number)
      SELECT 'claimed' AS row_kind, tenant_id, document_id, number, 0 AS scanned FROM claimed
      UNION ALL
      SELECT 'last', tenant_id, id, 0, (SELECT count(*)::integer FROM w)
      FROM (SELECT tenant_id, id FROM w ORDER BY tenant_id DESC, id DESC LIMIT 1) l
      """;

  /** Waiting documents a batch looks at. */
  static final int WINDOW = 2_000;

  /** What a batch claimed, where its window ended, and whether the window was full. */
  record Claim(List<Due> due, Cursor last, boolean full) {}

  private Claim claim(Instant now, Cursor after) {
    List<Due> due = new ArrayList<>();
    Cursor[] last = {null};
    int[] scanned = {0};
    jdbc.sql(CLAIM)
        .param("now", Timestamp.from(now))
        .param("afterTenant", after.tenant())
        .param("afterDocument", after.document())
        .param("lastHour", LAST_HOUR)
        .param("window", WINDOW)
        .query(rs -> {
          UUID tenant = rs.getObject("tenant_id", UUID.class);
          UUID document = rs.getObject("document_id", UUID.class);
          if (rs.getString("row_kind").equals("last")) {
            last[0] = new Cursor(tenant, document);
            scanned[0] = rs.getInt("scanned");
          } else {
            due.add(new Due(new TenantId(tenant), document, rs.getInt("number")));
          }
        });
    return new Claim(due, last[0], scanned[0] == WINDOW);
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
