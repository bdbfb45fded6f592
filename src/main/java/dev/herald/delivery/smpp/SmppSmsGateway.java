package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.GatewayInbox;
import dev.herald.delivery.gateway.GatewayMessageIds;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.shared.PhoneNumber;
import dev.herald.smstext.SmsPart;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMPP 3.4 gateway: several transceiver binds to one SMSC, each with a window of submit_sm
 * outstanding at once, sharing one queue of parts. A multi-part message goes as one submit_sm per
 * part with the concatenation UDH (a reference unique per recipient while its parts are in flight);
 * its answer is Accepted with each part's id once every part is taken. Receipts and inbound SMS
 * that arrive on any bind go to the {@link GatewayInbox}, which stores them before the deliver_sm
 * is acknowledged.
 *
 * <p>Outcomes: a negative submit_sm_resp is a transient or permanent failure ({@link SmppErrors});
 * ESME_RTHROTTLED and ESME_RMSGQFUL also pause the bind that got them; no answer within {@code
 * response-timeout} is an unknown outcome; a bind that cannot take a part it has not written hands
 * it back to the queue. An answer that comes after the dispatcher stopped waiting still settles the
 * message ({@link GatewayInbox#lateAccepted}).
 */
public final class SmppSmsGateway implements SmsGateway, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmppSmsGateway.class);

  private final String name;
  private final SmppSettings settings;
  private final GatewayInbox inbox;
  private final Clock clock;
  private final byte gsmCoding;
  private final String validityMode;
  private final LinkedBlockingDeque<PartJob> queue = new LinkedBlockingDeque<>();
  private final ConcatenationReferences references = new ConcatenationReferences();
  private final List<SmppBind> binds = new ArrayList<>();
  private volatile boolean running;

  SmppSmsGateway(String name, SmppSettings settings, GatewayInbox inbox, Clock clock) {
    this.name = name;
    this.settings = settings.validated(name);
    this.inbox = inbox;
    this.clock = clock;
    this.gsmCoding = settings.gsmCoding(name);
    this.validityMode = settings.validityMode(name);
    boolean split = settings.splitBinds(name);
    for (int i = 0; i < settings.binds(); i++) {
      if (split) {
        binds.add(new SmppBind(this, i, BindType.BIND_TX));
        binds.add(new SmppBind(this, i, BindType.BIND_RX));
      } else {
        binds.add(new SmppBind(this, i, BindType.BIND_TRX));
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  SmppSettings settings() {
    return settings;
  }

  GatewayInbox inbox() {
    return inbox;
  }

  Clock clock() {
    return clock;
  }

  boolean running() {
    return running;
  }

  LinkedBlockingDeque<PartJob> queue() {
    return queue;
  }

  /** Connects every bind (in the background; each reconnects with backoff when it drops). */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    binds.forEach(SmppBind::start);
    log.info(
        "SMPP gateway {}: {} bind(s) ({}) to {}:{} as {}, window {}",
        name,
        settings.binds(),
        settings.bindMode(),
        settings.host(),
        settings.port(),
        settings.systemId(),
        settings.window());
  }

  /** Unbinds; parts not yet written are answered as transient failures (not sent). */
  @Override
  public synchronized void close() {
    running = false;
    binds.forEach(SmppBind::stop);
    failQueued("GATEWAY_STOPPED", "the SMPP gateway stopped before it sent this");
  }

  /** Binds up now that can take submits (transceivers, or transmitters). */
  public int boundBinds() {
    return (int) binds.stream().filter(b -> b.transmits() && b.isBound()).count();
  }

  /** Binds up now that hear receipts and inbound SMS (transceivers, or receivers). */
  public int boundReceivers() {
    return (int) binds.stream().filter(b -> b.receives() && b.isBound()).count();
  }

  @Override
  public CompletableFuture<SubmitResult> submit(SmsSubmission submission) {
    if (!running || boundBinds() == 0) {
      return CompletableFuture.completedFuture(
          new SubmitResult.TransientFailure("NO_BIND", "no bind to the SMSC is up"));
    }
    List<SmsPart> parts = submission.parts();
    int total = parts.size();
    int reference =
        total > 1 ? references.acquire(submission.to(), submission.reference() & 0xFF) : -1;
    MessageJob job = new MessageJob(submission, total, reference);
    Instant now = clock.instant();
    String validity = SmppPayloads.validityPeriod(submission.validUntil(), now, validityMode);
    SmppAddresses source = SmppAddresses.source(submission.source());
    SmppAddresses destination = SmppAddresses.destination(submission.to());
    for (int i = 0; i < total; i++) {
      SmsPart part = parts.get(i);
      byte dataCoding = SmppPayloads.dataCoding(part.encoding(), gsmCoding);
      queue.add(
          new PartJob(
              job,
              i,
              source.address(),
              source.ton(),
              source.npi(),
              destination.address(),
              destination.ton(),
              destination.npi(),
              total > 1 ? SmppPayloads.ESM_CLASS_UDHI : 0,
              dataCoding,
              SmppPayloads.shortMessage(part, dataCoding, reference, total, i + 1),
              validity,
              settings.receipts() ? (byte) 0x01 : (byte) 0x00));
    }
    return job.answer;
  }

  /** Called by a bind whose session closed: when no bind is left, nothing queued can go now. */
  void bindLost() {
    if (boundBinds() == 0) {
      failQueued("NO_BIND", "every bind to the SMSC dropped before this was sent");
    }
  }

  private void failQueued(String code, String text) {
    for (PartJob p; (p = queue.pollFirst()) != null; ) {
      p.job().partDone(p.index(), new SubmitResult.TransientFailure(code, text));
    }
  }

  String canonicalId(String raw) {
    return GatewayMessageIds.canonical(raw, settings.submitFormat());
  }

  /** One part on its way: the submit_sm fields, ready. */
  record PartJob(
      MessageJob job,
      int index,
      String source,
      TypeOfNumber sourceTon,
      NumberingPlanIndicator sourceNpi,
      String destination,
      TypeOfNumber destinationTon,
      NumberingPlanIndicator destinationNpi,
      byte esmClass,
      byte dataCoding,
      byte[] shortMessage,
      String validityPeriod,
      byte registeredDelivery) {}

  /** One message: its parts' answers, joined into the dispatcher's one answer. */
  final class MessageJob {
    final SmsSubmission submission;
    final CompletableFuture<SubmitResult> answer = new CompletableFuture<>();
    private final AtomicReferenceArray<SubmitResult> results;
    private final AtomicInteger remaining;
    private final AtomicBoolean written = new AtomicBoolean();
    private final int reference;

    MessageJob(SmsSubmission submission, int parts, int reference) {
      this.submission = submission;
      this.results = new AtomicReferenceArray<>(parts);
      this.remaining = new AtomicInteger(parts);
      this.reference = reference;
    }

    /**
     * Whether a part may still be written: not when the dispatcher gave up on the message before
     * any part of it went out (it is then an unknown outcome that was in fact never sent); once a
     * part went, the others follow so that the handset gets the whole message.
     */
    boolean mayWrite() {
      return written.get() || !answer.isDone();
    }

    void writing() {
      written.set(true);
    }

    void partDone(int index, SubmitResult result) {
      if (!results.compareAndSet(index, null, result)) {
        return;
      }
      if (remaining.decrementAndGet() == 0) {
        finish();
      }
    }

    private void finish() {
      if (reference >= 0) {
        references.release(submission.to(), reference);
      }
      SubmitResult joined = joined();
      if (!answer.complete(joined) && joined instanceof SubmitResult.Accepted accepted) {
        log.info(
            "SMPP gateway {}: message {} accepted after the dispatcher stopped waiting; settling it",
            name,
            submission.messageId());
        try {
          inbox.lateAccepted(name, submission, accepted.gatewayMessageIds());
        } catch (RuntimeException e) {
          log.warn(
              "SMPP gateway {}: could not record the late answer of message {}: {}",
              name,
              submission.messageId(),
              e.toString());
        }
      }
    }

    /**
     * All parts taken: Accepted with their ids. Else the worst: a part refused for good fails the
     * message; a part with no answer makes it unknown; a part not taken now makes it a transient
     * failure (all of it is sent again later; a part the carrier already took then arrives twice,
     * and the handset joins them by reference).
     */
    private SubmitResult joined() {
      List<String> ids = new ArrayList<>(results.length());
      SubmitResult unknown = null;
      SubmitResult transientFailure = null;
      for (int i = 0; i < results.length(); i++) {
        switch (results.get(i)) {
          case SubmitResult.PermanentFailure p -> {
            return p;
          }
          case SubmitResult.Unknown u -> unknown = unknown == null ? u : unknown;
          case SubmitResult.TransientFailure t ->
              transientFailure = transientFailure == null ? t : transientFailure;
          case SubmitResult.Accepted a -> ids.addAll(a.gatewayMessageIds());
        }
      }
      if (unknown != null) {
        return unknown;
      }
      if (transientFailure != null) {
        return transientFailure;
      }
      return new SubmitResult.Accepted(ids);
    }

    @Override
    public String toString() {
      return "message " + submission.messageId() + " to " + PhoneNumber.mask(submission.to());
    }
  }
}
