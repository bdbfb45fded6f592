package dev.herald.delivery.smpp;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.jsmpp.PDUException;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.extra.PendingResponse;
import org.jsmpp.session.SMPPSession;

/**
 * A jSMPP client session that keeps up to {@code window} submit_sm outstanding without a thread
 * waiting on each: a submit is written with a sequence number of the session's own series, and its
 * answer is handed to the {@link Answer} registered under that number, on the thread that read it.
 * jSMPP's own requests (bind, enquire_link, unbind) keep jSMPP's synchronous path.
 *
 * <p>How it hooks in: jSMPP looks a response's request up with {@code removePendingResponse} (by
 * sequence number) and completes what it returns with {@code done} (a response, positive or
 * negative) or {@code doneWithInvalidResponse} (a generic_nack). This session answers that look-up
 * from its own table first. Whoever removes an entry from the table completes it, once: the
 * response, the response timeout ({@link #expire}) or the end of the session ({@link #abandonAll}).
 *
 * <p>With jSMPP's synchronous submit (issue 12's first gateway) each outstanding submit was a
 * thread parked until its answer came: a window of 50 was 50 threads, each woken once per SMS. On
 * the two cores of the SMPP benchmark that switching was the largest single cost of the JVM.
 */
final class WindowedSession extends SMPPSession {

  /** What becomes of one submit_sm: completed once, on the thread that settles it. */
  abstract static class Answer extends PendingResponse<Command> {

    final long deadline;
    private final java.util.concurrent.atomic.AtomicBoolean completed =
        new java.util.concurrent.atomic.AtomicBoolean();
    private WindowedSession session;
    private int sequence;

    /** {@code deadline}: in System.nanoTime(), when no answer makes it an unknown outcome. */
    Answer(long deadline) {
      super(0);
      this.deadline = deadline;
    }

    /** The SMSC answered with this response (a submit_sm_resp; its status may be an error). */
    abstract void answered(Command response);

    /** A generic_nack, or a response jSMPP could not read. */
    abstract void invalid(String reason);

    /** No answer: the response timeout passed, or the session ended first. */
    abstract void unanswered(String code, String reason);

    @Override
    public final void done(Command response) {
      complete(() -> answered(response));
    }

    @Override
    public final void doneWithInvalidResponse(org.jsmpp.InvalidResponseException e) {
      complete(() -> invalid(String.valueOf(e.getMessage())));
    }

    void end(String code, String reason) {
      complete(() -> unanswered(code, reason));
    }

    /**
     * Completes this answer once, whoever comes first (the response, the timeout, the session's
     * end): it leaves the session's table, then is taken in, then gives its window place back, so
     * that a pause it asks for (a throttling answer) holds before the next submit takes the place.
     * When taking it in throws, the part is answered as an unknown outcome all the same.
     */
    private void complete(Runnable takeIn) {
      if (!completed.compareAndSet(false, true)) {
        return;
      }
      session.outstanding.remove(sequence, this);
      try {
        takeIn.run();
      } catch (RuntimeException e) {
        unanswered("SMPP_INVALID_RESPONSE", "the answer could not be taken in: " + e);
      } finally {
        session.window.release();
      }
    }
  }

  private final Map<Integer, Answer> outstanding = new ConcurrentHashMap<>();
  private final Semaphore window;

  WindowedSession(int window) {
    this.window = new Semaphore(window);
  }

  /** The window's free places: one is taken before each submit and given back by its answer. */
  Semaphore window() {
    return window;
  }

  /**
   * jSMPP's look-up of a response's request. Ours stay in the table until they are completed (by
   * {@code done}, or by the timeout when jSMPP could not read the response and never calls it: it
   * then logs, answers generic_nack, and completes nothing).
   */
  @Override
  protected PendingResponse<Command> removePendingResponse(int sequenceNumber) {
    Answer mine = outstanding.get(sequenceNumber);
    if (mine != null) {
      return mine;
    }
    return super.removePendingResponse(sequenceNumber);
  }

  /**
   * Writes one submit_sm (the caller holds a place of the window) whose answer goes to {@code
   * answer}. Throws, with the answer unregistered and the place given back, when the session cannot
   * send (IOException: not bound, or the write failed, so the SMSC has no whole PDU; jSMPP then
   * closes the session as its own submit does) or the PDU cannot be composed.
   */
  void submit(SmppSmsGateway.PartJob p, Answer answer) throws IOException, PDUException {
    int sequence = sequence().nextValue();
    answer.sequence = sequence;
    answer.session = this;
    outstanding.put(sequence, answer);
    try {
      ensureTransmittable("submit_sm");
      pduSender()
          .sendSubmitSm(
              connection().getOutputStream(),
              sequence,
              "",
              p.sourceTon(),
              p.sourceNpi(),
              p.source(),
              p.destinationTon(),
              p.destinationNpi(),
              p.destination(),
              new ESMClass(p.esmClass()),
              (byte) 0,
              (byte) 0,
              null,
              p.validityPeriod(),
              new RegisteredDelivery(p.registeredDelivery()),
              (byte) 0,
              new RawDataCoding(p.dataCoding()),
              (byte) 0,
              p.shortMessage());
    } catch (IOException | PDUException | RuntimeException e) {
      // not written: the caller answers it (a completion by the session's end meanwhile wins)
      if (answer.completed.compareAndSet(false, true)) {
        outstanding.remove(sequence, answer);
        window.release();
      }
      if (e instanceof IOException && getSessionState().isBound()) {
        close(); // as jSMPP's own submit does: a stream that failed a write is not used again
      }
      throw e;
    }
  }

  /** Answers as unknown every submit whose deadline passed; returns how many. */
  int expire(long now, String code, String reason) {
    int n = 0;
    for (Answer a : List.copyOf(outstanding.values())) {
      if (now - a.deadline >= 0 && !a.completed.get()) {
        a.end(code, reason);
        n++;
      }
    }
    return n;
  }

  /** The session ended: every submit still without an answer is answered as unknown. */
  void abandonAll(String code, String reason) {
    for (Answer a : List.copyOf(outstanding.values())) {
      a.end(code, reason);
    }
  }
}
