package dev.herald.delivery.smpp;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * jSMPP's server side as an SMSC for tests, on loopback: it accepts transceiver binds, records
 * every submit_sm with the bind it came on, counts how many were outstanding at once, answers as
 * the test says (an id, an error status, or not at all until released), and sends receipts and
 * mobile-originated SMS on any bind. It can drop its binds, or stop and start again on its port.
 */
public final class TestSmsc implements AutoCloseable {

  /** How the SMSC answers one submit_sm. */
  public sealed interface Answer {
    public record Id(String id) implements Answer {}

    public record Error(int status) implements Answer {}

    /** No answer until {@link #release} (or the session ends). */
    record Hold() implements Answer {}
  }

  /** One submit_sm as the SMSC got it. */
  public record Received(SubmitSm pdu, String session, String id, long at) {
    public String text() {
      byte[] sm = pdu.getShortMessage();
      int from = (pdu.getEsmClass() & 0x40) != 0 ? (sm[0] & 0xFF) + 1 : 0;
      byte[] body = java.util.Arrays.copyOfRange(sm, from, sm.length);
      return pdu.getDataCoding() == 8
          ? new String(body, StandardCharsets.UTF_16BE)
          : dev.herald.smstext.SmsTexts.decode(body, dev.herald.smstext.SmsEncoding.GSM_7);
    }

    public byte[] udh() {
      byte[] sm = pdu.getShortMessage();
      return (pdu.getEsmClass() & 0x40) != 0
          ? java.util.Arrays.copyOfRange(sm, 0, (sm[0] & 0xFF) + 1)
          : new byte[0];
    }
  }

  public final int port;
  private volatile SMPPServerSessionListener listener;
  private volatile Thread acceptor;
  final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger binds = new AtomicInteger();
  final List<org.jsmpp.bean.BindType> bindTypes = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong(0x1000);
  private volatile CountDownLatch held = new CountDownLatch(1);
  private final Map<String, Integer> perSession = new ConcurrentHashMap<>();

  /** The system id each session bound with. */
  private final Map<SMPPServerSession, String> systemIds = new ConcurrentHashMap<>();

  /**
   * When set, deliver_sm go only to sessions bound with this system id (the benchmark: the plain
   * client's receipts to the plain client while Herald's binds are up too); null: any session.
   */
  public volatile String deliverTo;

  /** Answers by default with a fresh id: upper-case hex with leading zeros. */
  public volatile Function<SubmitSm, Answer> answers = s -> new Answer.Id(nextId());

  /**
   * Whether every submit_sm is kept for {@link #received()} (the tests' assertions). The benchmark
   * turns it off: the list is copied on every add, a cost that grows with each part of a run.
   */
  volatile boolean keepReceived = true;

  /** Each submit_sm waits this long before its answer (to keep a window full). */
  public volatile Duration delay = Duration.ZERO;

  public TestSmsc() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      this.port = free.getLocalPort();
    }
    start();
  }

  /** From now on, answers each submit_sm so (tests in other packages). */
  public void answerWith(Function<SubmitSm, Answer> answer) {
    this.answers = answer;
  }

  /** From now on, each submit_sm waits this long before its answer. */
  public void answerAfter(Duration pause) {
    this.delay = pause;
  }

  /** The most submit_sm it had in hand at once so far. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  public String nextId() {
    return "%010X".formatted(ids.incrementAndGet());
  }

  synchronized void start() throws IOException {
    SMPPServerSessionListener l = new SMPPServerSessionListener(port);
    l.setPduProcessorDegree(128);
    l.setQueueCapacity(10_000);
    l.setMessageReceiverListener(new Receiver());
    listener = l;
    acceptor = Thread.ofVirtual().name("test-smsc-accept").start(() -> acceptLoop(l));
  }

  private void acceptLoop(SMPPServerSessionListener l) {
    while (listener == l) {
      try {
        SMPPServerSession session = l.accept();
        Thread.ofVirtual()
            .start(() -> {
              try {
                BindRequest bind = session.waitForBind(5_000);
                bind.accept("test-smsc");
                bindTypes.add(bind.getBindType());
                systemIds.put(session, bind.getSystemId());
                sessions.add(session);
                binds.incrementAndGet();
              } catch (Exception e) {
                session.close();
              }
            });
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Drops every bind (the connections close); the SMSC keeps listening. */
  void dropBinds() {
    for (SMPPServerSession s : sessions) {
      s.close();
    }
    sessions.clear();
  }

  /** Stops listening and drops every bind. */
  synchronized void stop() throws IOException {
    SMPPServerSessionListener l = listener;
    listener = null;
    if (l != null) {
      l.close();
    }
    dropBinds();
    release();
  }

  /** Lets every held submit_sm be answered. */
  public void release() {
    held.countDown();
    held = new CountDownLatch(1);
  }

  public int boundSessions() {
    return (int) sessions.stream().filter(s -> s.getSessionState().isBound()).count();
  }

  /** Submits received per bind (session id). */
  Map<String, Integer> perSession() {
    return Map.copyOf(perSession);
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  /** A receipt in the classic text form, with or without the TLVs, on a bind of choice. */
  public void receipt(int bind, String id, String stat, String err, boolean tlvs) throws Exception {
    String text =
        "id:%s sub:001 dlvrd:%s submit date:2611301200 done date:2611301201 stat:%s err:%s text:Hello"
            .formatted(id, stat.equals("DELIVRD") ? "001" : "000", stat, err);
    OptionalParameter[] params =
        tlvs
            ? new OptionalParameter[] {
              new OptionalParameter.Receipted_message_id(id),
              new OptionalParameter.Message_state(
                  switch (stat) {
                    case "DELIVRD" -> (byte) 2;
                    case "EXPIRED" -> (byte) 3;
                    case "UNDELIV" -> (byte) 5;
                    case "REJECTD" -> (byte) 8;
                    default -> (byte) 7;
                  })
            }
            : new OptionalParameter[0];
    deliver(bind, (byte) 0x04, text.getBytes(StandardCharsets.ISO_8859_1), (byte) 0, params);
  }

  /** A raw receipt text (vendors' own forms). */
  public void receiptText(int bind, String text) throws Exception {
    deliver(bind, (byte) 0x04, text.getBytes(StandardCharsets.ISO_8859_1), (byte) 0);
  }

  /** A mobile-originated SMS from an international number to a number or short code. */
  public void mobileOriginated(int bind, String from, String to, byte[] text, byte dataCoding)
      throws Exception {
    deliver(bind, (byte) 0x00, text, dataCoding, from, to);
  }

  /** One part of a concatenated mobile-originated SMS: its octets start with the UDH. */
  public void mobileOriginatedPart(
      int bind, String from, String to, byte[] udhAndText, byte dataCoding) throws Exception {
    deliver(bind, (byte) 0x40, udhAndText, dataCoding, from, to);
  }

  private void deliver(
      int bind, byte esmClass, byte[] message, byte dataCoding, OptionalParameter... params)
      throws Exception {
    deliver(bind, esmClass, message, dataCoding, "4520000000", "Herald", params);
  }

  private void deliver(
      int bind,
      byte esmClass,
      byte[] message,
      byte dataCoding,
      String from,
      String to,
      OptionalParameter... params)
      throws Exception {
    // only a transceiver or receiver bind may be given a deliver_sm
    String only = deliverTo;
    List<SMPPServerSession> receivers =
        sessions.stream()
            .filter(s -> s.getSessionState().isReceivable())
            .filter(s -> only == null || only.equals(systemIds.get(s)))
            .toList();
    SMPPServerSession session = receivers.get(bind % receivers.size());
    session.deliverShortMessage(
        "",
        TypeOfNumber.INTERNATIONAL,
        NumberingPlanIndicator.ISDN,
        from,
        to.matches("[0-9]+") && to.length() > 8 ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.UNKNOWN,
        NumberingPlanIndicator.ISDN,
        to,
        new ESMClass(esmClass),
        (byte) 0,
        (byte) 0,
        new RegisteredDelivery(0),
        new RawDataCoding(dataCoding),
        message,
        params);
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private final class Receiver implements ServerMessageReceiverListener {

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
        throws ProcessRequestException {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        Answer answer = answers.apply(submitSm);
        String id = answer instanceof Answer.Id(String value) ? value : null;
        if (keepReceived) {
          received.add(new Received(submitSm, source.getSessionId(), id, System.nanoTime()));
          perSession.merge(source.getSessionId(), 1, Integer::sum);
        }
        if (!delay.isZero()) {
          Thread.sleep(delay);
        }
        switch (answer) {
          case Answer.Id(String value) -> {
            return new SubmitSmResult(new MessageId(value), new OptionalParameter[0]);
          }
          case Answer.Error(int status) -> throw new ProcessRequestException("refused", status);
          case Answer.Hold() -> {
            CountDownLatch latch = held;
            latch.await(5, TimeUnit.MINUTES);
            throw new ProcessRequestException("released without an answer", 0x08);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProcessRequestException("interrupted", 0x08);
      } catch (org.jsmpp.PDUStringException e) {
        throw new ProcessRequestException("bad id", 0x08);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti s, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }

    @Override
    public void onAcceptCancelSm(CancelSm c, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm b, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(
        QueryBroadcastSm q, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source)
        throws ProcessRequestException {
      throw new ProcessRequestException("no", 0x03);
    }
  }
}
