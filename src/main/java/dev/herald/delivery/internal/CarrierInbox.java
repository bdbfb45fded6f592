package dev.herald.delivery.internal;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.GatewayInbox;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.shared.Ids;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The gateways' inbox: stores receipts and inbound SMS in group commits (a carrier is acknowledged
 * once they are stored), matches receipts to messages in batches on a loop of its own, and records
 * late submit answers. Receipts never move money: settling a message here touches only its status.
 */
final class CarrierInbox implements GatewayInbox, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CarrierInbox.class);

  /** When a late answer comes before the dispatcher recorded its unknown outcome: try again. */
  private static final List<Duration> LATE_RETRIES =
      List.of(
          Duration.ofMillis(200),
          Duration.ofSeconds(1),
          Duration.ofSeconds(3),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));

  private final JdbcClient jdbc;
  private final CreditSettlements credits;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final ReceiptSettings settings;
  private final InboundMessages inboundMessages;
  private final GroupCommit<DeliveryReceipt> receiptWriter;
  private final GroupCommit<InboundSms> inboundWriter;
  private final ScheduledExecutorService later =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("herald-late").factory());
  private final Object signal = new Object();
  private boolean signalled;
  private volatile boolean running;
  private Thread matcher;

  CarrierInbox(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Clock clock,
      ReceiptSettings settings,
      InboundMessages inboundMessages,
      CreditSettlements credits) {
    this.credits = credits;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.settings = settings;
    this.inboundMessages = inboundMessages;
    this.receiptWriter = new GroupCommit<>("receipt-writer", 500, this::storeReceipts);
    this.inboundWriter = new GroupCommit<>("inbound-writer", 200, this::storeInbound);
  }

  synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    matcher = Thread.ofVirtual().name("herald-receipt-matcher").start(this::matchLoop);
  }

  @Override
  public synchronized void close() {
    running = false;
    wake();
    if (matcher != null) {
      matcher.interrupt();
    }
    receiptWriter.close();
    inboundWriter.close();
    later.shutdownNow();
  }

  @Override
  public CompletableFuture<Void> receipts(List<DeliveryReceipt> receipts) {
    return receiptWriter.add(receipts);
  }

  @Override
  public CompletableFuture<Void> inbound(List<InboundSms> messages) {
    return inboundWriter.add(messages);
  }

  @Override
  public void lateAccepted(
      String gateway, SmsSubmission submission, List<String> gatewayMessageIds) {
    later.execute(() -> recordLate(gateway, submission, gatewayMessageIds, 0));
  }

  private void recordLate(String gateway, SmsSubmission s, List<String> ids, int round) {
    try {
      Instant now = micros(clock.instant());
      int settled =
          transactions.execute(tx -> {
            int n =
                jdbc.sql(ReceiptSql.LATE_ACCEPTED)
                    .param("tenant", s.tenant().value())
                    .param("id", s.messageId())
                    .param("attempt", s.attempt())
                    .param("gateway", gateway)
                    .param("ids", ids.toArray(String[]::new))
                    .param("now", Timestamp.from(now))
                    .query(Integer.class)
                    .single();
            if (n == 1) {
              // A carrier took it: its credit is used, in the transaction that says so.
              credits.settle(
                  List.of(new CreditSettlements.Finished(s.tenant(), s.messageId(), 0, true)));
            }
            return n;
          });
      if (settled == 1) {
        log.info("Message {}: its unknown outcome is settled by a late answer", s.messageId());
        wake();
        return;
      }
      long stillClaimed =
          jdbc.sql(ReceiptSql.STILL_CLAIMED)
              .param("tenant", s.tenant().value())
              .param("id", s.messageId())
              .param("attempt", s.attempt())
              .query(Long.class)
              .single();
      if (stillClaimed > 0 && round < LATE_RETRIES.size()) {
        later.schedule(
            () -> recordLate(gateway, s, ids, round + 1),
            LATE_RETRIES.get(round).toMillis(),
            TimeUnit.MILLISECONDS);
      } else {
        log.info(
            "Message {}: a late answer of attempt {} came when the message had moved on; ignored",
            s.messageId(),
            s.attempt());
      }
    } catch (RuntimeException e) {
      log.warn("Message {}: could not record a late answer: {}", s.messageId(), e.toString());
    }
  }

  private void storeReceipts(List<DeliveryReceipt> receipts) {
    int n = receipts.size();
    String[] gateways = new String[n];
    UUID[] ids = new UUID[n];
    String[] messageIds = new String[n];
    String[] states = new String[n];
    String[] errors = new String[n];
    Timestamp[] receivedAts = new Timestamp[n];
    for (int i = 0; i < n; i++) {
      DeliveryReceipt r = receipts.get(i);
      gateways[i] = r.gateway();
      ids[i] = Ids.next();
      messageIds[i] = truncate(r.gatewayMessageId(), 100);
      states[i] = r.state().code();
      errors[i] = truncate(r.errorCode(), 100);
      receivedAts[i] = Timestamp.from(micros(r.receivedAt()));
    }
    // One statement in auto-commit: atomic and durable (synchronous commit) when it returns, in one
    // round trip instead of two (BEGIN with the INSERT, then COMMIT); the carrier is acknowledged
    // only then. Receipts of one-part messages are matched and settled in it; the matcher is woken
    // for the others.
    int leftToMatch =
        jdbc.sql(ReceiptSql.STORE)
            .param("gateways", gateways)
            .param("ids", ids)
            .param("messageIds", messageIds)
            .param("states", states)
            .param("errors", errors)
            .param("receivedAts", receivedAts)
            .param("now", Timestamp.from(micros(clock.instant())))
            .query(Integer.class)
            .single();
    if (leftToMatch > 0) {
      wake();
    }
  }

  private void storeInbound(List<InboundSms> messages) {
    inboundMessages.store(messages);
  }

  private void wake() {
    synchronized (signal) {
      signalled = true;
      signal.notifyAll();
    }
  }

  /**
   * Matches and publishes while there is work; when a look finds nothing, the next comes later,
   * doubling from match-interval up to idle-interval (an idle node costs the database little). A
   * receipt or inbound SMS stored on this node, or a late answer, wakes it at once.
   */
  private void matchLoop() {
    long idle = settings.matchInterval().toMillis();
    long gather = Math.min(settings.gather().toNanos(), settings.matchInterval().toNanos());
    long lastFound = 0;
    while (running) {
      boolean full = false;
      boolean found = false;
      if (lastFound != 0) {
        // Receipts keep coming: let them gather, so one statement matches many of them.
        long wait = lastFound + gather - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(java.time.Duration.ofNanos(wait));
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      try {
        int batch = matchOnce();
        int published = inboundMessages.joinOverdueParts() + inboundMessages.publishDue();
        full = batch >= settings.batchSize();
        found = batch > 0 || published > 0;
        lastFound = batch > 0 && !full ? System.nanoTime() : 0;
      } catch (RuntimeException e) {
        log.warn("Receipt matcher: {}", rootMessage(e));
      }
      if (full) {
        continue;
      }
      idle =
          found
              ? settings.matchInterval().toMillis()
              : Math.min(idle * 2, settings.idleInterval().toMillis());
      synchronized (signal) {
        if (!signalled) {
          try {
            signal.wait(found ? settings.matchInterval().toMillis() : idle);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (signalled) {
          idle = settings.matchInterval().toMillis();
        }
        signalled = false;
      }
    }
  }

  /** Matches one batch of due receipts and settles their messages; returns the batch's size. */
  int matchOnce() {
    Instant now = micros(clock.instant());
    return transactions.execute(tx -> {
      List<UUID> tenants = new ArrayList<>();
      List<UUID> messages = new ArrayList<>();
      long[] batch = {0};
      jdbc.sql(ReceiptSql.MATCH)
          .param("now", Timestamp.from(now))
          .param("limit", settings.batchSize())
          .param("horizon", Timestamp.from(now.minus(settings.horizon())))
          .param("maxPauseSeconds", settings.maxPause().toMillis() / 1000.0)
          .query(rs -> {
            batch[0] = rs.getLong("batch_size");
            UUID tenant = rs.getObject("tenant_id", UUID.class);
            if (tenant != null) {
              tenants.add(tenant);
              messages.add(rs.getObject("message_id", UUID.class));
            }
          });
      if (!tenants.isEmpty()) {
        List<Map<String, Object>> settled =
            jdbc.sql(ReceiptSql.SETTLE)
                .param("tenants", tenants.toArray(UUID[]::new))
                .param("ids", messages.toArray(UUID[]::new))
                .param("now", Timestamp.from(now))
                .query()
                .listOfRows();
        if (!settled.isEmpty()) {
          log.debug("Receipts settled {} message(s)", settled.size());
        }
      }
      return (int) batch[0];
    });
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
