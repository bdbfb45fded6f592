package dev.herald.delivery.smpp;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.delivery.smpp.SmppSmsGateway.PartJob;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jsmpp.PDUException;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.SubmitSmResp;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bind (transceiver, transmitter or receiver): connects, binds, runs {@code window} senders
 * that each keep one submit_sm outstanding (so the SMSC sees up to {@code window} at once; a
 * receiver runs none), and when the session drops, waits and connects again (doubling the wait up
 * to {@code reconnect-max}).
 */
final class SmppBind {

  private static final Logger log = LoggerFactory.getLogger(SmppBind.class);

  /** ESME_RX_T_APPN: the SMSC should deliver the deliver_sm again later. */
  private static final int TEMPORARY_APP_ERROR = 0x64;

  private final SmppSmsGateway gateway;
  private final SmppSettings settings;
  private final int index;
  private final BindType type;
  private volatile WindowedSession session;
  private volatile Thread loop;

  /** Until when this bind sends nothing (the SMSC throttled it), in System.nanoTime(). */
  private volatile long pausedUntil;

  private volatile int throttleStreak;

  SmppBind(SmppSmsGateway gateway, int index, BindType type) {
    this.gateway = gateway;
    this.settings = gateway.settings();
    this.index = index;
    this.type = type;
  }

  boolean transmits() {
    return type != BindType.BIND_RX;
  }

  boolean receives() {
    return type != BindType.BIND_TX;
  }

  boolean isBound() {
    WindowedSession s = session;
    return s != null && s.getSessionState().isBound();
  }

  void start() {
    loop =
        Thread.ofVirtual()
            .name("herald-smpp-" + gateway.name() + "-" + index + "-" + type)
            .start(this::connectLoop);
  }

  void stop() {
    Thread t = loop;
    WindowedSession s = session;
    if (s != null) {
      try {
        // an SMSC that does not answer the unbind (or closes first: seen now and then with the
        // tests' SMSC) holds a stopping node for 2 s at most, not the response timeout
        s.setTransactionTimer(Math.min(settings.responseTimeout().toMillis(), 2_000));
        s.unbindAndClose();
      } catch (RuntimeException e) {
        s.close();
      }
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void connectLoop() {
    Duration wait = settings.reconnectMin();
    while (gateway.running()) {
      WindowedSession s = new WindowedSession(Math.max(1, settings.window()));
      CountDownLatch closed = new CountDownLatch(1);
      try {
        s.setEnquireLinkTimer((int) settings.enquireLink().toMillis());
        s.setTransactionTimer(settings.responseTimeout().toMillis());
        // Responses and deliver_sm are processed on this pool; a deliver_sm waits there for its
        // receipt to be stored, so it must not starve the submit_sm_resps behind it.
        s.setPduProcessorDegree(Math.max(4, Math.min(settings.window(), 32)));
        s.setQueueCapacity(Math.max(1000, settings.window() * 4));
        s.setMessageReceiverListener(new Receiver());
        s.addSessionStateListener((newState, oldState, source) -> {
          if (newState == SessionState.CLOSED) {
            closed.countDown();
          }
        });
        s.connectAndBind(
            settings.host(),
            settings.port(),
            new BindParameter(
                type,
                settings.systemId(),
                settings.password() == null ? "" : settings.password(),
                settings.systemType() == null ? "" : settings.systemType(),
                TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.UNKNOWN,
                null),
            settings.bindTimeout().toMillis());
      } catch (IOException | RuntimeException e) {
        s.close();
        if (!gateway.running()) {
          return;
        }
        log.warn(
            "SMPP gateway {} bind {}: cannot bind to {}:{} ({}); trying again in {} ms",
            gateway.name(),
            index,
            settings.host(),
            settings.port(),
            e.getMessage(),
            wait.toMillis());
        if (!sleep(wait)) {
          return;
        }
        wait = min(wait.multipliedBy(2), settings.reconnectMax());
        continue;
      }
      session = s;
      wait = settings.reconnectMin();
      log.info(
          "SMPP gateway {} bind {} ({}): bound to {}:{}",
          gateway.name(),
          index,
          type,
          settings.host(),
          settings.port());
      // A platform thread: the OS schedules it preemptively, beside the dispatch workers' virtual
      // threads (which hold a carrier for milliseconds while they read a claim).
      Thread writer =
          transmits()
              ? Thread.ofPlatform()
                  .daemon(true)
                  .name("herald-smpp-" + gateway.name() + "-" + index + "-writer")
                  .start(() -> write(s))
              : null;
      try {
        // Submits past their response timeout are swept here, not by the writer: a writer held in
        // a socket write must not hold back the timeouts.
        String timeout =
            "no submit_sm_resp within " + settings.responseTimeout().toMillis() + " ms";
        while (!closed.await(SWEEP_NANOS, TimeUnit.NANOSECONDS)) {
          s.expire(System.nanoTime(), "SMPP_TIMEOUT", timeout);
        }
      } catch (InterruptedException e) {
        s.close();
        Thread.currentThread().interrupt();
        return;
      } finally {
        // The writer first (it sees the session closed, or is interrupted): a part it is writing
        // now is then answered by its write's failure, as not sent. What the SMSC may have got
        // and did not answer is an unknown outcome, settled by receipts or by the gateway's window.
        if (writer != null) {
          writer.interrupt();
          boolean interrupted = Thread.interrupted(); // stopping: still wait for the writer
          try {
            writer.join(Duration.ofSeconds(2));
          } catch (InterruptedException e) {
            interrupted = true;
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        s.abandonAll("SMPP_NO_ANSWER", "the bind dropped before the SMSC answered");
        gateway.bindLost();
      }
      if (gateway.running()) {
        log.warn(
            "SMPP gateway {} bind {}: the session closed; binding again in {} ms",
            gateway.name(),
            index,
            wait.toMillis());
        if (!sleep(wait)) {
          return;
        }
      }
    }
  }

  /**
   * The bind's writer: takes a place in the window, then a part from the gateway's queue, and
   * writes its submit_sm; the answer comes back on jSMPP's reading side ({@link PartAnswer}) and
   * gives the place back. So the SMSC sees up to {@code window} submits outstanding, and no thread
   * waits on any one of them. (Submits with no answer within {@code response-timeout} are answered
   * as unknown outcomes by the bind's loop.)
   */
  private void write(WindowedSession s) {
    try {
      writeWhileBound(s);
    } catch (RuntimeException | Error e) {
      // a bind without its writer would look bound and send nothing: it is made again
      log.error(
          "SMPP gateway {} bind {}: the writer failed; closing the bind", gateway.name(), index, e);
      s.close();
      throw e;
    }
  }

  private void writeWhileBound(WindowedSession s) {
    long responseTimeout = settings.responseTimeout().toNanos();
    while (gateway.running() && s.getSessionState().isBound()) {
      long now = System.nanoTime();
      PartJob part;
      try {
        long pause = pausedUntil - now;
        if (pause > 0) {
          Thread.sleep(Duration.ofNanos(Math.min(pause, SWEEP_NANOS)));
          continue;
        }
        if (!s.window().tryAcquire(SWEEP_NANOS, TimeUnit.NANOSECONDS)) {
          continue;
        }
        part = gateway.queue().pollFirst(SWEEP_NANOS, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (part == null) {
        s.window().release();
        continue;
      }
      if (pausedUntil - System.nanoTime() > 0) {
        // throttled meanwhile (an answer to another submit): the part waits for the pause
        gateway.queue().addFirst(part);
        s.window().release();
        continue;
      }
      if (!part.job().mayWrite()) {
        s.window().release();
        part.job()
            .partDone(
                part.index(),
                new SubmitResult.TransientFailure("NOT_SENT", "the dispatcher stopped waiting"));
        continue;
      }
      if (!s.getSessionState().isBound()) {
        s.window().release();
        gateway.queue().addFirst(part); // another bind takes it
        return;
      }
      part.job().writing();
      PartAnswer answer = new PartAnswer(part, System.nanoTime() + responseTimeout);
      SubmitResult notWritten;
      try {
        s.submit(part, answer);
        continue;
      } catch (PDUException e) {
        notWritten =
            new SubmitResult.PermanentFailure("SMPP_INVALID_PDU", String.valueOf(e.getMessage()));
      } catch (IOException e) {
        // Thrown before or while writing, never after: the SMSC has not got a whole PDU.
        notWritten =
            new SubmitResult.TransientFailure("SMPP_BIND_LOST", String.valueOf(e.getMessage()));
      } catch (RuntimeException e) {
        notWritten = new SubmitResult.TransientFailure("SMPP_NOT_WRITTEN", String.valueOf(e));
      }
      part.job().partDone(part.index(), notWritten);
    }
  }

  /** How often the bind looks for submits past their response timeout. */
  private static final long SWEEP_NANOS = 100_000_000L;

  /** One part's submit_sm, answered once: by the SMSC, by its timeout, or by the bind's end. */
  private final class PartAnswer extends WindowedSession.Answer {

    private final PartJob part;

    PartAnswer(PartJob part, long deadline) {
      super(deadline);
      this.part = part;
    }

    @Override
    void answered(Command response) {
      part.job().partDone(part.index(), result(response));
    }

    @Override
    void invalid(String reason) {
      part.job().partDone(part.index(), new SubmitResult.Unknown("SMPP_INVALID_RESPONSE", reason));
    }

    @Override
    void unanswered(String code, String reason) {
      part.job().partDone(part.index(), new SubmitResult.Unknown(code, reason));
    }
  }

  private SubmitResult result(Command response) {
    int status = response.getCommandStatus();
    if (status != 0) {
      if (SmppErrors.isThrottling(status)) {
        throttled();
      }
      return SmppErrors.result(status);
    }
    if (throttleStreak != 0) {
      synchronized (this) {
        throttleStreak = 0;
      }
    }
    if (!(response instanceof SubmitSmResp resp)) {
      return new SubmitResult.Unknown(
          "SMPP_INVALID_RESPONSE", "a " + response.getClass().getSimpleName() + " to a submit_sm");
    }
    String id = gateway.canonicalId(resp.getMessageId());
    if (id == null) {
      return new SubmitResult.Unknown(
          "SMPP_NO_MESSAGE_ID", "the SMSC took the part but gave no message id");
    }
    return new SubmitResult.Accepted(List.of(id));
  }

  private void throttled() {
    long backoff;
    synchronized (this) {
      throttleStreak = Math.min(throttleStreak + 1, 5);
      backoff = settings.throttleBackoff().toNanos() << (throttleStreak - 1);
    }
    pausedUntil = Math.max(pausedUntil, System.nanoTime() + backoff);
    log.info(
        "SMPP gateway {} bind {}: throttled by the SMSC; pausing {} ms",
        gateway.name(),
        index,
        backoff / 1_000_000);
  }

  /** deliver_sm: a receipt or an inbound SMS, acknowledged once the inbox has stored it. */
  private final class Receiver implements MessageReceiverListener {

    @Override
    public void onAcceptDeliverSm(DeliverSm d) throws ProcessRequestException {
      DeliverSmReader.Fields f =
          new DeliverSmReader.Fields(
              d.getEsmClass(),
              d.getDataCoding(),
              d.getSourceAddrTon(),
              d.getSourceAddr(),
              d.getDestAddrTon(),
              d.getDestAddress(),
              d.getShortMessage(),
              d.getOptionalParameters());
      try {
        if (DeliverSmReader.isReceipt(f)) {
          DeliveryReceipt receipt =
              DeliverSmReader.receipt(
                  gateway.name(),
                  f,
                  settings.submitFormat(),
                  settings.receiptFormat(),
                  gateway.clock().instant());
          if (receipt == null) {
            log.warn(
                "SMPP gateway {} bind {}: a receipt without a message id; acknowledged and dropped",
                gateway.name(),
                index);
            return;
          }
          gateway.inbox().receipts(List.of(receipt)).get(10, TimeUnit.SECONDS);
        } else {
          InboundSms sms = DeliverSmReader.inbound(gateway.name(), f, gateway.clock().instant());
          gateway.inbox().inbound(List.of(sms)).get(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProcessRequestException("interrupted", TEMPORARY_APP_ERROR);
      } catch (Exception e) {
        log.warn(
            "SMPP gateway {} bind {}: could not store a deliver_sm ({}); the SMSC will resend it",
            gateway.name(),
            index,
            e.toString());
        throw new ProcessRequestException("not stored", TEMPORARY_APP_ERROR);
      }
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {}

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source)
        throws ProcessRequestException {
      throw new ProcessRequestException("data_sm is not supported", 0x03);
    }
  }

  private boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return gateway.running();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
