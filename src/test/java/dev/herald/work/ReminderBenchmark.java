package dev.herald.work;

import dev.herald.HeraldApplication;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 11's reminder benchmark (bench/reminder-benchmark.sh; a main class, not a test: surefire
 * never runs it). On the durable embedded PostgreSQL it loads, set-based (generate_series), N
 * invoices spread over C companies and their contacts (each with an e-mail address and a mobile
 * number, SMS and e-mail preferences on, reminders on), of which O are sent and due for their first
 * reminder today, the rest paid or not yet due; each company on prepaid packs with credit enough.
 * Then it runs the reminder task once ({@link DocumentReminders#run}, as the scheduler does) and
 * prints the time and what it queued: reminders claimed, SMS and e-mails queued, SMS without
 * credit.
 *
 * <p>Sizes: {@code bench.invoices} (1000000), {@code bench.overdue} (100000), {@code
 * bench.companies} (10), {@code bench.contacts} per company (10000); {@code bench.model} (packs or
 * blocks). The companies' time zone is chosen so that the run happens at 12:00-12:59 local time
 * (inside the reminder hours), whatever the hour of the machine.
 */
public final class ReminderBenchmark {

  private final int invoices = Integer.getInteger("bench.invoices", 1_000_000);
  private final int overdue = Integer.getInteger("bench.overdue", 100_000);
  private final int companyCount = Integer.getInteger("bench.companies", 10);
  private final int contactsPerCompany = Integer.getInteger("bench.contacts", 10_000);
  private final String model = System.getProperty("bench.model", "packs");

  public static void main(String[] args) {
    int status = 0;
    try {
      new ReminderBenchmark().run();
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private void run() throws Exception {
    printMachine();
    Path data = Files.createTempDirectory("herald-reminder-bench");
    ConfigurableApplicationContext herald =
        new SpringApplicationBuilder(HeraldApplication.class)
            .run(
                "--server.port=0",
                "--herald.embedded-database.durable=true",
                "--herald.data-dir=" + data,
                "--herald.delivery.worker-enabled=false",
                "--db-scheduler.enabled=false",
                "--herald.demo.enabled=false",
                "--logging.level.root=WARN");
    try {
      JdbcClient jdbc = herald.getBean(JdbcClient.class);
      printPostgres(jdbc, data);
      load(herald, jdbc);
      DocumentReminders reminders = herald.getBean(DocumentReminders.class);
      if (Boolean.getBoolean("bench.explain")) {
        explainFirstClaim(herald, jdbc);
      }
      long t0 = System.nanoTime();
      int claimed = reminders.run();
      double seconds = (System.nanoTime() - t0) / 1e9;
      long sms =
          count(
              jdbc,
              "SELECT count(*) FROM outbound_message WHERE kind = 'reminder' AND channel = 'sms' AND status = 'queued'");
      long noCredit =
          count(
              jdbc,
              "SELECT count(*) FROM outbound_message WHERE kind = 'reminder' AND channel = 'sms' AND status = 'no_credit'");
      long emails =
          count(
              jdbc,
              "SELECT count(*) FROM outbound_message WHERE kind = 'reminder' AND channel = 'email'");
      long rows = count(jdbc, "SELECT count(*) FROM document_reminder");
      System.out.printf(
          Locale.ROOT,
          "Reminder run: %.2f s; %,d reminders claimed (%,d rows), %,d SMS queued, %,d e-mails queued,"
              + " %,d SMS without credit; %,.0f reminders/s%n",
          seconds,
          claimed,
          rows,
          sms,
          emails,
          noCredit,
          claimed / seconds);
      long again0 = System.nanoTime();
      int again = reminders.run();
      System.out.printf(
          Locale.ROOT,
          "A second run at once: %d claimed in %.2f s%n",
          again,
          (System.nanoTime() - again0) / 1e9);
    } finally {
      herald.close();
      deleteQuietly(data);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (Exception ignored) {
      // a temp folder
    }
  }

  private void load(ConfigurableApplicationContext herald, JdbcClient jdbc) {
    long t0 = System.nanoTime();
    // A zone where it is now 12:xx: inside the reminder hours (10 to 21) wherever the machine is.
    int utcHour = Instant.now().atZone(ZoneOffset.UTC).getHour();
    int offset = Math.floorMod(12 - utcHour + 12, 24) - 12;
    String zone = offset == 0 ? "Etc/GMT" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
    LocalDate today = LocalDate.now(ZoneId.of(zone));
    TestCompanies companies = herald.getBean(TestCompanies.class);
    BillingAccounts accounts = herald.getBean(BillingAccounts.class);
    Credits credits = herald.getBean(Credits.class);
    DocumentSettingsStore settings = herald.getBean(DocumentSettingsStore.class);
    List<TenantId> tenants = new ArrayList<>();
    int perCompany = invoices / companyCount;
    int overduePerCompany = overdue / companyCount;
    for (int c = 0; c < companyCount; c++) {
      TenantId tenant = companies.aDanishCompany(true, true).id();
      tenants.add(tenant);
      if (model.equals("packs")) {
        accounts.choose(tenant, "packs", "DKK");
        credits.grant(tenant, 4L * overduePerCompany, "bench-" + UUID.randomUUID(), "bench");
      }
      settings.of(tenant);
      jdbc.sql("UPDATE company SET time_zone = ? WHERE id = ?")
          .params(zone, tenant.value())
          .update();
      jdbc.sql(
              """
              INSERT INTO contact (tenant_id, id, name, language, email_enabled, sms_enabled,
                                   reminders_enabled, created_at, updated_at)
              SELECT :t, gen_random_uuid(), 'Customer ' || i,
                     (ARRAY['da', 'en', 'fr'])[1 + i % 3], true, true, true, now(), now()
              FROM generate_series(1, :n) i
              """)
          .param("t", tenant.value())
          .param("n", contactsPerCompany)
          .update();
      jdbc.sql(
              """
              INSERT INTO contact_email (tenant_id, contact_id, position, address)
              SELECT tenant_id, id, 0, 'customer-' || id || '@example.com' FROM contact WHERE tenant_id = :t
              """)
          .param("t", tenant.value())
          .update();
      jdbc.sql(
              """
              INSERT INTO contact_phone (tenant_id, contact_id, position, type, number)
              SELECT tenant_id, id, 0, 'MOBILE', '+4520' || lpad((row_number() OVER ())::text, 6, '0')
              FROM contact WHERE tenant_id = :t
              """)
          .param("t", tenant.value())
          .update();
      // Invoice i: the first O/C sent and due for their first reminder today (due 3 days ago),
      // then sent and due later, then paid.
      jdbc.sql(
              """
              WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM contact WHERE tenant_id = :t)
              INSERT INTO document (tenant_id, id, kind, number, contact_id, currency, issue_date, due_date,
                                    status, subtotal, tax_total, total, sent_at, paid_at, created_at, updated_at)
              SELECT :t, gen_random_uuid(), 'invoice', i, c.id, 'DKK',
                     CAST(:today AS date) - 20,
                     CASE WHEN i <= :overdue THEN CAST(:today AS date) - 3
                          WHEN i <= :overdue + :perCompany / 5 THEN CAST(:today AS date) + 10
                          ELSE CAST(:today AS date) - 10 END,
                     CASE WHEN i <= :overdue + :perCompany / 5 THEN 'sent' ELSE 'paid' END,
                     80000, 20000, 100000, now() - interval '20 days',
                     CASE WHEN i <= :overdue + :perCompany / 5 THEN NULL ELSE now() - interval '12 days' END,
                     now() - interval '20 days', now() - interval '20 days'
              FROM generate_series(1, :perCompany) i
              JOIN c ON c.k = i % :contacts
              """)
          .param("t", tenant.value())
          .param("today", today)
          .param("overdue", overduePerCompany)
          .param("perCompany", perCompany)
          .param("contacts", contactsPerCompany)
          .update();
      jdbc.sql(
              "INSERT INTO document_number (tenant_id, kind, last_number) VALUES (?, 'invoice', ?)")
          .params(tenant.value(), perCompany)
          .update();
    }
    jdbc.sql("VACUUM ANALYZE").update();
    jdbc.sql("CHECKPOINT").update();
    System.out.printf(
        Locale.ROOT,
        "Loaded: %,d companies (%s, time zone %s, local date %s), %,d contacts, %,d invoices"
            + " (%,d overdue for a first reminder) in %.1f s%n",
        companyCount,
        model,
        zone,
        today,
        count(jdbc, "SELECT count(*) FROM contact"),
        count(jdbc, "SELECT count(*) FROM document"),
        count(
            jdbc,
            "SELECT count(*) FROM document WHERE status = 'sent' AND due_date < CURRENT_DATE - 1"),
        (System.nanoTime() - t0) / 1e9);
  }

  /** EXPLAIN ANALYZE of the run's first claim, rolled back: where the claim's time goes. */
  private static void explainFirstClaim(ConfigurableApplicationContext herald, JdbcClient jdbc) {
    var tx =
        new org.springframework.transaction.support.TransactionTemplate(
            herald.getBean(org.springframework.transaction.PlatformTransactionManager.class));
    tx.executeWithoutResult(status -> {
      System.out.println("EXPLAIN (ANALYZE, BUFFERS) of the first claim:");
      jdbc.sql("EXPLAIN (ANALYZE, BUFFERS) " + DocumentReminders.CLAIM)
          .param("now", java.sql.Timestamp.from(Instant.now()))
          .param("afterTenant", new UUID(0, 0))
          .param("afterDocument", new UUID(0, 0))
          .param("lastHour", DocumentReminders.LAST_HOUR)
          .param("window", DocumentReminders.WINDOW)
          .query(String.class)
          .list()
          .forEach(line -> System.out.println("  " + line));
      status.setRollbackOnly();
    });
  }

  private static long count(JdbcClient jdbc, String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  private static void printPostgres(JdbcClient jdbc, Path data) {
    StringBuilder s = new StringBuilder();
    for (String name :
        List.of(
            "fsync",
            "synchronous_commit",
            "full_page_writes",
            "shared_buffers",
            "work_mem",
            "max_wal_size",
            "autovacuum")) {
      s.append(' ')
          .append(name)
          .append('=')
          .append(jdbc.sql("SHOW " + name).query(String.class).single());
    }
    System.out.printf(
        "PostgreSQL: %s;%s (durable, data in %s)%n",
        jdbc.sql("SELECT version()").query(String.class).single().split(",")[0], s, data);
  }

  private static void printMachine() {
    String cpu = "unknown CPU";
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      cpu =
          lines
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .findFirst()
              .orElse(cpu);
    } catch (Exception ignored) {
      // not Linux
    }
    System.out.printf(
        Locale.ROOT,
        "Machine: nproc %d, %s, load average %.2f; JDK %s (%s); %s UTC%n",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.runtime.version"),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }
}
