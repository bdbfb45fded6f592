package dev.herald.delivery.smpp;

import dev.herald.HeraldApplication;
import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 12's benchmark (bench/smpp-benchmark.sh; a main class, not a test). A jSMPP SMSC on
 * loopback (the tests' {@link TestSmsc}) that answers every submit_sm at once and sends a delivery
 * receipt for it (receipted_message_id and message_state TLVs, the classic text) from a pool of
 * senders. Against it, in one run and on the durable embedded PostgreSQL:
 *
 * <ol>
 *   <li>the reference: a plain jSMPP client, transceiver binds with a window of W (W threads
 *       submitting on each bind, jSMPP's submit being synchronous), N submit_sm with
 *       registered_delivery 1; submits per second from the first submit to the last answer, and to
 *       the last receipt received;
 *   <li>Herald: N SMS queued through {@link OutboundMessages#enqueue} by a Herald whose workers are
 *       off, then drained by a dispatching Herald (same JVM and database) through its SMPP gateway,
 *       receipts on; SMS per second from the SMSC's first submit to its N-th, and to the last
 *       message marked delivered by its receipt.
 * </ol>
 *
 * Each for one bind and for B binds (default 4), window W (default 50). Sizes: {@code
 * bench.messages} (20000), {@code bench.window} (50), {@code bench.binds} (4), {@code
 * bench.workers} (Herald's SMS workers, 4), {@code bench.batch} (500), {@code bench.receipts}
 * (true; false for a run without receipts, to see what they cost), {@code bench.statements} (false;
 * true prints the database's statements of each Herald part, from pg_stat_statements), {@code
 * bench.warmups} (2: rounds of each part before its measured ones), {@code bench.rounds} (3:
 * measured rounds of each part), {@code bench.interleave} (true: each round is a pair, the plain
 * client then Herald with the same binds, and the ratio is the median of the pairs' ratios; false:
 * each part's rounds together, the ratio of the medians), {@code bench.threads} (false; true prints
 * the CPU of each thread group in the submit window), {@code bench.pause} (seconds to wait with a
 * Herald part's rounds queued, to look at them from psql).
 */
public final class SmppBenchmark {

  private final int messages = Integer.getInteger("bench.messages", 20_000);

  /**
   * Rounds in pairs (default): each round runs the plain client, then Herald, with the same binds,
   * and the ratio is the median of the rounds' ratios. On a shared machine whose speed drifts from
   * minute to minute (the plain client's four-bind medians of two runs five minutes apart: 15,242
   * and 26,159 per second), parts run one after the other compare different machines; a pair
   * minutes apart does not. False: each part's rounds together, the ratio of the medians (the
   * earlier harness).
   */
  private final boolean interleave =
      Boolean.parseBoolean(System.getProperty("bench.interleave", "true"));

  /** Seconds to wait, once a Herald part's rounds are queued, before dispatching them. */
  private final int pauseSeconds = Integer.getInteger("bench.pause", 0);

  /** Prints the database's statements of each Herald part (pg_stat_statements). */
  private final boolean statements = Boolean.getBoolean("bench.statements");

  /**
   * Rounds of each part run before its measured one, not counted: without them each side pays in
   * its measured window for the JIT compiling its code (on two cores, C2 took about a third of the
   * JVM's CPU in Herald's submit window), and the part that runs first pays for the shared code
   * (the SMSC). A Herald part's rounds go through one dispatching Herald.
   */
  private final int warmups = Integer.getInteger("bench.warmups", 2);

  /** Measured rounds of each part; the ratio is of their medians. */
  private final int rounds = Integer.getInteger("bench.rounds", 3);

  private final int window = Integer.getInteger("bench.window", 50);
  private final int manyBinds = Integer.getInteger("bench.binds", 4);
  private final int workers = Integer.getInteger("bench.workers", 4);
  private final int batch = Integer.getInteger("bench.batch", 500);
  private final boolean receipts =
      Boolean.parseBoolean(System.getProperty("bench.receipts", "true"));

  /** Which parts run: plain1, herald1, plainB, heraldB (B = bench.binds); all by default. */
  private final List<String> parts =
      List.of(
          System.getProperty(
                  "bench.parts", "plain1,herald1,plain" + manyBinds + ",herald" + manyBinds)
              .split(","));

  private boolean part(String name) {
    return parts.contains(name);
  }

  private TestSmsc smsc;
  private final AtomicInteger submits = new AtomicInteger();

  /** Receipts the client acknowledged (Herald: once stored) in the current part. */
  private final AtomicInteger receiptsAcked = new AtomicInteger();

  private final AtomicLong firstSubmit = new AtomicLong();
  private final AtomicLong lastSubmit = new AtomicLong();
  private volatile int expected;
  private volatile double[] cpuAtFirst;
  private volatile double[] cpuAtLast;
  private volatile boolean measuring;
  private volatile String partName = "";
  private volatile Map<String, Double> threadsAtFirst;
  private volatile Map<String, Double> threadsAtLast;
  private final BlockingQueue<String> receiptsToSend = new LinkedBlockingQueue<>();

  public static void main(String[] args) {
    int status = 0;
    try {
      new SmppBenchmark().run();
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private void run() throws Exception {
    printMachine();
    smsc = new TestSmsc();
    smsc.keepReceived = false;
    smsc.answers =
        submit -> {
          String id = smsc.nextId();
          int n = submits.incrementAndGet();
          long now = System.nanoTime();
          if (firstSubmit.compareAndSet(0, now)) {
            cpuAtFirst = cpuSeconds();
            threadsAtFirst = threadCpu();
            profile("start,event=cpu,interval=100us");
          }
          if (n == expected) {
            lastSubmit.set(now);
            cpuAtLast = cpuSeconds();
            threadsAtLast = threadCpu();
            profile(
                "stop,collapsed,file="
                    + System.getProperty("bench.profile")
                    + "-"
                    + partName
                    + ".txt");
          }
          if (receipts) {
            receiptsToSend.add(id);
          }
          return new TestSmsc.Answer.Id(id);
        };
    ExecutorService receiptSenders = Executors.newVirtualThreadPerTaskExecutor();
    AtomicInteger nextBind = new AtomicInteger();
    for (int i = 0; i < 16; i++) {
      receiptSenders.submit(() -> {
        while (true) {
          String id = receiptsToSend.take();
          try {
            smsc.receipt(nextBind.incrementAndGet(), id, "DELIVRD", "000", true);
            receiptsAcked.incrementAndGet();
          } catch (Exception e) {
            receiptsToSend.add(id); // the bind went: another takes it
            Thread.sleep(10);
          }
        }
      });
    }
    Path data = Files.createTempDirectory("herald-smpp-bench");
    ConfigurableApplicationContext enqueuer =
        new SpringApplicationBuilder(HeraldApplication.class)
            .run(
                "--server.port=0",
                "--herald.embedded-database.durable=true",
                "--herald.data-dir=" + data,
                "--herald.delivery.worker-enabled=false",
                "--herald.demo.enabled=false",
                "--herald.embedded-database.preload-libraries="
                    + (statements ? "pg_stat_statements" : ""),
                "--logging.level.root=WARN");
    try {
      JdbcClient jdbc = enqueuer.getBean(JdbcClient.class);
      StringBuilder settings = new StringBuilder();
      for (String name :
          List.of("fsync", "synchronous_commit", "full_page_writes", "shared_buffers")) {
        settings
            .append(' ')
            .append(name)
            .append('=')
            .append(jdbc.sql("SHOW " + name).query(String.class).single());
      }
      System.out.printf(
          "PostgreSQL: %s;%s (durable, data in %s)%n",
          jdbc.sql("SELECT version()").query(String.class).single().split(",")[0], settings, data);
      System.out.printf(
          Locale.ROOT,
          "%,d SMS of one segment per run, window %d per bind, receipts %s; Herald: %d SMS workers x batch %d%n",
          messages,
          window,
          receipts ? "on" : "off",
          workers,
          batch);
      if (interleave) {
        double one = part("herald1") ? herald(enqueuer, jdbc, data, 1) : Double.NaN;
        double many =
            part("herald" + manyBinds) ? herald(enqueuer, jdbc, data, manyBinds) : Double.NaN;
        System.out.printf(
            Locale.ROOT,
            "Ratio Herald / plain client (median of the rounds' ratios, each round the plain client"
                + " then Herald): 1 bind %.2f, %d binds %.2f (target at least 0.5)%n",
            one,
            manyBinds,
            many);
        return;
      }
      double plainOne = part("plain1") ? plainClient(1) : Double.NaN;
      double heraldOne = part("herald1") ? herald(enqueuer, jdbc, data, 1) : Double.NaN;
      double plainMany = part("plain" + manyBinds) ? plainClient(manyBinds) : Double.NaN;
      double heraldMany =
          part("herald" + manyBinds) ? herald(enqueuer, jdbc, data, manyBinds) : Double.NaN;
      System.out.printf(
          Locale.ROOT,
          "Ratio Herald / plain client (medians of the submits per second): 1 bind %.2f, %d binds %.2f"
              + " (target at least 0.5)%n",
          heraldOne / plainOne,
          manyBinds,
          heraldMany / plainMany);
    } finally {
      enqueuer.close();
      receiptSenders.shutdownNow();
      smsc.close();
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

  private void reset(int n) {
    submits.set(0);
    receiptsAcked.set(0);
    firstSubmit.set(0);
    lastSubmit.set(0);
    cpuAtFirst = null;
    threadsAtFirst = null;
    threadsAtLast = null;
    cpuAtLast = null;
    expected = n;
  }

  private String roundLabel(int round) {
    return round < warmups
        ? "  warm-up %d of %d: ".formatted(round + 1, warmups)
        : "  measured %d of %d: ".formatted(round - warmups + 1, rounds);
  }

  /** The median of a part's measured rounds (the ratio's figure), printed with all of them. */
  private static double median(String part, List<Double> rates) {
    List<Double> sorted = rates.stream().sorted().toList();
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    System.out.printf(
        Locale.ROOT,
        "  => %s: median %,.0f/s of %d measured round(s) (%s)%n",
        part,
        median,
        n,
        String.join(
            ", ", rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()));
    return median;
  }

  /** The reference: plain jSMPP transceiver binds, W threads submitting on each. */
  private double plainClient(int binds) throws Exception {
    List<Double> measured = new ArrayList<>();
    for (int round = 0; round < warmups + rounds; round++) {
      System.out.print(roundLabel(round));
      measuring = round == warmups + rounds - 1;
      partName = "plain" + binds;
      double rate = plainClientRound(binds);
      if (round >= warmups) {
        measured.add(rate);
      }
    }
    return median("plain jSMPP client, " + binds + " bind(s)", measured);
  }

  private double plainClientRound(int binds) throws Exception {
    reset(messages);
    smsc.deliverTo = "plain"; // not to Herald's binds, up (and idle) meanwhile when interleaved
    CountDownLatch receipts = new CountDownLatch(this.receipts ? messages : 0);
    List<SMPPSession> sessions = new ArrayList<>();
    for (int b = 0; b < binds; b++) {
      SMPPSession s = new SMPPSession();
      s.setTransactionTimer(30_000);
      s.setPduProcessorDegree(Math.max(4, Math.min(window, 32)));
      s.setQueueCapacity(Math.max(1000, window * 4));
      s.setMessageReceiverListener(
          new MessageReceiverListener() {
            @Override
            public void onAcceptDeliverSm(DeliverSm deliverSm) {
              receipts.countDown();
            }

            @Override
            public void onAcceptAlertNotification(org.jsmpp.bean.AlertNotification a) {}

            @Override
            public org.jsmpp.session.DataSmResult onAcceptDataSm(
                org.jsmpp.bean.DataSm dataSm, org.jsmpp.session.Session source) {
              return null;
            }
          });
      s.connectAndBind(
          "127.0.0.1",
          smsc.port,
          new BindParameter(
              BindType.BIND_TRX,
              "plain",
              "secret",
              "",
              TypeOfNumber.UNKNOWN,
              NumberingPlanIndicator.UNKNOWN,
              null),
          10_000);
      sessions.add(s);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(binds * window)) {
      for (int b = 0; b < binds; b++) {
        SMPPSession s = sessions.get(b);
        for (int w = 0; w < window; w++) {
          pool.submit(() -> {
            int i;
            while ((i = next.getAndIncrement()) < messages) {
              try {
                s.submitShortMessage(
                    "",
                    TypeOfNumber.INTERNATIONAL,
                    NumberingPlanIndicator.ISDN,
                    "4570000000",
                    TypeOfNumber.INTERNATIONAL,
                    NumberingPlanIndicator.ISDN,
                    "4523%06d".formatted(i),
                    new ESMClass(),
                    (byte) 0,
                    (byte) 0,
                    null,
                    null,
                    new RegisteredDelivery(
                        this.receipts
                            ? SMSCDeliveryReceipt.SUCCESS_FAILURE
                            : SMSCDeliveryReceipt.DEFAULT),
                    (byte) 0,
                    new GeneralDataCoding(Alphabet.ALPHA_DEFAULT),
                    (byte) 0,
                    text(i).getBytes(StandardCharsets.ISO_8859_1));
              } catch (Exception e) {
                failed.incrementAndGet();
              }
            }
          });
        }
      }
    }
    long answered = System.nanoTime();
    boolean all = receipts.await(120, TimeUnit.SECONDS);
    long receiptsDone = System.nanoTime();
    for (SMPPSession s : sessions) {
      s.unbindAndClose();
    }
    smsc.deliverTo = "herald";
    double rate = messages / ((answered - t0) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "Plain jSMPP client, %d bind(s) x window %d: %,.0f submits/s (first submit to last answer,"
            + " %.2f s; %s); %,.0f/s to the last receipt (%s; %s); %d failed%n",
        binds,
        window,
        rate,
        (answered - t0) / 1e9,
        submitCpu(),
        messages / ((receiptsDone - t0) / 1e9),
        all ? "all " + messages : (messages - receipts.getCount()) + " of " + messages,
        cpuSince(cpuAtFirst),
        failed.get());
    printThreads();
    Thread.sleep(500);
    return rate;
  }

  private static String text(int i) {
    return "Hi, your appointment with Green Gardens is tomorrow at 09:30. Reply Y to confirm. #"
        + i;
  }

  /**
   * Herald: N SMS queued per round (by a Herald whose workers are off), then one dispatching Herald
   * with the SMPP gateway drains the rounds one after the other: each round's messages are held
   * outside the queue (a table of the benchmark's) until the round before is done, so the warm-up
   * rounds warm the very Herald (its classes, proxies and statements) that the measured round
   * measures.
   */
  private double herald(
      ConfigurableApplicationContext enqueuer, JdbcClient jdbc, Path data, int binds)
      throws Exception {
    List<TenantId> rounds = new ArrayList<>();
    for (int round = 0; round < warmups + this.rounds; round++) {
      rounds.add(enqueue(enqueuer));
    }
    // The later rounds wait outside the queue, as they were queued (no row of theirs in the claim
    // index): held in it at next_attempt_at = infinity, they were rows the claim's walk over
    // companies with due work passed over each time (15 ms of a 31 ms claim, EXPLAIN ANALYZE),
    // and the UPDATE that made them due left each round 20,000 dead rows to prune as it ran.
    // statistics of a queue with every round in it (moved out, the table would look empty of
    // queued rows to the planner)
    jdbc.sql("ANALYZE outbound_message").update();
    jdbc.sql("DROP TABLE IF EXISTS bench_held").update();
    jdbc.sql("CREATE TABLE bench_held (LIKE outbound_message)").update();
    for (TenantId later : rounds.subList(interleave ? 0 : 1, rounds.size())) {
      jdbc.sql(
              """
              WITH moved AS (DELETE FROM outbound_message WHERE tenant_id = ? RETURNING *)
              INSERT INTO bench_held SELECT * FROM moved
              """)
          .param(later.value())
          .update();
    }
    jdbc.sql("VACUUM outbound_message").update();
    if (statements) {
      jdbc.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").update();
    }
    if (pauseSeconds > 0) {
      // time to look at the queued rounds from outside (psql: EXPLAIN of the dispatcher's
      // statements in a transaction rolled back) before the dispatching Herald starts
      System.out.printf(
          "Paused %d s before dispatching: %s%n",
          pauseSeconds, enqueuer.getEnvironment().getRequiredProperty("spring.datasource.url"));
      Thread.sleep(pauseSeconds * 1000L);
    }
    jdbc.sql("CHECKPOINT").update();
    reset(messages);
    if (statements) {
      jdbc.sql("SELECT pg_stat_statements_reset()").query().listOfRows();
    }
    String url = enqueuer.getEnvironment().getRequiredProperty("spring.datasource.url");
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
                "--herald.delivery.sms.gateway=smsc",
                "--herald.delivery.sms.default-sender=+4570000000",
                "--herald.delivery.gateways.smsc.type=smpp",
                "--herald.delivery.gateways.smsc.host=127.0.0.1",
                "--herald.delivery.gateways.smsc.port=" + smsc.port,
                "--herald.delivery.gateways.smsc.system-id=herald",
                "--herald.delivery.gateways.smsc.password=secret",
                "--herald.delivery.gateways.smsc.binds=" + binds,
                "--herald.delivery.gateways.smsc.window=" + window,
                "--herald.delivery.gateways.smsc.max-per-second=1000000",
                "--herald.delivery.gateways.smsc.submit-id-format=hex",
                "--herald.delivery.gateways.smsc.receipts=" + receipts,
                "--logging.level.root=WARN");
    try {
      List<Double> measured = new ArrayList<>();
      List<Double> plainMeasured = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      double plainRate = Double.NaN;
      for (int round = 0; round < rounds.size(); round++) {
        TenantId tenant = rounds.get(round);
        if (interleave) {
          System.out.print(roundLabel(round));
          measuring = round == rounds.size() - 1;
          partName = "plain" + binds;
          plainRate = plainClientRound(binds);
        }
        if (round > 0 || interleave) {
          jdbc.sql("CHECKPOINT").update();
          reset(messages);
          if (statements) {
            jdbc.sql("SELECT pg_stat_statements_reset()").query().listOfRows();
          }
          jdbc.sql(
                  """
                  WITH moved AS (DELETE FROM bench_held WHERE tenant_id = ? RETURNING *)
                  INSERT INTO outbound_message SELECT * FROM moved
                  """)
              .param(tenant.value())
              .update();
        }
        System.out.print(roundLabel(round));
        measuring = round == rounds.size() - 1;
        partName = "herald" + binds;
        double rate = awaitHerald(jdbc, tenant, binds);
        if (round >= warmups) {
          measured.add(rate);
          if (interleave) {
            plainMeasured.add(plainRate);
            ratios.add(rate / plainRate);
            System.out.printf(Locale.ROOT, "  round's ratio: %.2f%n", rate / plainRate);
          }
        }
      }
      if (interleave) {
        median("plain jSMPP client, " + binds + " bind(s)", plainMeasured);
        median("Herald, " + binds + " bind(s)", measured);
        List<Double> sorted = ratios.stream().sorted().toList();
        double ratio =
            sorted.size() % 2 == 1
                ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf(
            Locale.ROOT,
            "  => ratio Herald / plain client, %d bind(s): median %.2f of the rounds' %s%n",
            binds,
            ratio,
            String.join(
                ", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
        return ratio;
      }
      return median("Herald, " + binds + " bind(s)", measured);
    } finally {
      dispatcher.close();
      Thread.sleep(500);
    }
  }

  /** Queues N SMS of one segment for a new company; returns it. */
  private TenantId enqueue(ConfigurableApplicationContext enqueuer) {
    TenantId tenant = enqueuer.getBean(TestCompanies.class).aDanishCompany(true, true).id();
    OutboundMessages outbound = enqueuer.getBean(OutboundMessages.class);
    for (int done = 0; done < messages; done += 500) {
      List<OutboundDraft> drafts = new ArrayList<>();
      for (int i = done; i < Math.min(messages, done + 500); i++) {
        drafts.add(
            new OutboundDraft(
                Channel.SMS,
                null,
                "+4524%06d".formatted(i),
                null,
                text(i),
                false,
                OutboundKind.DIRECT,
                null,
                null));
      }
      outbound.enqueue(tenant, drafts);
    }
    return tenant;
  }

  /** Waits for a Herald round to be sent (and delivered by its receipts), prints its figures. */
  private double awaitHerald(JdbcClient jdbc, TenantId tenant, int binds) throws Exception {
    // With receipts, the end is every message delivered by its receipt; without, every one sent.
    String countDelivered =
        "SELECT count(*) FROM outbound_message WHERE tenant_id = ? AND status = '"
            + (receipts ? "delivered" : "sent")
            + "'";
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    // The database is counted only once every receipt was acknowledged (Herald acknowledges a
    // receipt once it stored it): the count (a scan of the part's 20,000 rows, about 35 ms) must
    // not take the database's time from the Herald it measures, as it did while it ran every
    // 100 ms from the start (the plain client's part has no such poller).
    int waitFor = receipts ? messages : 0;
    while (System.nanoTime() < deadline
        && (submits.get() < messages || receiptsAcked.get() < waitFor)) {
      Thread.sleep(10);
    }
    while (System.nanoTime() < deadline
        && jdbc.sql(countDelivered).param(tenant.value()).query(Long.class).single() < messages) {
      Thread.sleep(100);
    }
    long delivered = System.nanoTime();
    long count = jdbc.sql(countDelivered).param(tenant.value()).query(Long.class).single();
    long first = firstSubmit.get();
    long last = lastSubmit.get();
    double rate = last == 0 ? 0 : messages / ((last - first) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "Herald, %d bind(s) x window %d: %,.0f SMS/s (the SMSC's first submit to its %,d-th,"
            + " %.2f s; %s); %,.0f/s to the last %s (%,d of %,d; %s);"
            + " the SMSC got %,d submits%n",
        binds,
        window,
        rate,
        messages,
        (last - first) / 1e9,
        submitCpu(),
        messages / ((delivered - first) / 1e9),
        receipts ? "delivered by its receipt" : "sent",
        count,
        messages,
        cpuSince(cpuAtFirst),
        submits.get());
    printThreads();
    if (statements) {
      printStatements(jdbc);
    }
    return rate;
  }

  /** The database's share of a Herald part, by statement (bench.statements=true). */
  private static void printStatements(JdbcClient jdbc) {
    System.out.println("  statements by total time (whole part, pg_stat_statements):");
    jdbc.sql(
            """
            SELECT calls, rows, round(total_exec_time::numeric, 0) AS ms,
                   round((total_exec_time / greatest(calls, 1))::numeric, 2) AS ms_per_call,
                   wal_records, wal_bytes, shared_blks_dirtied,
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15
            """)
        .query((rs, n) ->
            String.format(
                Locale.ROOT,
                "  %8d calls %9d rows %7d ms %8.2f ms/call %8d WAL records %,12d WAL bytes"
                    + " %7d blocks dirtied  %s",
                rs.getLong("calls"),
                rs.getLong("rows"),
                rs.getLong("ms"),
                rs.getDouble("ms_per_call"),
                rs.getLong("wal_records"),
                rs.getLong("wal_bytes"),
                rs.getLong("shared_blks_dirtied"),
                rs.getString("query")))
        .list()
        .forEach(System.out::println);
  }

  /** CPU seconds used so far by this JVM and by the PostgreSQL processes (Linux; else NaN). */
  private static double[] cpuSeconds() {
    double jvm =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9;
    double postgres = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          String comm = Files.readString(proc.resolve("comm")).strip();
          if (!comm.startsWith("postgres")) {
            continue;
          }
          String stat = Files.readString(proc.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          postgres += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime
        } catch (Exception gone) {
          // the process ended meanwhile
        }
      }
    } catch (Exception e) {
      postgres = Double.NaN;
    }
    return new double[] {jvm, postgres};
  }

  /**
   * With {@code bench.profile} (a file prefix) and {@code bench.profiler} (async-profiler's
   * libasyncProfiler.so; its jar on Maven Central, tools.profiler:async-profiler): profiles the CPU
   * of the measured rounds' submit windows into collapsed stacks, one file per part.
   */
  private void profile(String command) {
    String lib = System.getProperty("bench.profiler");
    if (!measuring || lib == null || System.getProperty("bench.profile") == null) {
      return;
    }
    try {
      if (profiler == null) {
        Path jar = Path.of(lib).getParent().getParent().resolve("profiler.jar");
        ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()});
        Class<?> type = Class.forName("one.profiler.AsyncProfiler", true, loader);
        profiler = type.getMethod("getInstance", String.class).invoke(null, lib);
      }
      profiler.getClass().getMethod("execute", String.class).invoke(profiler, command);
    } catch (Exception e) {
      System.out.println("profiler: " + e);
    }
  }

  private Object profiler;

  /** CPU seconds per thread group of this JVM (names with digits folded), when bench.threads. */
  private static Map<String, Double> threadCpu() {
    if (!Boolean.getBoolean("bench.threads")) {
      return null;
    }
    Map<String, Double> byGroup = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String comm = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "N");
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byGroup.merge(comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
        } catch (Exception gone) {
          // the thread ended meanwhile
        }
      }
    } catch (Exception e) {
      return null;
    }
    return byGroup;
  }

  private void printThreads() {
    Map<String, Double> before = threadsAtFirst;
    Map<String, Double> after = threadsAtLast;
    if (before == null || after == null) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "  CPU per thread group in the submit window (s; %.2f in all, threads that ended"
            + " meanwhile not counted):%n",
        after.entrySet().stream()
            .mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0))
            .sum());
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.01)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> System.out.printf(Locale.ROOT, "    %6.2f %s%n", e.getValue(), e.getKey()));
  }

  /** CPU used from the SMSC's first submit to its N-th. */
  private String submitCpu() {
    return cpuAtFirst == null || cpuAtLast == null ? "CPU: n/a" : cpu(cpuAtFirst, cpuAtLast);
  }

  private static String cpuSince(double[] before) {
    return before == null ? "CPU: n/a" : cpu(before, cpuSeconds());
  }

  private static String cpu(double[] before, double[] now) {
    return String.format(
        Locale.ROOT, "CPU: JVM %.1f s, PostgreSQL %.1f s", now[0] - before[0], now[1] - before[1]);
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
