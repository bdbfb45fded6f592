package dev.herald.delivery.internal;

import dev.herald.delivery.Channel;
import dev.herald.delivery.gateway.EmailGateway;
import dev.herald.delivery.gateway.EmailSubmission;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.delivery.gateway.SubmitResult.Accepted;
import dev.herald.delivery.gateway.SubmitResult.PermanentFailure;
import dev.herald.delivery.gateway.SubmitResult.TransientFailure;
import dev.herald.delivery.internal.DeliverySettings.GatewayLimit;
import dev.herald.shared.Recipients;
import dev.herald.shared.TenantId;
import dev.herald.smstext.SmsAnalysis;
import dev.herald.smstext.SmsTexts;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The dispatch workers of this node. Each worker loops: take rate-limit tokens, claim a batch of
 * due rows ({@code FOR UPDATE SKIP LOCKED}) and mark them {@code sending} with a lease and an
 * attempt row in one short transaction, submit the batch outside any transaction, then record the
 * outcomes in a second short transaction. A worker holds one pooled connection for the whole cycle,
 * so "its database session" is one session; if that session dies after the submit, the outcome is
 * not recorded, the lease runs out and the message is claimed again, as a further attempt.
 */
final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  enum Outcome {
    /** Claimed as many as it could take: there may be more. */
    FULL,
    /** Claimed some or none: the queue is drained for now. */
    DRAINED,
    /** No rate-limit tokens left this instant. */
    THROTTLED
  }

  /** The gateway's id of one part of a submitted message. */
  private record PartId(UUID tenant, UUID message, int attempt, int part, String gatewayId) {}

  /** A claimed row: what the gateway needs, and which attempt this is. */
  record Claimed(
      TenantId tenant,
      UUID id,
      String recipient,
      String subject,
      String body,
      String encoding,
      int attempt) {}

  private final DataSource dataSource;
  private final DeliverySettings settings;
  private final Gateways gateways;
  private final Companies companies;
  private final Clock clock;
  private final WorkSignal signal;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;

  /**
   * Retries this node scheduled: an idle worker looks again when one is due, not only at the next
   * poll.
   */
  private final ConcurrentSkipListSet<Instant> retries = new ConcurrentSkipListSet<>();

  Dispatcher(
      DataSource dataSource,
      DeliverySettings settings,
      Gateways gateways,
      Companies companies,
      Clock clock,
      WorkSignal signal) {
    this.dataSource = dataSource;
    this.settings = settings;
    this.gateways = gateways;
    this.companies = companies;
    this.clock = clock;
    this.signal = signal;
  }

  synchronized void start() {
    running = true;
    for (int i = 0; i < settings.workers(); i++) {
      int index = i;
      workers.add(Thread.ofVirtual().name("herald-dispatch-" + i).start(() -> work(index)));
    }
    log.info(
        "Delivery: {} dispatch worker(s) on node {}, SMS through {}, e-mail through {}",
        settings.workers(),
        settings.nodeId(),
        gateways.sms().name(),
        gateways.email().name());
  }

  /**
   * Lets every worker finish the batch in hand (submit and record) within the submit timeout and a
   * little more, then interrupts what is left: its claims come back after the lease.
   */
  synchronized void stop() throws InterruptedException {
    running = false;
    signal.wakeAll();
    long deadline = System.nanoTime() + settings.submitTimeout().plusSeconds(2).toNanos();
    for (Thread worker : workers) {
      worker.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    for (Thread worker : workers) {
      if (worker.isAlive()) {
        log.warn("Dispatch worker {} still busy at shutdown; interrupting it", worker.getName());
        worker.interrupt();
        worker.join(Duration.ofSeconds(1));
      }
    }
    workers.clear();
  }

  private void work(int index) {
    long seen = signal.generation();
    while (running) {
      boolean more = false;
      Duration pause = null;
      for (Channel channel : Channel.values()) {
        if (!running) {
          return; // stopping: do not wait for a connection (up to its timeout) per channel
        }
        try {
          Outcome outcome = cycle(channel);
          more |= outcome == Outcome.FULL;
          if (outcome == Outcome.THROTTLED) {
            pause = min(pause, throttlePause(channel));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          log.warn("Dispatch worker {} ({}): {}", index, channel, e.toString());
          pause = min(pause, Duration.ofSeconds(1));
        }
      }
      try {
        if (!running) {
          return;
        }
        if (pause != null) {
          signal.pause(pause);
        } else if (!more) {
          seen = signal.await(seen, idleWait());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Duration idleWait() {
    Instant now = clock.instant();
    NavigableSet<Instant> due = retries.headSet(now, true);
    if (!due.isEmpty()) {
      due.clear();
      return Duration.ZERO;
    }
    Instant next = retries.isEmpty() ? null : retries.first();
    return next == null
        ? settings.pollInterval()
        : min(settings.pollInterval(), Duration.between(now, next));
  }

  /** One claim, submit and record for one channel. */
  Outcome cycle(Channel channel) throws SQLException, InterruptedException {
    String gateway = channel == Channel.SMS ? gateways.sms().name() : gateways.email().name();
    GatewayLimit limit = settings.limitOf(gateway);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int granted = RateLimiter.take(c, gateway, limit, settings.batchSize());
        if (granted == 0) {
          return Outcome.THROTTLED;
        }
        JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(c, true));
        List<Claimed> claimed = claim(jdbc, channel, gateway, granted);
        c.commit();
        if (claimed.size() < granted) {
          RateLimiter.giveBack(c, gateway, limit, granted - claimed.size());
        }
        if (claimed.isEmpty()) {
          return Outcome.DRAINED;
        }
        List<SubmitResult> results =
            channel == Channel.SMS ? submitSms(claimed) : sendEmail(claimed);
        record(jdbc, claimed, results);
        c.commit();
        // Every token used: there may be more due, limited by the rate rather than by the queue.
        return claimed.size() >= granted ? Outcome.FULL : Outcome.DRAINED;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        try {
          c.setAutoCommit(true);
        } catch (SQLException ignored) {
          // a dead connection; the pool evicts it
        }
      }
    }
  }

  private List<Claimed> claim(JdbcClient jdbc, Channel channel, String gateway, int limit) {
    Instant now = clock.instant();
    return jdbc.sql(DispatchSql.CLAIM)
        .param("channel", channel.code())
        .param("now", Timestamp.from(now))
        .param("limit", limit)
        .param("leaseUntil", Timestamp.from(now.plus(settings.lease())))
        .param("node", settings.nodeId())
        .param("gateway", gateway)
        .query((rs, row) ->
            new Claimed(
                new TenantId(rs.getObject("tenant_id", UUID.class)),
                rs.getObject("id", UUID.class),
                rs.getString("recipient"),
                rs.getString("subject"),
                rs.getString("body"),
                rs.getString("encoding"),
                rs.getInt("attempts")))
        .list();
  }

  private List<SubmitResult> submitSms(List<Claimed> claimed) throws InterruptedException {
    SmsGateway gateway = gateways.sms();
    Map<TenantId, String> senders = new HashMap<>();
    List<CompletableFuture<SubmitResult>> answers = new ArrayList<>(claimed.size());
    for (Claimed m : claimed) {
      try {
        String from = senders.computeIfAbsent(m.tenant(), this::senderOf);
        SmsAnalysis analysis = SmsTexts.analyze(m.body(), false);
        if (!analysis.encoding().name().equals(m.encoding())) {
          // Cannot happen for bodies enqueue stored; a hand-edited row is sent as it analyses now.
          log.warn(
              "Message {}: stored encoding {} but the text is {}",
              m.id(),
              m.encoding(),
              analysis.encoding());
        }
        answers.add(
            gateway.submit(
                new SmsSubmission(
                    m.tenant(),
                    m.id(),
                    m.attempt(),
                    from,
                    m.recipient(),
                    analysis.text(),
                    analysis.encoding(),
                    analysis.parts(),
                    concatenationReference(m.id()))));
      } catch (RuntimeException e) {
        answers.add(
            CompletableFuture.completedFuture(new TransientFailure("GATEWAY_ERROR", e.toString())));
      }
    }
    gateway.flush();
    return awaitAll(answers);
  }

  private List<SubmitResult> sendEmail(List<Claimed> claimed) throws InterruptedException {
    EmailGateway gateway = gateways.email();
    List<CompletableFuture<SubmitResult>> answers = new ArrayList<>(claimed.size());
    for (Claimed m : claimed) {
      try {
        answers.add(
            gateway.send(
                new EmailSubmission(
                    m.tenant(),
                    m.id(),
                    m.attempt(),
                    settings.email().from(),
                    m.recipient(),
                    m.subject(),
                    m.body())));
      } catch (RuntimeException e) {
        answers.add(
            CompletableFuture.completedFuture(new TransientFailure("GATEWAY_ERROR", e.toString())));
      }
    }
    return awaitAll(answers);
  }

  private List<SubmitResult> awaitAll(List<CompletableFuture<SubmitResult>> answers)
      throws InterruptedException {
    long deadline = System.nanoTime() + settings.submitTimeout().toNanos();
    List<SubmitResult> results = new ArrayList<>(answers.size());
    for (CompletableFuture<SubmitResult> answer : answers) {
      SubmitResult result;
      try {
        result = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // A gateway that has not started on it yet must not send it after this retry is scheduled.
        answer.cancel(false);
        result =
            new TransientFailure(
                "TIMEOUT",
                "no answer from the gateway within " + settings.submitTimeout().toMillis() + " ms");
      } catch (ExecutionException e) {
        result = new TransientFailure("GATEWAY_ERROR", String.valueOf(e.getCause()));
      }
      results.add(result == null ? new TransientFailure("GATEWAY_ERROR", "no answer") : result);
    }
    return results;
  }

  /**
   * Records every outcome; a row whose claim another node took over meanwhile keeps its new owner.
   */
  private void record(JdbcClient jdbc, List<Claimed> claimed, List<SubmitResult> results) {
    Instant now = clock.instant();
    List<Claimed> sent = new ArrayList<>();
    List<PartId> parts = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i++) {
      Claimed m = claimed.get(i);
      switch (results.get(i)) {
        case Accepted accepted -> {
          sent.add(m);
          List<String> ids = accepted.gatewayMessageIds();
          for (int p = 0; p < ids.size(); p++) {
            parts.add(new PartId(m.tenant().value(), m.id(), m.attempt(), p + 1, ids.get(p)));
          }
        }
        case TransientFailure failure -> {
          if (m.attempt() >= settings.maxAttempts()) {
            fail(
                jdbc,
                m,
                now,
                "TRANSIENT_FAILURE",
                failure.code(),
                failure.message(),
                "gave up after " + m.attempt() + " attempts: " + failure.message());
          } else {
            retry(jdbc, m, now, failure);
          }
        }
        case PermanentFailure failure ->
            fail(
                jdbc,
                m,
                now,
                "PERMANENT_FAILURE",
                failure.code(),
                failure.message(),
                failure.message());
      }
    }
    if (!sent.isEmpty()) {
      markSent(jdbc, sent, parts, now);
    }
  }

  private void markSent(JdbcClient jdbc, List<Claimed> sent, List<PartId> parts, Instant now) {
    int n = sent.size();
    UUID[] tenants = new UUID[n];
    UUID[] ids = new UUID[n];
    Integer[] attempts = new Integer[n];
    for (int i = 0; i < n; i++) {
      tenants[i] = sent.get(i).tenant().value();
      ids[i] = sent.get(i).id();
      attempts[i] = sent.get(i).attempt();
    }
    jdbc.sql(DispatchSql.MARK_SENT)
        .param("tenants", tenants)
        .param("ids", ids)
        .param("attempts", attempts)
        .param("now", Timestamp.from(now))
        .param("node", settings.nodeId())
        .update();
    if (parts.isEmpty()) {
      return;
    }
    int p = parts.size();
    UUID[] partTenants = new UUID[p];
    UUID[] partMessages = new UUID[p];
    Integer[] partAttempts = new Integer[p];
    Integer[] partNumbers = new Integer[p];
    String[] gatewayIds = new String[p];
    for (int i = 0; i < p; i++) {
      PartId part = parts.get(i);
      partTenants[i] = part.tenant();
      partMessages[i] = part.message();
      partAttempts[i] = part.attempt();
      partNumbers[i] = part.part();
      gatewayIds[i] = part.gatewayId();
    }
    jdbc.sql(DispatchSql.INSERT_PARTS)
        .param("tenants", partTenants)
        .param("messages", partMessages)
        .param("attempts", partAttempts)
        .param("parts", partNumbers)
        .param("gatewayIds", gatewayIds)
        .update();
  }

  private void retry(JdbcClient jdbc, Claimed m, Instant now, TransientFailure failure) {
    Duration delay =
        Backoff.delay(
            m.attempt(),
            settings.backoffBase(),
            settings.backoffMax(),
            ThreadLocalRandom.current());
    Instant next = now.plus(delay);
    retries.add(next);
    log.info(
        "Message {} (tenant {}) attempt {} failed transiently ({}); next attempt in {} ms",
        m.id(),
        m.tenant(),
        m.attempt(),
        failure.code(),
        delay.toMillis());
    jdbc.sql(DispatchSql.RETRY)
        .param("next", Timestamp.from(next))
        .param("reason", "retrying after a transient failure: " + failure.message())
        .param("code", failure.code())
        .param("message", failure.message())
        .param("now", Timestamp.from(now))
        .param("tenant", m.tenant().value())
        .param("id", m.id())
        .param("node", settings.nodeId())
        .param("attempt", m.attempt())
        .update();
  }

  private void fail(
      JdbcClient jdbc,
      Claimed m,
      Instant now,
      String outcome,
      String code,
      String message,
      String reason) {
    log.info(
        "Message {} (tenant {}, to {}) failed after attempt {}: {}",
        m.id(),
        m.tenant(),
        Recipients.mask(m.recipient()),
        m.attempt(),
        code);
    jdbc.sql(DispatchSql.FAIL)
        .param("reason", reason)
        .param("code", code)
        .param("outcome", outcome)
        .param("message", message)
        .param("now", Timestamp.from(now))
        .param("tenant", m.tenant().value())
        .param("id", m.id())
        .param("node", settings.nodeId())
        .param("attempt", m.attempt())
        .update();
  }

  private String senderOf(TenantId tenant) {
    return companies
        .find(tenant)
        .map(Company::smsSenderName)
        .filter(name -> !name.isBlank())
        .orElse(settings.sms().defaultSender());
  }

  /** The 8-bit reference of a multi-part SMS: from the message id, so a re-submit reuses it. */
  static int concatenationReference(UUID id) {
    return (int) (id.getLeastSignificantBits() & 0xFF);
  }

  private Duration throttlePause(Channel channel) {
    String gateway = channel == Channel.SMS ? gateways.sms().name() : gateways.email().name();
    GatewayLimit limit = settings.limitOf(gateway);
    double tokens = Math.max(1, Math.min(settings.batchSize(), limit.effectiveBurst()));
    long nanos = (long) (1e9 * tokens / Math.max(limit.maxPerSecond(), 0.001));
    return Duration.ofNanos(Math.clamp(nanos, 2_000_000L, 1_000_000_000L));
  }

  private static Duration min(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; nothing was committed
    }
  }
}
