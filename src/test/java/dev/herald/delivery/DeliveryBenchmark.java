package dev.herald.delivery;

import dev.herald.HeraldApplication;
import dev.herald.delivery.internal.DispatchSql;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery benchmark (bench/delivery-benchmark.sh; a main class, not a test: surefire never
 * runs it). One run prints, on the durable embedded PostgreSQL:
 *
 * <ol>
 *   <li>{@code drain}: N SMS queued through {@link OutboundMessages#enqueue} by a Herald whose
 *       workers are off, then drained by a dispatching Herald (same JVM, same database) through the
 *       simulator; messages per second from the first submission to the last sent_at, and from the
 *       moment the dispatcher's workers start.
 *   <li>{@code latency}: one message per enqueue transaction at a steady rate (open loop);
 *       enqueue-to-submit p50, p99, max.
 *   <li>{@code fairness}: company A's bulk (committed at once, then draining), company B sends one
 *       message every 100 ms; B's queued-to-submitted p50, p99, max while A drains.
 *   <li>{@code herald-sql}: {@link DispatchSql#CLAIM} and {@link DispatchSql#MARK_SENT} in a plain
 *       loop, bound as DispatchStore binds them, same threads and batch, without Herald, gateway,
 *       rate limiter or simulator.
 *   <li>{@code minimal}: a one-table queue (id, payload, status, due): insert N, then per batch one
 *       transaction of {@code SELECT ... FOR UPDATE SKIP LOCKED LIMIT batch} and an UPDATE marking
 *       them done.
 * </ol>
 *
 * Then Herald's drain divided by each reference. Parts and sizes are system properties: {@code
 * bench.parts} (comma-separated, default all), {@code bench.messages} (100000), {@code bench.bulk}
 * (A's bulk, default bench.messages), {@code bench.bulkKind} (A's kind, default direct: the same
 * priority as B's, so fairness and not priority is measured), {@code bench.rate} (500), {@code
 * bench.latencySeconds} (10), {@code bench.bIntervalMs} (100), {@code bench.bSeconds} (10), {@code
 * bench.workers} (4), {@code bench.batch} (500).
 */
public final class DeliveryBenchmark {

  private static final List<String> PARTS =
      List.of(
          "unbilled",
          "drain",
          "enqueue",
          "latency",
          "latency-blocks",
          "fairness",
          "herald-sql",
          "minimal");
  private static final int ENQUEUE_CHUNK = 500;
  private static final UUID CURSOR_START = new UUID(0, 0);

  private final int messages =
      positive("bench.messages", Integer.getInteger("bench.messages", 100_000));
  private final int bulk = positive("bench.bulk", Integer.getInteger("bench.bulk", messages));
  private final OutboundKind bulkKind =
      OutboundKind.fromCode(System.getProperty("bench.bulkKind", "direct"));
  private final int rate = positive("bench.rate", Integer.getInteger("bench.rate", 500));
  private final int latencySeconds =
      positive("bench.latencySeconds", Integer.getInteger("bench.latencySeconds", 10));
  private final int bIntervalMs =
      positive("bench.bIntervalMs", Integer.getInteger("bench.bIntervalMs", 100));
  private final int bSeconds = positive("bench.bSeconds", Integer.getInteger("bench.bSeconds", 10));
  private final int workers = positive("bench.workers", Integer.getInteger("bench.workers", 4));
  private final int batch = positive("bench.batch", Integer.getInteger("bench.batch", 500));
  private final Set<String> parts = parts(System.getProperty("bench.parts", "all"));

  private ConfigurableApplicationContext enqueuer;
  private ConfigurableApplicationContext dispatcher;
  private volatile Instant dispatcherStarted;
  private String url;
  private JdbcClient jdbc;
  private TransactionTemplate transactions;
  private OutboundMessages outbound;
  private TestCompanies companies;

  private Double drainRate;
  private Double unbilledRate;
  private Double heraldSqlRate;
  private Double minimalRate;

  public static void main(String[] args) {
    int status = 0;
    try {
      new DeliveryBenchmark().run();
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status); // the Heralds' non-daemon threads must not keep the JVM alive
  }

  private void run() throws Exception {
    printMachine();
    Path data = Files.createTempDirectory("herald-delivery-bench");
    try {
      startEnqueuer(data);
      System.out.printf(
          Locale.ROOT,
          "Parts: %s; %,d messages (A's bulk %,d, kind %s), %d SMS workers x batch %d%n",
          String.join(",", parts),
          messages,
          bulk,
          bulkKind.code(),
          workers,
          batch);
      if (parts.contains("unbilled")) {
        unbilled();
      }
      if (parts.contains("drain")) {
        drain();
      }
      if (parts.contains("enqueue")) {
        bigEnqueue();
      }
      if (parts.contains("latency")) {
        latency();
      }
      if (parts.contains("latency-blocks")) {
        latencyBlocks();
      }
      if (parts.contains("fairness")) {
        fairness();
      }
      if (dispatcher != null) {
        dispatcher.close(); // the references run with no Herald dispatching beside them
        dispatcher = null;
      }
      if (parts.contains("herald-sql")) {
        heraldSql();
      }
      if (parts.contains("minimal")) {
        minimal();
      }
      ratios();
    } finally {
      if (dispatcher != null) {
        dispatcher.close();
      }
      if (enqueuer != null) {
        enqueuer.close();
      }
      deleteQuietly(data);
    }
  }

  // --- set-up -----------------------------------------------------------------------------------

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
      // not Linux: the name stays unknown
    }
    System.out.printf(
        Locale.ROOT,
        "Machine: nproc %d, %s, load average %.2f; JDK %s %s (%s); %s; %s UTC%n",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.vm.vendor"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
        Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /** A Herald with workers off: it starts the durable embedded PostgreSQL and enqueues. */
  private void startEnqueuer(Path data) {
    enqueuer =
        new SpringApplicationBuilder(HeraldApplication.class)
            .run(
                "--server.port=0",
                "--herald.embedded-database.durable=true",
                "--herald.data-dir=" + data,
                "--herald.delivery.worker-enabled=false",
                "--herald.demo.enabled=false",
                "--logging.level.root=WARN");
    url = enqueuer.getEnvironment().getRequiredProperty("spring.datasource.url");
    jdbc = enqueuer.getBean(JdbcClient.class);
    transactions = new TransactionTemplate(enqueuer.getBean(PlatformTransactionManager.class));
    outbound = enqueuer.getBean(OutboundMessages.class);
    companies = enqueuer.getBean(TestCompanies.class);
    StringBuilder settings = new StringBuilder();
    for (String name :
        List.of(
            "fsync",
            "synchronous_commit",
            "full_page_writes",
            "wal_level",
            "shared_buffers",
            "max_wal_size",
            "checkpoint_timeout",
            "autovacuum")) {
      settings.append(' ').append(name).append('=').append(show(name));
    }
    System.out.printf(
        "PostgreSQL: %s;%s (durable, data in %s)%n",
        jdbc.sql("SELECT version()").query(String.class).single().split(",")[0], settings, data);
  }

  /** The dispatching Herald, started once: same database, workers on, simulator gateway. */
  private void startDispatcher() {
    if (dispatcher != null) {
      return;
    }
    dispatcher =
        new SpringApplicationBuilder(HeraldApplication.class)
            .listeners(new ReadyClock())
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
  }

  /**
   * Notes when the dispatcher's workers start (they start on ApplicationReadyEvent, after this).
   */
  private final class ReadyClock implements ApplicationListener<ApplicationReadyEvent>, Ordered {
    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
      dispatcherStarted = Instant.now();
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  // --- 1. drain ---------------------------------------------------------------------------------

  /**
   * The same drain without billing: rows written by the enqueue's own INSERT shape but with no
   * credit reserved, so the record step's capture finds nothing to settle. The reference for the
   * cost of billing (issue 9: the drain with packs within 15% of it).
   */
  private void unbilled() {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    long t0 = System.nanoTime();
    for (int done = 0; done < messages; done += ENQUEUE_CHUNK) {
      int from = done;
      UUID[] ids = new UUID[Math.min(messages, done + ENQUEUE_CHUNK) - done];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = dev.herald.shared.Ids.next();
      }
      jdbc.sql(
              """
              INSERT INTO outbound_message (tenant_id, id, channel, recipient, body, encoding, segments,
                                            status, next_attempt_at, created_at, updated_at, kind,
                                            priority, valid_until)
              SELECT :tenant, t.id, 'sms', '+45' || (20000000 + ((:from + t.i) % 9000000)),
                     'Hi, your appointment with Green Gardens is tomorrow at 09:30. Reply Y to confirm. #'
                         || (:from + t.i),
                     'GSM_7', 1, 'queued', now(), now(), now(), 'direct', 2, now() + interval '1 day'
              FROM unnest(:ids::uuid[]) WITH ORDINALITY AS t(id, i)
              ORDER BY t.i
              """)
          .param("tenant", tenant.value())
          .param("from", from)
          .param("ids", ids)
          .update();
    }
    System.out.printf(
        Locale.ROOT,
        "0. Unbilled drain: %,d inserted without reservations in %.1f s%n",
        messages,
        seconds(t0));
    checkpoint();
    startDispatcher();
    awaitDrained(tenant, Duration.ofMinutes(15), "unbilled");
    long sent = expectAllSent(tenant, messages, "unbilled");
    double fromFirst = between(firstSubmission(tenant), lastSent(tenant));
    unbilledRate = sent / fromFirst;
    System.out.printf(
        Locale.ROOT,
        "0. Unbilled drain: %,d sent: %,.0f msg/s from the first submission to the last sent_at"
            + " (%.2f s)%n",
        sent,
        unbilledRate,
        fromFirst);
  }

  /** A company on prepaid packs with this much credit (what a paying company looks like). */
  private TenantId aCompanyOnPacks(long credit) {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    enqueuer.getBean(dev.herald.billing.BillingAccounts.class).choose(tenant, "packs", "DKK");
    enqueuer
        .getBean(dev.herald.billing.Credits.class)
        .grant(tenant, credit, "bench-" + UUID.randomUUID(), "benchmark credit");
    return tenant;
  }

  /** One enqueue call of 10,000 SMS with its one reservation, on packs. */
  private void bigEnqueue() {
    TenantId tenant = aCompanyOnPacks(40_000);
    List<OutboundDraft> drafts = new ArrayList<>(10_000);
    for (int i = 0; i < 10_000; i++) {
      drafts.add(sms(i).withKind(OutboundKind.BULK));
    }
    List<Double> times = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      long t0 = System.nanoTime();
      List<QueuedMessage> queued = outbound.enqueue(tenant, drafts);
      times.add(seconds(t0) * 1000);
      if (queued.stream().anyMatch(q -> q.status() != MessageStatus.QUEUED)) {
        throw new IllegalStateException("enqueue: not all 10,000 reserved");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "1b. Enqueue: 10,000 SMS in one call, one reservation (packs): %.0f ms, then %.0f ms;"
            + " ledger rows for them: %d%n",
        times.get(0),
        times.get(1),
        jdbc.sql("SELECT count(*) FROM credit_ledger WHERE tenant_id = :t AND kind = 'reserve'")
            .param("t", tenant.value())
            .query(Long.class)
            .single());
    if (dispatcher != null) {
      awaitDrained(tenant, Duration.ofMinutes(5), "enqueue");
    }
  }

  private void drain() {
    // Twice the credit needed: no low-credit or used-up alert e-mail in the middle of the drain.
    TenantId tenant = aCompanyOnPacks(2L * messages);
    long t0 = System.nanoTime();
    enqueueInChunks(tenant, messages, OutboundKind.DIRECT, "drain");
    double enqueueSeconds = seconds(t0);
    System.out.printf(
        Locale.ROOT,
        "1. Drain (prepaid packs, credit reserved at enqueue, captured per batch): enqueued %,d in"
            + " %.1f s (%,.0f msg/s, %d per enqueue call and transaction)%n",
        messages,
        enqueueSeconds,
        messages / enqueueSeconds,
        ENQUEUE_CHUNK);
    checkpoint();
    startDispatcher();
    Instant started = dispatcherStarted;
    awaitDrained(tenant, Duration.ofMinutes(15), "drain");
    Instant firstSubmit = firstSubmission(tenant);
    Instant lastSent = lastSent(tenant);
    long sent = expectAllSent(tenant, messages, "drain");
    double fromFirst = between(firstSubmit, lastSent);
    double fromStart = between(started, lastSent);
    drainRate = sent / fromFirst;
    System.out.printf(
        Locale.ROOT,
        "1. Drain: %,d sent through Herald and the simulator: %,.0f msg/s from the first submission"
            + " to the last sent_at (%.2f s); %,.0f msg/s from the dispatcher's start (%.2f s);"
            + " simulator records %,d%n",
        sent,
        drainRate,
        fromFirst,
        sent / fromStart,
        fromStart,
        submissions(tenant));
  }

  // --- 2. latency -------------------------------------------------------------------------------

  private void latency() throws Exception {
    latency(aCompanyOnPacks(1_000_000), "prepaid packs");
  }

  /** The same on monthly blocks (postpaid: reservations share the wallet's lock). */
  private void latencyBlocks() throws Exception {
    latency(companies.aDanishCompany(true, true).id(), "monthly blocks");
  }

  private void latency(TenantId tenant, String model) throws Exception {
    startDispatcher();
    int total = rate * latencySeconds;
    Sends sends = steadySends(tenant, total, 1_000_000_000L / rate);
    awaitDrained(tenant, Duration.ofMinutes(5), "latency");
    expectAllSent(tenant, total - sends.failed(), "latency");
    Latency l = latencyOf(tenant, null);
    System.out.printf(
        Locale.ROOT,
        "2. Latency (%s) at %d/s for %d s, one message per enqueue transaction (%s):"
            + " enqueue-to-submit of %,d messages: %s%n",
        model,
        rate,
        latencySeconds,
        sends,
        l.count(),
        l);
  }

  // --- 3. fairness ------------------------------------------------------------------------------

  private void fairness() throws Exception {
    startDispatcher();
    TenantId a = companies.aDanishCompany(true, true).id();
    TenantId b = companies.aDanishCompany(true, true).id();
    // A's bulk becomes visible at once (one transaction), so A has all of it queued when B starts.
    long t0 = System.nanoTime();
    transactions.executeWithoutResult(tx -> enqueueInChunks(a, bulk, bulkKind, "bulk"));
    Instant aCommitted = Instant.now();
    System.out.printf(
        Locale.ROOT,
        "3. Fairness: A's %,d (%s) committed in one transaction in %.1f s; B sends one (direct)"
            + " every %d ms for %d s%n",
        bulk,
        bulkKind.code(),
        seconds(t0),
        bIntervalMs,
        bSeconds);
    int bTotal = Math.max(1, bSeconds * 1000 / bIntervalMs);
    Sends sends = steadySends(b, bTotal, TimeUnit.MILLISECONDS.toNanos(bIntervalMs));
    awaitDrained(b, Duration.ofMinutes(5), "B");
    awaitDrained(a, Duration.ofMinutes(15), "A's bulk");
    expectAllSent(a, bulk, "A's bulk");
    expectAllSent(b, bTotal - sends.failed(), "B");
    Instant aLastSent = lastSent(a);
    if (sends.failed() == bTotal) {
      System.out.printf("3. Fairness: none of B's sends was queued (%s)%n", sends);
      return;
    }
    Instant bFirstQueued =
        jdbc.sql("SELECT min(created_at) FROM outbound_message WHERE tenant_id = :t")
            .param("t", b.value())
            .query(Timestamp.class)
            .single()
            .toInstant();
    long aLeftAtB =
        jdbc.sql(
                """
                SELECT count(*) FROM outbound_message
                WHERE tenant_id = :t AND (sent_at IS NULL OR sent_at > :at)
                """)
            .param("t", a.value())
            .param("at", Timestamp.from(bFirstQueued))
            .query(Long.class)
            .single();
    double aSeconds = between(aCommitted, aLastSent);
    System.out.printf(
        Locale.ROOT,
        "3. Fairness: A had %,d of %,d still to send when B's first was queued; A drained in %.2f s"
            + " from its commit (%,.0f msg/s)%n",
        aLeftAtB,
        bulk,
        aSeconds,
        bulk / aSeconds);
    Latency during = latencyOf(b, aLastSent);
    Latency all = latencyOf(b, null);
    System.out.printf(
        Locale.ROOT,
        "3. Fairness: B queued-to-submitted while A drained (%d of B's %d queued before A's last"
            + " sent_at; %s): %s; all of B's: %s%n",
        during.count(),
        bTotal,
        sends,
        during,
        all);
  }

  // --- 4. Herald's SQL --------------------------------------------------------------------------

  private void heraldSql() throws Exception {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    enqueueInChunks(tenant, messages, OutboundKind.DIRECT, "reference");
    checkpoint();
    AtomicReference<UUID> cursor = new AtomicReference<>(CURSOR_START); // one lane's cursor
    AtomicInteger marked = new AtomicInteger();
    long t0 = System.nanoTime();
    inThreads(() -> heraldSqlLoop(cursor, marked));
    double elapsed = seconds(t0);
    long sent = expectAllSent(tenant, messages, "Herald's SQL reference");
    heraldSqlRate = sent / elapsed;
    System.out.printf(
        Locale.ROOT,
        "4. Herald's SQL: DispatchSql.CLAIM + MARK_SENT, plain loop, %d threads x batch %d, one"
            + " transaction each: %,d sent (%,d marked) in %.2f s: %,.0f msg/s%n",
        workers,
        batch,
        sent,
        marked.get(),
        elapsed,
        heraldSqlRate);
  }

  /**
   * Claims and marks sent until nothing is due, binding the statements as DispatchStore does (claim
   * and record, each its own transaction on the pool) with Herald's defaults: 30 s lease, 3 lease
   * lapses, the simulator's 30 s unknown-outcome window and its resubmit policy, a budget of one
   * batch (the rate limit out of the way), one gateway id per message.
   */
  private Void heraldSqlLoop(AtomicReference<UUID> cursor, AtomicInteger marked) {
    Duration lease = Duration.ofSeconds(30);
    while (true) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      Instant leaseUntil = now.plus(lease);
      UUID from = cursor.get();
      List<Object[]> claimed = new ArrayList<>();
      AtomicInteger decisions = new AtomicInteger();
      transactions.executeWithoutResult(tx ->
          jdbc.sql(DispatchSql.CLAIM)
              .param("channel", Channel.SMS.code())
              .param("now", Timestamp.from(now))
              .param("cursor", from)
              .param("maxTenants", batch)
              .param("batch", batch)
              .param("budget", batch)
              .param("maxLapses", 3)
              .param("unknownPolicy", "resubmit")
              .param("leaseUntil", Timestamp.from(leaseUntil))
              .param("leaseSeconds", lease.toMillis() / 1000.0)
              .param("unknownUntil", Timestamp.from(now.plus(Duration.ofSeconds(30))))
              .param("node", "reference")
              .param("gateway", "simulator")
              .param("defaultSender", "Herald")
              .query(rs -> {
                UUID next = rs.getObject("next_cursor", UUID.class);
                if (next != null) {
                  cursor.compareAndSet(from, next);
                }
                if (rs.getString("decision").equals("submit")) {
                  claimed.add(
                      new Object[] {
                        rs.getObject("tenant_id", UUID.class),
                        rs.getObject("id", UUID.class),
                        rs.getInt("attempts")
                      });
                } else {
                  decisions.incrementAndGet();
                }
              }));
      if (decisions.get() > 0) {
        throw new IllegalStateException(
            decisions.get() + " row(s) of the reference were not claimed to submit");
      }
      if (claimed.isEmpty()) {
        return null;
      }
      int n = claimed.size();
      UUID[] tenants = new UUID[n];
      UUID[] ids = new UUID[n];
      Integer[] attempts = new Integer[n];
      String[] gatewayIds = new String[n];
      for (int i = 0; i < n; i++) {
        tenants[i] = (UUID) claimed.get(i)[0];
        ids[i] = (UUID) claimed.get(i)[1];
        attempts[i] = (Integer) claimed.get(i)[2];
        gatewayIds[i] = "ref-" + ids[i];
      }
      Instant done = Instant.now().truncatedTo(ChronoUnit.MICROS);
      int rows =
          transactions.execute(tx ->
              jdbc.sql(DispatchSql.MARK_SENT)
                  .param("tenants", tenants)
                  .param("ids", ids)
                  .param("attempts", attempts)
                  .param("gatewayIds", gatewayIds)
                  .param("now", Timestamp.from(done))
                  .param("node", "reference")
                  .param("leaseUntil", Timestamp.from(leaseUntil))
                  .query()
                  .listOfRows()
                  .size());
      marked.addAndGet(rows);
    }
  }

  // --- 5. minimal queue -------------------------------------------------------------------------

  private void minimal() throws Exception {
    jdbc.sql("DROP TABLE IF EXISTS bench_minimal_queue").update();
    jdbc.sql(
            """
            CREATE TABLE bench_minimal_queue (
                id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                payload text        NOT NULL,
                status  text        NOT NULL,
                due     timestamptz NOT NULL
            )
            """)
        .update();
    jdbc.sql(
            "CREATE INDEX bench_minimal_queue_due_ix ON bench_minimal_queue (due)"
                + " WHERE status = 'queued'")
        .update();
    jdbc.sql(
            """
            INSERT INTO bench_minimal_queue (payload, status, due)
            SELECT :body || g, 'queued', now() FROM generate_series(1, :n) g
            """)
        .param("body", sms(0).body())
        .param("n", messages)
        .update();
    checkpoint();
    AtomicInteger done = new AtomicInteger();
    long t0 = System.nanoTime();
    inThreads(() -> minimalLoop(done));
    double elapsed = seconds(t0);
    long marked =
        jdbc.sql("SELECT count(*) FROM bench_minimal_queue WHERE status = 'done'")
            .query(Long.class)
            .single();
    if (marked != messages || done.get() != messages) {
      throw new IllegalStateException(
          "minimal queue: " + marked + " done in the table, " + done + " by the loops");
    }
    minimalRate = marked / elapsed;
    System.out.printf(
        Locale.ROOT,
        "5. Minimal queue: one table (id, payload, status, due), SKIP LOCKED claim + UPDATE done,"
            + " %d threads x batch %d, one transaction per batch: %,d in %.2f s: %,.0f msg/s%n",
        workers,
        batch,
        marked,
        elapsed,
        minimalRate);
    jdbc.sql("DROP TABLE bench_minimal_queue").update();
  }

  private Void minimalLoop(AtomicInteger done) {
    while (true) {
      int n =
          transactions.execute(tx -> {
            List<Long> ids =
                jdbc.sql(
                        """
                        SELECT id FROM bench_minimal_queue
                        WHERE status = 'queued' AND due <= now()
                        ORDER BY due LIMIT :batch
                        FOR UPDATE SKIP LOCKED
                        """)
                    .param("batch", batch)
                    .query(Long.class)
                    .list();
            if (!ids.isEmpty()) {
              jdbc.sql("UPDATE bench_minimal_queue SET status = 'done' WHERE id = ANY(:ids)")
                  .param("ids", ids.toArray(Long[]::new))
                  .update();
            }
            return ids.size();
          });
      if (n == 0) {
        return null;
      }
      done.addAndGet(n);
    }
  }

  // --- 6. ratios --------------------------------------------------------------------------------

  private void ratios() {
    if (drainRate != null && unbilledRate != null) {
      System.out.printf(
          Locale.ROOT,
          "6. Billing: drain with packs %,.0f msg/s against %,.0f msg/s unbilled: ratio %.2f"
              + " (issue 9's target: within 15%%, at least 0.85; in one run the second drain works"
              + " on a table that holds the first's rows: compare runs of one part each,"
              + " bench.parts=unbilled and bench.parts=drain)%n",
          drainRate,
          unbilledRate,
          drainRate / unbilledRate);
    }
    if (drainRate == null || (heraldSqlRate == null && minimalRate == null)) {
      System.out.println("6. Ratios: need the drain and at least one reference in the same run");
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "6. Herald's drain %,.0f msg/s: ratio to Herald's SQL: %s; ratio to minimal queue: %s"
            + " (issue 8's target: at least 0.15 of the minimal queue)%n",
        drainRate,
        heraldSqlRate == null
            ? "not run"
            : String.format(Locale.ROOT, "%.2f", drainRate / heraldSqlRate),
        minimalRate == null
            ? "not run"
            : String.format(Locale.ROOT, "%.2f", drainRate / minimalRate));
  }

  // --- helpers ----------------------------------------------------------------------------------

  private void enqueueInChunks(TenantId tenant, int n, OutboundKind kind, String tag) {
    for (int done = 0; done < n; done += ENQUEUE_CHUNK) {
      List<OutboundDraft> drafts = new ArrayList<>(ENQUEUE_CHUNK);
      for (int i = done; i < Math.min(n, done + ENQUEUE_CHUNK); i++) {
        drafts.add(sms(i).withKind(kind));
      }
      List<QueuedMessage> queued = outbound.enqueue(tenant, drafts);
      if (queued.size() != drafts.size()) {
        throw new IllegalStateException(tag + ": enqueue returned " + queued.size());
      }
    }
  }

  /** What an open loop of sends did: how many started late, failed (and why, the first). */
  private record Sends(int total, int late, int failed, String firstFailure) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%,d sends, %d started over 10 intervals late, %d failed%s",
          total,
          late,
          failed,
          failed == 0 ? "" : " (first: " + firstFailure + ")");
    }
  }

  /**
   * Open loop: the i-th single-message enqueue starts at start + i x interval whatever the others
   * do, each on its own virtual thread. A send that fails (on an overloaded machine: no pooled
   * connection within Hikari's timeout) is counted and named, not retried.
   */
  private Sends steadySends(TenantId tenant, int total, long intervalNanos) throws Exception {
    int late = 0;
    List<Future<List<QueuedMessage>>> sends = new ArrayList<>(total);
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long wait = start + i * intervalNanos - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else if (wait < -intervalNanos * 10) {
          late++;
        }
        OutboundDraft draft = sms(i);
        sends.add(senders.submit(() -> outbound.enqueue(tenant, List.of(draft))));
      }
    }
    int failed = 0;
    String first = null;
    for (Future<List<QueuedMessage>> send : sends) {
      try {
        if (send.get().size() != 1) {
          throw new IllegalStateException("a single enqueue did not queue one message");
        }
      } catch (ExecutionException e) {
        failed++;
        if (first == null) {
          first = rootMessage(e);
        }
      }
    }
    return new Sends(total, late, failed, first);
  }

  /** Runs the loop on `workers` virtual threads and waits for all; a loop's failure is thrown. */
  private void inThreads(Supplier<Void> loop) throws Exception {
    List<Future<Void>> loops = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < workers; w++) {
        loops.add(threads.submit(loop::get));
      }
    }
    for (Future<Void> f : loops) {
      f.get();
    }
  }

  /**
   * Waits until the company has nothing waiting or claimed (a cheap look through the claim index,
   * every 200 ms, so the wait itself costs the database little).
   */
  private void awaitDrained(TenantId tenant, Duration limit, String tag) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (Boolean.TRUE.equals(
        jdbc.sql(
                """
                SELECT EXISTS (SELECT 1 FROM outbound_message
                               WHERE channel = 'sms' AND tenant_id = :t AND status IN ('queued', 'sending'))
                """)
            .param("t", tenant.value())
            .query(Boolean.class)
            .single())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(tag + ": not drained within " + limit);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  /** The company's sent count; throws, naming each status, unless all `expected` were sent. */
  private long expectAllSent(TenantId tenant, int expected, String tag) {
    List<Map<String, Object>> statuses =
        jdbc.sql(
                """
                SELECT status, coalesce(status_reason, '') AS reason, count(*) AS n
                FROM outbound_message WHERE tenant_id = :t AND channel = 'sms' GROUP BY 1, 2 ORDER BY 1, 2
                """)
            .param("t", tenant.value())
            .query()
            .listOfRows();
    long sent =
        statuses.stream()
            .filter(r -> r.get("status").equals("sent"))
            .mapToLong(r -> ((Number) r.get("n")).longValue())
            .sum();
    if (sent != expected) {
      throw new IllegalStateException(
          tag + ": " + sent + " of " + expected + " sent; by status: " + statuses);
    }
    return sent;
  }

  private Instant firstSubmission(TenantId tenant) {
    return jdbc.sql("SELECT min(submitted_at) FROM simulator_sms WHERE tenant_id = :t")
        .param("t", tenant.value())
        .query(Timestamp.class)
        .single()
        .toInstant();
  }

  private Instant lastSent(TenantId tenant) {
    return jdbc.sql("SELECT max(sent_at) FROM outbound_message WHERE tenant_id = :t")
        .param("t", tenant.value())
        .query(Timestamp.class)
        .single()
        .toInstant();
  }

  private long submissions(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM simulator_sms WHERE tenant_id = :t")
        .param("t", tenant.value())
        .query(Long.class)
        .single();
  }

  private record Latency(long count, double p50, double p99, double max) {
    @Override
    public String toString() {
      return count == 0
          ? "no messages"
          : String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p99, max);
    }
  }

  /**
   * Queued (created_at) to the simulator's first submission, per message of the company; only those
   * queued before `queuedBefore` when it is given.
   */
  private Latency latencyOf(TenantId tenant, Instant queuedBefore) {
    Map<String, Object> row =
        jdbc.sql(
                """
                SELECT count(*) AS n,
                       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), 0) AS p50,
                       coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), 0) AS p99,
                       coalesce(max(ms), 0) AS max
                FROM (SELECT extract(epoch FROM min(s.submitted_at) - m.created_at) * 1000 AS ms
                      FROM outbound_message m
                      JOIN simulator_sms s ON s.tenant_id = m.tenant_id AND s.message_id = m.id
                      WHERE m.tenant_id = :t
                        AND (CAST(:before AS timestamptz) IS NULL OR m.created_at < :before)
                      GROUP BY m.id, m.created_at) l
                """)
            .param("t", tenant.value())
            .param("before", queuedBefore == null ? null : Timestamp.from(queuedBefore))
            .query()
            .singleRow();
    return new Latency(
        ((Number) row.get("n")).longValue(),
        ((Number) row.get("p50")).doubleValue(),
        ((Number) row.get("p99")).doubleValue(),
        ((Number) row.get("max")).doubleValue());
  }

  /** Starts each measured part without a checkpoint's writes owed from the set-up before it. */
  private void checkpoint() {
    jdbc.sql("CHECKPOINT").update();
  }

  private String show(String setting) {
    return jdbc.sql("SHOW " + setting).query(String.class).single();
  }

  private static OutboundDraft sms(int i) {
    return new OutboundDraft(
        Channel.SMS,
        null,
        String.format(Locale.ROOT, "+45%08d", 20_000_000 + (i % 9_000_000)),
        null,
        "Hi, your appointment with Green Gardens is tomorrow at 09:30. Reply Y to confirm. #" + i,
        true);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double between(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value);
    }
    return value;
  }

  private static Set<String> parts(String list) {
    if (list.isBlank() || list.strip().equals("all")) {
      return new LinkedHashSet<>(PARTS);
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      String p = part.strip();
      if (!PARTS.contains(p)) {
        throw new IllegalArgumentException(
            "bench.parts: unknown part '" + p + "'; parts are " + String.join(",", PARTS));
      }
      chosen.add(p);
    }
    Set<String> ordered = new LinkedHashSet<>(PARTS);
    ordered.retainAll(chosen);
    return ordered;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // a temp folder
    }
  }
}
