package dev.herald.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import dev.herald.billing.BillingAccounts;
import dev.herald.contact.ContactInput;
import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.shared.TenantId;
import dev.herald.support.MutableClock;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * D3 and C4 on a settable clock, driven by db-scheduler's manual scheduler: who gets a reminder, on
 * which channels, in which language, on which day and at which local hour; each reminder once, also
 * with two nodes at once; the "payment overdue" alert after the second invoice reminder.
 */
@SpringBootTest(properties = "db-scheduler.enabled=false")
class DocumentRemindersIntegrationTests {

  static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");

  @TestConfiguration
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(at(2026, 1, 5, 9, 0));
    }
  }

  static Instant at(int year, int month, int day, int hour, int minute) {
    return LocalDateTime.of(year, month, day, hour, minute).atZone(COPENHAGEN).toInstant();
  }

  @Autowired MutableClock clock;
  @Autowired TestCompanies companies;
  @Autowired Contacts contacts;
  @Autowired OptOuts optOuts;
  @Autowired Documents documents;
  @Autowired SendingDocuments sending;
  @Autowired DocumentReminders reminders;
  @Autowired RecurringTask<Void> documentRemindersTask;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired BillingAccounts accounts;

  ManualScheduler scheduler(SettableClock schedulerClock) {
    ManualScheduler scheduler =
        TestHelper.createManualScheduler(dataSource, List.of())
            .clock(schedulerClock)
            .startTasks(List.of(documentRemindersTask))
            .build();
    scheduler.start();
    return scheduler;
  }

  void moveTo(Instant instant, SettableClock schedulerClock) {
    clock.set(instant);
    schedulerClock.set(instant);
  }

  UUID contact(
      TenantId tenant,
      String name,
      String language,
      String zone,
      String email,
      String mobile,
      boolean reminders) {
    return contacts
        .create(
            tenant,
            new ContactInput(
                name,
                language,
                zone,
                email == null ? List.of() : List.of(email),
                mobile == null ? List.of() : List.of(new PhoneInput("MOBILE", mobile)),
                email != null,
                mobile != null,
                reminders))
        .id();
  }

  /** A document sent now by the contact's preferences; returns its id. */
  UUID sent(TenantId tenant, UUID contact, String kind, String dueDate) {
    Document doc =
        documents.create(
            tenant,
            new DocumentInput(
                kind,
                contact,
                null,
                dueDate,
                null,
                List.of(new DocumentInput.LineInput("Work", "1", "500", "25"))));
    sending.sendWithTemplates(tenant, doc.id(), null, null, "test");
    return doc.id();
  }

  /** The reminder messages queued for a contact: "channel:body", oldest first. */
  List<String> reminderMessages(TenantId tenant, UUID contact) {
    return jdbc.sql(
            """
            SELECT channel || ':' || body FROM outbound_message
            WHERE tenant_id = ? AND contact_id = ? AND kind = 'reminder' ORDER BY created_at, channel
            """)
        .params(tenant.value(), contact)
        .query(String.class)
        .list();
  }

  @Test
  void the_right_contacts_get_the_right_channels_in_their_language_at_their_local_hour() {
    SettableClock node = new SettableClock();
    moveTo(at(2026, 1, 5, 9, 0), node);
    TestCompany company = companies.aDanishCompany(true, true);
    TenantId t = company.id();
    UUID danish = contact(t, "Dorthe", "da", null, "dorthe@example.dk", "+4520123531", true);
    UUID french = contact(t, "Fabien", "fr", null, "fabien@example.fr", null, true);
    UUID vip = contact(t, "Vibeke VIP", "da", null, "vip@example.dk", "+4520123532", false);
    UUID stopped = contact(t, "Stig", "da", null, null, "+4520123533", true);
    UUID payer = contact(t, "Poul", "da", null, "poul@example.dk", null, true);
    UUID answerer = contact(t, "Anne", "da", null, "anne@example.dk", null, true);
    UUID toronto = contact(t, "Tom", "en", "America/Toronto", "tom@example.ca", null, true);
    UUID danishInvoice = sent(t, danish, "invoice", "2026-01-10");
    UUID frenchInvoice = sent(t, french, "invoice", "2026-01-10");
    sent(t, vip, "invoice", "2026-01-10");
    sent(t, stopped, "invoice", "2026-01-10");
    optOuts.optOut(t, "+4520123533", "sms");
    documents.markPaid(t, sent(t, payer, "invoice", "2026-01-10"));
    UUID answered = sent(t, answerer, "quote", "2026-02-10");
    documents.answer(t, answered, false, "Too dear");
    sent(t, toronto, "invoice", "2026-01-10");
    UUID quote = sent(t, danish, "quote", "2026-02-10");
    ManualScheduler scheduler = scheduler(node);

    // 8 January, 10:15: the quote sent on the 5th is 3 days old; no invoice is due yet.
    moveTo(at(2026, 1, 8, 10, 15), node);
    scheduler.runAnyDueExecutions();
    assertThat(reminderMessages(t, danish))
        .satisfiesExactly(
            email -> assertThat(email).startsWith("email:Hej Dorthe,").contains("Tilbud Q-00002"),
            sms -> assertThat(sms).startsWith("sms:Hej Dorthe, en påmindelse: tilbud Q-00002"));

    // 13 January (due + 3), 9:45: before the company's hour.
    moveTo(at(2026, 1, 13, 9, 45), node);
    scheduler.runAnyDueExecutions();
    assertThat(reminderMessages(t, french)).isEmpty();

    // 10:15 in Copenhagen: Danish on both channels, French by e-mail only (no mobile).
    moveTo(at(2026, 1, 13, 10, 15), node);
    scheduler.runAnyDueExecutions();
    // (and the quote's second reminder: it was sent 8 days ago)
    assertThat(reminderMessages(t, danish)).hasSize(6);
    assertThat(reminderMessages(t, danish).stream().filter(m -> m.contains("INV-00001")))
        .satisfiesExactly(
            email ->
                assertThat(email).startsWith("email:Hej Dorthe,").contains("Faktura INV-00001"),
            sms ->
                assertThat(sms)
                    .startsWith("sms:Hej Dorthe, en påmindelse: faktura INV-00001")
                    .containsPattern("/p/[A-Za-z0-9_-]{22}"));
    assertThat(reminderMessages(t, french))
        .singleElement()
        .satisfies(e ->
            assertThat(e).startsWith("email:Bonjour Fabien,").contains("La facture INV-00002"));
    // Nothing to the VIP (switch off), the opted-out number, the paid invoice, the answered quote,
    // nor yet to Toronto, where it is 4:15 in the morning.
    for (UUID none : List.of(vip, stopped, payer, answerer, toronto)) {
      assertThat(reminderMessages(t, none)).as(none.toString()).isEmpty();
    }
    // 16:15 in Copenhagen is 10:15 in Toronto.
    moveTo(at(2026, 1, 13, 16, 15), node);
    scheduler.runAnyDueExecutions();
    assertThat(reminderMessages(t, toronto))
        .singleElement()
        .satisfies(e -> assertThat(e).startsWith("email:Hello Tom,").contains("Invoice INV-00006"));
    // Running again the same day queues nothing more; nor does a run at night.
    reminders.run();
    moveTo(at(2026, 1, 17, 22, 30), node);
    scheduler.runAnyDueExecutions();
    assertThat(reminderMessages(t, danish)).hasSize(6);
    // ... but in Toronto it is 16:30 on the 17th: Tom gets his second, and the company the alert.
    assertThat(reminderMessages(t, toronto)).hasSize(2);
    assertThat(alerts(t)).containsExactly("Betaling forfalden: faktura INV-00006 til Tom");

    // 18 January at 10:15 (due + 7 was the 17th, whose night was skipped): the second invoice
    // reminders, and the overdue alert.
    moveTo(at(2026, 1, 18, 10, 15), node);
    scheduler.runAnyDueExecutions();
    assertThat(reminderMessages(t, danish)).hasSize(8);
    assertThat(reminderMessages(t, french)).hasSize(2);
    assertThat(alerts(t))
        .containsExactlyInAnyOrder(
            "Betaling forfalden: faktura INV-00006 til Tom",
            "Betaling forfalden: faktura INV-00001 til Dorthe",
            "Betaling forfalden: faktura INV-00002 til Fabien",
            // Stig could get no reminder (opted out, no e-mail): his company hears all the same.
            "Betaling forfalden: faktura INV-00004 til Stig");
    assertThat(reminderMessages(t, stopped)).isEmpty();
    assertThat(reminders.of(t, danishInvoice))
        .extracting(DocumentReminders.Sent::number)
        .containsExactly(1, 2);
    assertThat(reminders.of(t, frenchInvoice))
        .extracting(DocumentReminders.Sent::sms)
        .containsExactly(false, false);
    assertThat(reminders.of(t, quote)).hasSize(2); // 3 and 7 days after sending
  }

  List<String> alerts(TenantId tenant) {
    return jdbc.sql(
            "SELECT subject FROM outbound_message WHERE tenant_id = ? AND kind = 'alert' AND subject LIKE 'Betaling%'")
        .param(tenant.value())
        .query(String.class)
        .list();
  }

  @Test
  void two_nodes_running_at_once_queue_each_reminder_once() throws Exception {
    moveTo(at(2026, 3, 1, 9, 0), new SettableClock());
    TestCompany company = companies.aDanishCompany(true, true);
    TenantId t = company.id();
    List<UUID> invoices = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      UUID c =
          contact(
              t,
              "Kunde " + i,
              "da",
              null,
              "k" + i + "@example.dk",
              String.format("+45201236%02d", i),
              true);
      invoices.add(sent(t, c, "invoice", "2026-03-02"));
    }
    moveTo(at(2026, 3, 5, 10, 30), new SettableClock());
    CompletableFuture<Integer> a = CompletableFuture.supplyAsync(reminders::run);
    CompletableFuture<Integer> b = CompletableFuture.supplyAsync(reminders::run);
    CompletableFuture<Integer> c = CompletableFuture.supplyAsync(reminders::run);
    // Each run's count includes other companies' reminders (the demo's, other tests'): the
    // company's own are counted in the database.
    assertThat(a.get() + b.get() + c.get()).isGreaterThanOrEqualTo(40);
    assertThat(
            jdbc.sql("SELECT count(*) FROM document_reminder WHERE tenant_id = ?")
                .param(t.value())
                .query(Long.class)
                .single())
        .as("each reminder claimed once")
        .isEqualTo(40);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM outbound_message WHERE tenant_id = ? AND kind = 'reminder'")
                .param(t.value())
                .query(Long.class)
                .single())
        .as("40 SMS and 40 e-mails, each once")
        .isEqualTo(80);
    assertThat(
            jdbc.sql(
                    "SELECT count(DISTINCT document_id) FROM document_reminder WHERE tenant_id = ?")
                .param(t.value())
                .query(Long.class)
                .single())
        .isEqualTo(40);
  }

  /** A contact's messages of the kind, oldest first: channel, status, reason, recipient, body. */
  List<List<String>> messages(TenantId tenant, UUID contact, String kind) {
    return jdbc.sql(
            """
            SELECT channel, status, coalesce(status_reason, ''), recipient, body, id::text
            FROM outbound_message WHERE tenant_id = ? AND contact_id = ? AND kind = ?
            ORDER BY created_at, channel DESC
            """)
        .params(tenant.value(), contact, kind)
        .query((rs, row) ->
            List.of(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)))
        .list();
  }

  static String link(String body) {
    var m = java.util.regex.Pattern.compile("/p/[A-Za-z0-9_-]{22}").matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group();
  }

  @Test
  void at_zero_credit_a_documents_and_its_reminders_sms_go_by_email_with_the_pdf_and_link() {
    moveTo(at(2026, 2, 2, 9, 0), new SettableClock());
    TenantId t = companies.aDanishCompany(true, true).id();
    accounts.choose(t, "packs", "DKK"); // prepaid, and no pack bought: no credit at all
    UUID sofie =
        contacts
            .create(
                t,
                new ContactInput(
                    "Sofie",
                    "da",
                    null,
                    List.of("sofie@example.dk"),
                    List.of(new PhoneInput("MOBILE", "+4520123540")),
                    false, // wants SMS only
                    true,
                    true))
            .id();
    UUID niels = contact(t, "Niels", "da", null, null, "+4520123541", true);
    UUID invoice = sent(t, sofie, "invoice", "2026-02-05");
    sent(t, niels, "invoice", "2026-02-05");

    // The SMS found no credit; the invoice went by e-mail instead, with its link and its PDF.
    List<List<String>> sent = messages(t, sofie, "document");
    assertThat(sent).hasSize(2);
    List<String> sms = sent.get(0);
    List<String> email = sent.get(1);
    assertThat(sms.subList(0, 3)).containsExactly("sms", "no_credit", "no credit, sent by e-mail");
    assertThat(email.subList(0, 4)).containsExactly("email", "queued", "", "sofie@example.dk");
    assertThat(email.get(4)).contains("INV-00001").contains(link(sms.get(4)));
    assertThat(
            jdbc.sql(
                    """
                    SELECT filename || ':' || convert_from(substring(content FROM 1 FOR 4), 'UTF8')
                    FROM outbound_attachment WHERE tenant_id = ? AND message_id = ?::uuid
                    """)
                .params(t.value(), email.get(5))
                .query(String.class)
                .list())
        .singleElement()
        .satisfies(f -> assertThat(f).endsWith(".pdf:%PDF"));
    // A contact without an e-mail address: the SMS stays without credit, and nothing else goes.
    assertThat(messages(t, niels, "document"))
        .singleElement()
        .satisfies(
            m -> assertThat(m.subList(0, 3)).containsExactly("sms", "no_credit", "no credit"));

    // The first reminder (due + 3, at 10:15): the same, by the reminder's e-mail.
    moveTo(at(2026, 2, 8, 10, 15), new SettableClock());
    reminders.run(); // (other tests' documents in this database may be due too)
    assertThat(
            jdbc.sql("SELECT count(*) FROM document_reminder WHERE tenant_id = ?")
                .param(t.value())
                .query(Long.class)
                .single())
        .as("Sofie's and Niels's first reminders")
        .isEqualTo(2);
    List<List<String>> reminder = messages(t, sofie, "reminder");
    assertThat(reminder).hasSize(2);
    assertThat(reminder.get(0).subList(0, 3))
        .containsExactly("sms", "no_credit", "no credit, sent by e-mail");
    assertThat(reminder.get(1).subList(0, 4))
        .containsExactly("email", "queued", "", "sofie@example.dk");
    assertThat(reminder.get(1).get(4)).contains("INV-00001").contains(link(reminder.get(0).get(4)));
    assertThat(reminders.of(t, invoice))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.sms()).isTrue();
          assertThat(r.email()).as("the fallback e-mail").isTrue();
        });

    // With the company's choice off, an SMS without credit is only that.
    accounts.setEmailFallback(t, false);
    sent(t, sofie, "invoice", "2026-03-05");
    assertThat(messages(t, sofie, "document"))
        .hasSize(3)
        .last()
        .satisfies(
            m -> assertThat(m.subList(0, 3)).containsExactly("sms", "no_credit", "no credit"));
  }
}
