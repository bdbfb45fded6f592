package dev.herald.delivery;

import dev.herald.HeraldApplication;
import dev.herald.delivery.internal.DispatchSql;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The delivery benchmark (bench/delivery-benchmark.sh; not a test, surefire never runs it).
 *
 * <ol>
 *   <li>An enqueuing Herald (workers off) starts the durable embedded PostgreSQL (fsync and
 *       synchronous_commit on, printed with SHOW) in a fresh folder.
 *   <li>Drain: 100,000 SMS are queued through OutboundMessages.enqueue; then a dispatching Herald
 *       (same JVM, same database, workers on, simulator gateway) drains them. Messages per second =
 *       100,000 / (last sent_at - first attempt's started_at).
 *   <li>Latency: single-message enqueue transactions at a steady rate (default 500/s) for a while;
 *       enqueue-to-submit latency = simulator submitted_at - created_at, p50/p99.
 *   <li>Reference: the same claim and mark-sent statements (DispatchSql) in a plain JDBC loop with
 *       the same number of threads and batch size, without Herald, gateway, rate limiter or
 *       simulator around them.
 * </ol>
 */
public final class DeliveryBenchmark {

  public static void main(String[] args) throws Exception {
    int messages = Integer.getInteger("bench.messages", 100_000);
    int rate = Integer.getInteger("bench.rate", 500);
    int latencySeconds = Integer.getInteger("bench.latencySeconds", 20);
    int workers = Integer.getInteger("bench.workers", 4);
    int batch = Integer.getInteger("bench.batch", 500);
    Path data = Files.createTempDirectory("herald-delivery-bench");

    System.out.printf(
        "Delivery benchmark: %,d messages, %d workers x batch %d, latency at %d/s for %d s%n",
        messages, workers, batch, rate, latencySeconds);
    ConfigurableApplicationContext enqueuer =
        new SpringApplicationBuilder(HeraldApplication.class)
            .run(
                "--server.port=0",
                "--herald.embedded-database.durable=true",
                "--herald.data-dir=" + data,
                "--herald.delivery.worker-enabled=false",
                "--herald.demo.enabled=false",
                "--logging.level.root=WARN");
    String url = enqueuer.getEnvironment().getRequiredProperty("spring.datasource.url");
    JdbcClient jdbc = enqueuer.getBean(JdbcClient.class);
    System.out.printf(
        "PostgreSQL: fsync=%s synchronous_commit=%s full_page_writes=%s (%s)%n",
        show(jdbc, "fsync"),
        show(jdbc, "synchronous_commit"),
        show(jdbc, "full_page_writes"),
        jdbc.sql("SELECT version()").query(String.class).single().split(",")[0]);
    OutboundMessages outbound = enqueuer.getBean(OutboundMessages.class);
    TestCompanies companies = enqueuer.getBean(TestCompanies.class);
    TenantId tenant = companies.aDanishCompany(true, true).id();

    // 1. Enqueue 100,000 (500 per enqueue call and transaction).
    long t0 = System.nanoTime();
    for (int done = 0; done < messages; done += 500) {
      List<OutboundDraft> drafts = new ArrayList<>(500);
      for (int i = done; i < Math.min(messages, done + 500); i++) {
        drafts.add(sms(i));
      }
      outbound.enqueue(tenant, drafts);
    }
    double enqueueSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "Enqueued %,d in %.1f s (%,.0f msg/s, 500 per transaction)%n",
        messages, enqueueSeconds, messages / enqueueSeconds);

    // 2. Drain with a dispatching Herald on the same database.
    ConfigurableApplicationContext dispatcher =
        new SpringApplicationBuilder(HeraldApplication.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--herald.demo.enabled=false",
                "--herald.delivery.node-id=bench",
                "--herald.delivery.workers=" + workers,
                "--herald.delivery.batch-size=" + batch,
                "--herald.delivery.gateways.simulator.max-per-second=1000000",
                "--herald.delivery.gateways.simulator.burst=" + (workers * batch),
                "--logging.level.root=WARN");
    long drainStart = System.nanoTime();
    while (count(jdbc, "SELECT count(*) FROM outbound_message WHERE status = 'sent'") < messages) {
      if (System.nanoTime() - drainStart > TimeUnit.MINUTES.toNanos(10)) {
        throw new IllegalStateException("not drained within 10 minutes");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    double drainSeconds =
        jdbc.sql(
                """
                SELECT extract(epoch FROM (SELECT max(sent_at) FROM outbound_message)
                                        - (SELECT min(submitted_at) FROM simulator_sms))
                """)
            .query(Double.class)
            .single();
    long submissions = count(jdbc, "SELECT count(*) FROM simulator_sms");
    System.out.printf(
        "Drained %,d in %.2f s: %,.0f msg/s (simulator records: %,d)%n",
        messages, drainSeconds, messages / drainSeconds, submissions);

    // 3. Latency at a steady rate, one message per enqueue transaction, as the API sends them.
    TenantId latencyTenant = companies.aDanishCompany(true, true).id();
    int total = rate * latencySeconds;
    long interval = 1_000_000_000L / rate;
    AtomicInteger late = new AtomicInteger();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else if (wait < -interval * 10) {
          late.incrementAndGet();
        }
        int n = i;
        senders.submit(() -> outbound.enqueue(latencyTenant, List.of(sms(n))));
      }
    }
    long latencyStart = System.nanoTime();
    while (count(
            jdbc,
            "SELECT count(*) FROM outbound_message WHERE tenant_id = '"
                + latencyTenant
                + "' AND status = 'sent'")
        < total) {
      if (System.nanoTime() - latencyStart > TimeUnit.MINUTES.toNanos(2)) {
        throw new IllegalStateException("latency phase not drained within 2 minutes");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    Map<String, Object> latency =
        jdbc.sql(
                """
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
                       max(ms) AS max, count(*) AS n
                FROM (SELECT extract(epoch FROM s.submitted_at - m.created_at) * 1000 AS ms
                      FROM outbound_message m
                      JOIN simulator_sms s ON s.tenant_id = m.tenant_id AND s.message_id = m.id
                      WHERE m.tenant_id = :tenant) l
                """)
            .param("tenant", latencyTenant.value())
            .query()
            .singleRow();
    System.out.printf(
        "Latency at %d/s for %d s (%,d messages, %d enqueues started late): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        rate,
        latencySeconds,
        ((Number) latency.get("n")).longValue(),
        late.get(),
        ((Number) latency.get("p50")).doubleValue(),
        ((Number) latency.get("p99")).doubleValue(),
        ((Number) latency.get("max")).doubleValue());
    dispatcher.close();

    // 4. Reference: the same claim and mark-sent SQL, plain JDBC, same threads and batch size.
    TenantId referenceTenant = companies.aDanishCompany(true, true).id();
    jdbc.sql(
            """
            INSERT INTO outbound_message (tenant_id, id, channel, recipient, body, encoding, segments, status,
                                          next_attempt_at, created_at, updated_at)
            SELECT :tenant, gen_random_uuid(), 'sms', '+4520' || lpad(g::text, 6, '0'),
                   'Reference message ' || g, 'GSM_7', 1, 'queued', now(), now(), now()
            FROM generate_series(1, :n) g
            """)
        .param("tenant", referenceTenant.value())
        .param("n", messages)
        .update();
    DataSource pool = enqueuer.getBean(DataSource.class);
    long referenceStart = System.nanoTime();
    try (ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < workers; w++) {
        loops.submit(() -> {
          referenceLoop(pool, batch);
          return null;
        });
      }
    }
    double referenceSeconds = (System.nanoTime() - referenceStart) / 1e9;
    long referenceSent =
        count(
            jdbc,
            "SELECT count(*) FROM outbound_message WHERE tenant_id = '"
                + referenceTenant
                + "' AND status = 'sent'");
    System.out.printf(
        "Reference (claim + mark-sent SQL, plain JDBC, %d threads): %,d in %.2f s: %,.0f msg/s%n",
        workers, referenceSent, referenceSeconds, referenceSent / referenceSeconds);
    enqueuer.close();
    deleteQuietly(data);
  }

  /** Claim, then mark sent with one fake gateway id per message, until nothing is due. */
  private static void referenceLoop(DataSource pool, int batch) throws Exception {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(c, true));
      while (true) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Instant leaseUntil = now.plus(Duration.ofSeconds(30));
        List<Object[]> claimed =
            jdbc.sql(DispatchSql.CLAIM)
                .param("channel", "sms")
                .param("now", Timestamp.from(now))
                .param("cursor", new UUID(0, 0))
                .param("maxTenants", batch)
                .param("batch", batch)
                .param("budget", batch)
                .param("maxLapses", 3)
                .param("unknownPolicy", "resubmit")
                .param("leaseUntil", Timestamp.from(leaseUntil))
                .param("leaseSeconds", 30.0)
                .param("unknownUntil", Timestamp.from(now.plus(Duration.ofMinutes(5))))
                .param("node", "reference")
                .param("gateway", "reference")
                .query((rs, row) ->
                    new Object[] {
                      rs.getObject("tenant_id"), rs.getObject("id"), rs.getInt("attempts")
                    })
                .list();
        c.commit();
        if (claimed.isEmpty()) {
          return;
        }
        int n = claimed.size();
        UUID[] tenants = new UUID[n];
        UUID[] ids = new UUID[n];
        Integer[] attempts = new Integer[n];
        Integer[] parts = new Integer[n];
        String[] gatewayIds = new String[n];
        for (int i = 0; i < n; i++) {
          tenants[i] = (UUID) claimed.get(i)[0];
          ids[i] = (UUID) claimed.get(i)[1];
          attempts[i] = (Integer) claimed.get(i)[2];
          parts[i] = 1;
          gatewayIds[i] = ids[i].toString().replace("-", "");
        }
        Timestamp done = Timestamp.from(Instant.now());
        jdbc.sql(DispatchSql.MARK_SENT)
            .param("tenants", tenants)
            .param("ids", ids)
            .param("attempts", attempts)
            .param("gatewayIds", gatewayIds)
            .param("now", done)
            .param("node", "reference")
            .param("leaseUntil", Timestamp.from(leaseUntil))
            .query()
            .listOfRows();
        c.commit();
      }
    }
  }

  private static OutboundDraft sms(int i) {
    return new OutboundDraft(
        Channel.SMS,
        null,
        String.format("+45%08d", 20_000_000 + (i % 9_000_000)),
        null,
        "Hi, your appointment with Green Gardens is tomorrow at 09:30. Reply Y to confirm. #" + i,
        true);
  }

  private static String show(JdbcClient jdbc, String setting) {
    return jdbc.sql("SHOW " + setting).query(String.class).single();
  }

  private static long count(JdbcClient jdbc, String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temp folder
    }
  }
}
