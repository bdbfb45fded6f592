package dev.herald.delivery.internal;

import dev.herald.delivery.Channel;
import dev.herald.delivery.gateway.EmailGateway;
import dev.herald.delivery.gateway.EmailSubmission;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SourceAddress;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.delivery.internal.DeliverySettings.GatewaySettings;
import dev.herald.smstext.SmsAnalysis;
import dev.herald.smstext.SmsTexts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch workers of this node: a lane per channel (SMS, e-mail), each with its own supervised
 * workers, so a stalled SMTP server never slows SMS, nor the other way round. A worker loops: take
 * rate-limit tokens (in parts), claim a batch ({@link DispatchStore#claim}), submit it outside any
 * transaction, record the outcomes in one transaction ({@link DispatchStore#record}). A worker that
 * dies of any Throwable is logged and started again with backoff; its claims lapse into unknown
 * outcomes.
 */
final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration RESTART_MAX = Duration.ofSeconds(30);

  /** How long a lane waits when every row it claimed waits for its routed gateway's tokens. */
  private static final Duration GATEWAY_PAUSE = Duration.ofMillis(25);

  enum Outcome {
    /** Claimed something: there may be more. */
    MORE,
    /** Claimed nothing: the queue is drained for now. */
    DRAINED,
    /** No rate-limit tokens left this instant. */
    THROTTLED,
    /** Work is due, but only from senders with no token left this instant. */
    SENDERS_THROTTLED,
    /** Work is due, but only for routed gateways with no token left this instant. */
    GATEWAYS_THROTTLED,
    /** This node's clock differs from the database's too much: no claim until it agrees. */
    CLOCK_OFF
  }

  /** One channel's workers, their liveness and their gateway. */
  final class Lane {
    final Channel channel;
    final String gateway;
    final int size;
    final AtomicInteger alive = new AtomicInteger();
    final AtomicInteger busy = new AtomicInteger();

    /** Where the lane's next claim starts in the round robin over companies. */
    final AtomicReference<java.util.UUID> cursor = new AtomicReference<>(new java.util.UUID(0, 0));

    final List<Thread> threads = new ArrayList<>();

    Lane(Channel channel, String gateway, int size) {
      this.channel = channel;
      this.gateway = gateway;
      this.size = size;
    }

    GatewaySettings settings() {
      return settings.gateway(gateway);
    }
  }

  private final DispatchStore store;
  private final RateLimiter rateLimiter;
  private final DeliverySettings settings;
  private final Gateways gateways;
  private final Clock clock;
  private final WorkSignal signal;
  private final DispatchMetrics metrics;
  private final ClockCheck clockCheck;
  private final Map<Channel, Lane> lanes = new EnumMap<>(Channel.class);
  private volatile boolean running;
  private volatile GatewayRoutes routes;

  /** Retries this node scheduled: an idle worker looks again when one is due. */
  private final ConcurrentSkipListSet<Instant> retries = new ConcurrentSkipListSet<>();

  Dispatcher(
      DispatchStore store,
      RateLimiter rateLimiter,
      DeliverySettings settings,
      Gateways gateways,
      Clock clock,
      WorkSignal signal,
      DispatchMetrics metrics,
      ClockCheck clockCheck) {
    this.store = store;
    this.rateLimiter = rateLimiter;
    this.settings = settings;
    this.gateways = gateways;
    this.clock = clock;
    this.signal = signal;
    this.metrics = metrics;
    this.clockCheck = clockCheck;
    lanes.put(Channel.SMS, new Lane(Channel.SMS, gateways.sms().name(), settings.smsWorkers()));
    lanes.put(
        Channel.EMAIL, new Lane(Channel.EMAIL, gateways.email().name(), settings.emailWorkers()));
  }

  /** SMS go by the gateways these routes choose, which hear how each submit went (G2). */
  void routeWith(GatewayRoutes routes, GatewayLimits limits) {
    this.routes = routes;
    store.routeSmsWith(routes, limits);
  }

  synchronized void start() {
    running = true;
    for (Lane lane : lanes.values()) {
      for (int i = 0; i < lane.size; i++) {
        int index = i;
        lane.threads.add(
            Thread.ofVirtual()
                .name("herald-dispatch-" + lane.channel.code() + "-" + i)
                .start(() -> supervise(lane, index)));
      }
    }
    log.info(
        "Delivery: {} SMS worker(s) through {}, {} e-mail worker(s) through {}, on node {}",
        lanes.get(Channel.SMS).size,
        gateways.sms().name(),
        lanes.get(Channel.EMAIL).size,
        gateways.email().name(),
        settings.nodeId());
  }

  /**
   * Lets every worker finish the batch in hand (submit and record) within the submit timeout and a
   * little more, then interrupts what is left: its claims lapse into unknown outcomes.
   */
  synchronized void stop() throws InterruptedException {
    running = false;
    signal.wakeAll();
    long deadline = System.nanoTime() + settings.submitTimeout().plusSeconds(2).toNanos();
    for (Lane lane : lanes.values()) {
      for (Thread worker : lane.threads) {
        worker.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
    }
    for (Lane lane : lanes.values()) {
      for (Thread worker : lane.threads) {
        if (worker.isAlive()) {
          log.warn("Dispatch worker {} still busy at shutdown; interrupting it", worker.getName());
          worker.interrupt();
          worker.join(Duration.ofSeconds(1));
        }
      }
      lane.threads.clear();
    }
  }

  boolean isRunning() {
    return running;
  }

  /** Workers of each channel that are alive now (not dead and waiting for their restart). */
  Map<Channel, Integer> aliveWorkers() {
    Map<Channel, Integer> alive = new EnumMap<>(Channel.class);
    lanes.forEach((channel, lane) -> alive.put(channel, lane.alive.get()));
    return alive;
  }

  /**
   * Whether a worker of this channel is in a cycle now, so it will look again without a wake-up.
   */
  boolean anyBusy(Channel channel) {
    return running && lanes.get(channel).busy.get() > 0;
  }

  Lane lane(Channel channel) {
    return lanes.get(channel);
  }

  /** Runs the worker's loop, and again after a backoff when it dies of anything at all. */
  private void supervise(Lane lane, int index) {
    Duration restart = settings.workerRestart();
    while (running) {
      long started = System.nanoTime();
      lane.alive.incrementAndGet();
      try {
        work(lane);
        return; // stopped
      } catch (Throwable t) {
        if (!running) {
          // stopping: what it held lapses into unknown outcomes; say why
          log.warn("Dispatch worker {}-{} failed while stopping", lane.channel.code(), index, t);
          return;
        }
        metrics.workerDied(lane.channel);
        log.error(
            "Dispatch worker {}-{} died; restarting it in {} ms",
            lane.channel.code(),
            index,
            restart.toMillis(),
            t);
      } finally {
        lane.alive.decrementAndGet();
      }
      if (System.nanoTime() - started > Duration.ofMinutes(1).toNanos()) {
        restart = settings.workerRestart(); // it had been healthy for a while
      }
      // Not the work signal: an enqueue must not cut the backoff short; but stop() must.
      long until = System.nanoTime() + restart.toNanos();
      while (running && System.nanoTime() < until) {
        try {
          Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      restart =
          restart.multipliedBy(2).compareTo(RESTART_MAX) > 0
              ? RESTART_MAX
              : restart.multipliedBy(2);
    }
  }

  /**
   * A worker's loop, pipelined: it claims and hands over the next batch while the gateway still
   * works on the one before, and records that one only then. So the gateway's window is not left
   * empty while the worker waits for the database (claim, record), and the worker still uses one
   * connection at a time. A worker has at most two batches in hand; each is waited for from its own
   * hand-over ({@code submit-timeout}) and recorded within its lease.
   */
  private void work(Lane lane) throws InterruptedException {
    long seen = signal.generation();
    InFlight inFlight = null;
    try {
      while (running) {
        Duration pause = null;
        boolean more = false;
        lane.busy.incrementAndGet();
        try {
          Started next = null;
          RuntimeException failure = null;
          try {
            next = start(lane);
          } catch (RuntimeException e) {
            failure = e;
          }
          if (inFlight != null) {
            InFlight done = inFlight;
            inFlight = null;
            try {
              finish(lane, done);
            } catch (RuntimeException e) {
              if (failure == null) {
                failure = e;
              } else {
                failure.addSuppressed(e);
              }
            }
          }
          if (next != null) {
            inFlight = next.batch();
          }
          if (failure != null) {
            throw failure;
          }
          Outcome outcome = next.outcome();
          more = outcome == Outcome.MORE;
          if (outcome == Outcome.THROTTLED) {
            pause = throttlePause(lane);
          } else if (outcome == Outcome.GATEWAYS_THROTTLED) {
            pause = GATEWAY_PAUSE;
          } else if (outcome == Outcome.SENDERS_THROTTLED) {
            pause = senderPause(lane);
          } else if (outcome == Outcome.CLOCK_OFF) {
            pause = ClockCheck.RECHECK;
          }
        } catch (RuntimeException e) {
          // The database went away, a statement failed: look again shortly. Errors kill the worker.
          log.warn("Dispatch worker ({}): {}", lane.channel.code(), e.toString());
          pause = Duration.ofSeconds(1);
        } finally {
          lane.busy.decrementAndGet();
        }
        if (!running) {
          return;
        }
        if (inFlight != null && !more) {
          // Nothing more to claim now: the batch in hand is recorded before the worker waits.
          InFlight done = inFlight;
          inFlight = null;
          try {
            finish(lane, done);
          } catch (RuntimeException e) {
            log.warn("Dispatch worker ({}): {}", lane.channel.code(), e.toString());
            pause = pause == null ? Duration.ofSeconds(1) : pause;
          }
        }
        if (pause != null) {
          signal.pause(pause);
        } else if (!more) {
          seen = signal.await(seen, idleWait());
        }
      }
    } finally {
      if (inFlight != null) {
        // stopping: the batch in hand is waited for and recorded (stop() allows for it)
        finish(lane, inFlight);
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

  /** A batch handed to its gateway: the answers to wait for, until {@code deadline}. */
  private record InFlight(
      DispatchStore.Claim claim,
      List<CompletableFuture<SubmitResult>> answers,
      long started,
      long deadline,
      java.util.concurrent.atomic.AtomicLong answeredAt) {}

  /** What one claim gave: its outcome, and the batch handed to the gateway (null when none). */
  private record Started(Outcome outcome, InFlight batch) {}

  /** One claim, submit and record for one lane; none while this node's clock is off. */
  Outcome cycle(Lane lane) throws InterruptedException {
    Started started = start(lane);
    if (started.batch() != null) {
      finish(lane, started.batch());
    }
    return started.outcome();
  }

  /** Takes tokens, claims a batch and hands it to the gateway, without waiting for answers. */
  private Started start(Lane lane) {
    if (clockCheck.beforeClaim().isPresent()) {
      return new Started(Outcome.CLOCK_OFF, null);
    }
    GatewaySettings gateway = lane.settings();
    GatewayRoutes r = routes;
    // Routed SMS take tokens from each routed gateway's own bucket inside the claim; the claim is
    // only kept within what those buckets could give now.
    boolean routed = lane.channel == Channel.SMS && r != null;
    int granted =
        routed
            ? Math.min(settings.batchSize(), rateLimiter.available(r.liveLimits()))
            : rateLimiter.take(lane.gateway, gateway, settings.batchSize());
    if (granted == 0) {
      return new Started(Outcome.THROTTLED, null);
    }
    DispatchStore.Claim claim;
    try {
      claim = store.claim(lane.channel, lane.gateway, gateway, granted, lane.cursor);
    } catch (RuntimeException e) {
      if (!routed) {
        rateLimiter.settle(lane.gateway, gateway, granted, 0);
      }
      throw e;
    }
    // From here on the claim's rows are leased to this node: whatever fails before a row is handed
    // to its gateway, that row is recorded as not sent (a transient failure, retried by the
    // backoff), never left to lapse into an unknown outcome.
    long handedOver = System.nanoTime();
    List<CompletableFuture<SubmitResult>> answers = new ArrayList<>(claim.toSubmit().size());
    try {
      if (!routed) {
        rateLimiter.settle(lane.gateway, gateway, granted, claim.partsUsed());
      }
      metrics.claimed(lane.gateway, claim);
      if (claim.senderWaitUntil() != null) {
        retries.add(claim.senderWaitUntil()); // rows put back for their sender's turn
      }
      if (claim.isEmpty()) {
        return new Started(Outcome.DRAINED, null);
      }
      if (claim.onlySenderWaits()) {
        return new Started(Outcome.SENDERS_THROTTLED, null);
      }
      if (claim.onlyGatewayWaits()) {
        return new Started(Outcome.GATEWAYS_THROTTLED, null);
      }
      if (claim.toSubmit().isEmpty()) {
        return new Started(Outcome.MORE, null);
      }
      if (lane.channel == Channel.SMS && !claim.routes().isEmpty()) {
        claim = withoutGatewaysNotRun(claim);
        if (claim.toSubmit().isEmpty()) {
          return new Started(Outcome.GATEWAYS_THROTTLED, null);
        }
      }
      handedOver = System.nanoTime();
      if (lane.channel == Channel.SMS) {
        handOverSms(claim, answers);
      } else {
        handOverEmail(claim.toSubmit(), answers);
      }
    } catch (RuntimeException e) {
      if (claim.toSubmit().isEmpty()) {
        throw e; // nothing leased to submit: the claim's other decisions are committed
      }
      log.warn(
          "Dispatch ({}): handing over a batch of {} failed after {} were handed over; the rest"
              + " is recorded as not sent",
          lane.channel.code(),
          claim.toSubmit().size(),
          answers.size(),
          e);
      while (answers.size() < claim.toSubmit().size()) {
        answers.add(notHandedOver(e));
      }
    }
    java.util.concurrent.atomic.AtomicLong answeredAt =
        new java.util.concurrent.atomic.AtomicLong();
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .whenComplete((ignored, failure) -> answeredAt.set(System.nanoTime()));
    return new Started(
        Outcome.MORE,
        new InFlight(
            claim,
            answers,
            handedOver,
            handedOver + settings.submitTimeout().toNanos(),
            answeredAt));
  }

  /**
   * Puts back, as they were before the claim, the rows routed to a gateway this node does not run
   * (a console gateway removed while routing here still took it: a narrow race with the console's
   * refresh); they are routed again by a later claim, never sent through another gateway in its
   * place. Returns the claim without them.
   */
  private DispatchStore.Claim withoutGatewaysNotRun(DispatchStore.Claim claim) {
    List<Integer> notRun = new ArrayList<>();
    for (int i = 0; i < claim.routes().size(); i++) {
      DispatchStore.Route route = claim.routes().get(i);
      if (route.decided() == null && gateways.sms(route.gateway()).isEmpty()) {
        notRun.add(i);
      }
    }
    if (notRun.isEmpty()) {
      return claim;
    }
    List<DispatchStore.Claimed> rows = notRun.stream().map(claim.toSubmit()::get).toList();
    int putBack = store.putBackUnsent(claim, rows);
    GatewayRoutes r = routes;
    for (int i : notRun) {
      DispatchStore.Route route = claim.routes().get(i);
      if (route.permitted() && r != null) {
        r.unrouted(route);
      }
    }
    log.warn(
        "Dispatch (sms): {} message(s) routed to {}, which this node does not run (removed on the"
            + " console meanwhile?); {} put back to be routed again",
        rows.size(),
        notRun.stream().map(i -> claim.routes().get(i).gateway()).distinct().toList(),
        putBack);
    return claim.without(new java.util.HashSet<>(notRun));
  }

  /** Waits for a batch's answers (until its deadline) and records them. */
  private void finish(Lane lane, InFlight batch) throws InterruptedException {
    DispatchStore.Claim claim = batch.claim();
    List<SubmitResult> results = awaitAll(batch.answers(), batch.deadline());
    if (lane.channel == Channel.SMS) {
      long answered = batch.answeredAt().get();
      long nanos = (answered == 0 ? System.nanoTime() : answered) - batch.started();
      GatewayRoutes r = routes;
      if (r != null && !claim.routes().isEmpty()) {
        results = r.answered(claim.routes(), results, nanos);
      }
    }
    DispatchStore.Recorded recorded = store.record(claim, results, lane.settings());
    recorded.retryTimes().forEach(retries::add);
    metrics.recorded(lane.gateway, results, recorded);
  }

  /**
   * Hands every SMS of the batch to its gateway, adding each one's answer to come to {@code
   * answers} in the batch's order. A message that cannot be made ready (its source address, its
   * parts) is answered "not handed over" and the others go on.
   */
  private void handOverSms(
      DispatchStore.Claim claim, List<CompletableFuture<SubmitResult>> answers) {
    List<DispatchStore.Claimed> claimed = claim.toSubmit();
    java.util.Set<SmsGateway> used = new java.util.LinkedHashSet<>();
    for (int i = 0; i < claimed.size(); i++) {
      DispatchStore.Claimed m = claimed.get(i);
      DispatchStore.Route route = claim.routes().isEmpty() ? null : claim.routes().get(i);
      if (route != null && route.decided() != null) {
        answers.add(CompletableFuture.completedFuture(route.decided()));
        continue;
      }
      SmsGateway gateway;
      SmsSubmission submission;
      try {
        gateway =
            route == null
                ? gateways.sms()
                : gateways
                    .sms(route.gateway())
                    .orElseThrow(() ->
                        new IllegalStateException(
                            "this node does not run the gateway " + route.gateway()));
        // the address its sender's tokens were taken for, else chosen now (a number may be tied to
        // one gateway: chosen for this one)
        SourceAddress source = claim.sources().get(m.id());
        if (source == null) {
          source = SenderAddresses.of(m, gateway.name());
        }
        SmsAnalysis analysis = SmsTexts.analyze(m.body(), false);
        submission =
            new SmsSubmission(
                m.tenant(),
                m.id(),
                m.attempt(),
                source.address(),
                m.recipient(),
                analysis.text(),
                analysis.encoding(),
                analysis.parts(),
                concatenationReference(m.id()),
                m.validUntil(),
                source);
      } catch (RuntimeException e) {
        log.warn("Dispatch (sms): message {} not handed over: {}", m.id(), e.toString());
        answers.add(notHandedOver(e));
        continue;
      }
      used.add(gateway);
      try {
        answers.add(gateway.submit(submission));
      } catch (RuntimeException e) {
        answers.add(refusedAtHandOver(e));
      }
    }
    for (SmsGateway g : used) {
      try {
        g.flush();
      } catch (RuntimeException e) {
        // what it holds is answered, or times out into an unknown outcome (it may have gone)
        log.warn("Dispatch (sms): flushing {} failed: {}", g.name(), e.toString());
      }
    }
  }

  /**
   * Hands every e-mail of the batch to the e-mail gateway, adding each one's answer to come to
   * {@code answers}. When the batch's attachments cannot be read together, each message's are read
   * alone, and a message whose attachments cannot be read is answered "not handed over".
   */
  private void handOverEmail(
      List<DispatchStore.Claimed> claimed, List<CompletableFuture<SubmitResult>> answers) {
    EmailGateway gateway = gateways.email();
    Map<java.util.UUID, List<dev.herald.delivery.OutboundAttachment>> attachments;
    try {
      attachments = store.attachments(claimed);
    } catch (RuntimeException e) {
      log.warn(
          "Dispatch (email): reading the attachments of a batch of {} failed ({}); reading each"
              + " message's alone",
          claimed.size(),
          e.toString());
      attachments = null;
    }
    for (DispatchStore.Claimed m : claimed) {
      List<dev.herald.delivery.OutboundAttachment> files;
      try {
        files =
            (attachments != null ? attachments : store.attachments(List.of(m)))
                .getOrDefault(m.id(), List.of());
      } catch (RuntimeException e) {
        log.warn("Dispatch (email): message {} not handed over: {}", m.id(), e.toString());
        answers.add(notHandedOver(e));
        continue;
      }
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
                    m.body(),
                    files)));
      } catch (RuntimeException e) {
        answers.add(refusedAtHandOver(e));
      }
    }
  }

  /**
   * The error code of a message that was claimed but never reached its gateway (its hand-over
   * failed before): not sent, retried by the backoff; not counted against the gateway.
   */
  static final String NOT_HANDED_OVER = "NOT_HANDED_OVER";

  /** A message its gateway never got: it was not sent, and is tried again later. */
  private static CompletableFuture<SubmitResult> notHandedOver(RuntimeException e) {
    return CompletableFuture.completedFuture(
        new SubmitResult.TransientFailure(
            NOT_HANDED_OVER, "not handed to the gateway: " + e.toString()));
  }

  /** A gateway that threw instead of taking the message did not take it: try again later. */
  private static CompletableFuture<SubmitResult> refusedAtHandOver(RuntimeException e) {
    return CompletableFuture.completedFuture(
        new SubmitResult.TransientFailure("GATEWAY_ERROR", e.toString()));
  }

  /**
   * Waits for every answer until the submit timeout, counted from the batch's hand-over: a missing
   * answer is an unknown outcome (the gateway may have the message), never a failure to retry at
   * once.
   */
  private List<SubmitResult> awaitAll(List<CompletableFuture<SubmitResult>> answers, long deadline)
      throws InterruptedException {
    // One wait for the whole batch (one wake-up), not one per answer still to come; then each is
    // read, those without an answer at the deadline as unknown outcomes.
    try {
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
      // some answer is missing or failed: each is looked at below
    }
    List<SubmitResult> results = new ArrayList<>(answers.size());
    for (CompletableFuture<SubmitResult> answer : answers) {
      SubmitResult result;
      try {
        result = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // A gateway that has not started on it yet must not send it after we gave up waiting.
        answer.cancel(false);
        result =
            new SubmitResult.Unknown(
                "TIMEOUT",
                "no answer from the gateway within " + settings.submitTimeout().toMillis() + " ms");
      } catch (ExecutionException e) {
        result = new SubmitResult.Unknown("GATEWAY_ERROR", String.valueOf(e.getCause()));
      } catch (java.util.concurrent.CancellationException e) {
        result = new SubmitResult.Unknown("CANCELLED", "the gateway dropped the submission");
      }
      results.add(result == null ? new SubmitResult.Unknown("GATEWAY_ERROR", "no answer") : result);
    }
    return results;
  }

  /** The 8-bit reference of a multi-part SMS: from the message id, so a re-submit reuses it. */
  static int concatenationReference(java.util.UUID id) {
    return (int) (id.getLeastSignificantBits() & 0xFF);
  }

  private Duration senderPause(Lane lane) {
    long nanos = (long) (1e9 / Math.max(lane.settings().senderRate(), 0.001));
    // routed gateways have senders' limits of their own: the next row put back is due then
    Instant now = clock.instant();
    Instant next = retries.ceiling(now);
    if (next != null) {
      nanos = Math.min(nanos, Duration.between(now, next).toNanos());
    }
    return Duration.ofNanos(Math.clamp(nanos, 2_000_000L, 1_000_000_000L));
  }

  private Duration throttlePause(Lane lane) {
    GatewaySettings limit = lane.settings();
    double tokens = Math.max(1, Math.min(settings.batchSize(), limit.effectiveBurst()));
    long nanos = (long) (1e9 * tokens / Math.max(limit.maxPerSecond(), 0.001));
    return Duration.ofNanos(Math.clamp(nanos, 2_000_000L, 1_000_000_000L));
  }

  private static Duration min(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }
}
