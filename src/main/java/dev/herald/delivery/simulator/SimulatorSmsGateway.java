package dev.herald.delivery.simulator;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.GatewayInbox;
import dev.herald.delivery.gateway.InboundSms;
import dev.herald.delivery.gateway.SmsGateway;
import dev.herald.delivery.gateway.SmsSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.shared.Ids;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The built-in SMS gateway of the embedded default: a fake carrier that records every submission in
 * {@code simulator_sms} and answers as {@code simulator_control} says (accept, fail transiently,
 * fail permanently, stall).
 *
 * <p>Like a windowed SMPP session it answers asynchronously: {@link #submit} buffers, and {@link
 * #flush} (which the dispatcher calls once per batch) reads the control row and writes the whole
 * buffer in one INSERT, then completes the futures. A submission is recorded before it is accepted,
 * so a sent message always has its record. The transaction commits with {@code synchronous_commit =
 * off}: it is a fake carrier's log, losing its last few hundred milliseconds in a crash of
 * PostgreSQL itself (not of Herald) only under-counts, and an fsync per batch here would cost as
 * much as the queue's own.
 */
public class SimulatorSmsGateway implements SmsGateway {

  public static final String NAME = "simulator";
  private static final Logger log = LoggerFactory.getLogger(SimulatorSmsGateway.class);

  private record Pending(SmsSubmission submission, CompletableFuture<SubmitResult> answer) {}

  private record Control(String mode, int affected, String errorCode, long stallMillis) {}

  private final ConcurrentLinkedQueue<Pending> buffer = new ConcurrentLinkedQueue<>();
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final String node;
  private volatile GatewayInbox receipts;
  private volatile Duration receiptDelay = Duration.ZERO;

  public SimulatorSmsGateway(
      JdbcClient jdbc, TransactionTemplate transactions, Clock clock, String node) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.node = node;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Makes the simulator report every message it accepted as delivered, {@code delay} later, through
   * the inbox like a carrier, so the embedded default shows the whole loop.
   */
  public void sendReceiptsTo(GatewayInbox inbox, Duration delay) {
    this.receiptDelay = delay;
    this.receipts = inbox;
  }

  private volatile GatewayInbox replies;

  /** Where the simulator hands the replies a person types as a customer (the inbound path). */
  public void hearRepliesThrough(GatewayInbox inbox) {
    this.replies = inbox;
  }

  /**
   * A customer's reply from {@code from} to the number or name {@code to}, taken in like an SMS a
   * carrier delivered; completes once it is stored.
   */
  public CompletableFuture<Void> reply(String from, String to, String text) {
    GatewayInbox inbox = replies;
    if (inbox == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the inbox is not open"));
    }
    return inbox.inbound(List.of(new InboundSms(NAME, from, to, text, clock.instant())));
  }

  private void reportDelivered(List<List<String>> ids) {
    GatewayInbox inbox = receipts;
    if (inbox == null || ids.isEmpty()) {
      return;
    }
    CompletableFuture.delayedExecutor(receiptDelay.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> {
          Instant now = clock.instant();
          List<DeliveryReceipt> delivered = new ArrayList<>();
          ids.forEach(parts ->
              parts.forEach(id ->
                  delivered.add(
                      new DeliveryReceipt(NAME, id, DeliveryReceipt.State.DELIVERED, null, now))));
          inbox
              .receipts(delivered)
              .whenComplete((ok, e) -> {
                if (e != null) {
                  log.warn(
                      "Simulator could not report {} receipt(s): {}",
                      delivered.size(),
                      e.toString());
                }
              });
        });
  }

  @Override
  public CompletableFuture<SubmitResult> submit(SmsSubmission submission) {
    CompletableFuture<SubmitResult> answer = new CompletableFuture<>();
    buffer.add(new Pending(submission, answer));
    return answer;
  }

  @Override
  public void flush() {
    List<Pending> batch = new ArrayList<>();
    for (Pending p; (p = buffer.poll()) != null; ) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      List<Pending> accepted = new ArrayList<>(batch.size());
      List<List<String>> ids = new ArrayList<>(batch.size());
      List<Pending> stalled = new ArrayList<>();
      List<Runnable> answers = new ArrayList<>(batch.size());
      long[] stallMillis = {0};
      transactions.executeWithoutResult(tx -> {
        jdbc.sql("SET LOCAL synchronous_commit = off").update();
        Control control = takeControl(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          Pending p = batch.get(i);
          if (i < control.affected()) {
            switch (control.mode()) {
              case "transient" ->
                  answers.add(() ->
                      p.answer()
                          .complete(
                              new SubmitResult.TransientFailure(
                                  control.errorCode(), "simulated transient failure")));
              case "permanent" ->
                  answers.add(() ->
                      p.answer()
                          .complete(
                              new SubmitResult.PermanentFailure(
                                  control.errorCode(), "simulated permanent failure")));
              default -> {
                stalled.add(p);
                stallMillis[0] = control.stallMillis();
              }
            }
            continue;
          }
          accepted.add(p);
          ids.add(gatewayIds(p.submission()));
        }
        record(accepted, ids);
      });
      answers.forEach(Runnable::run);
      for (int i = 0; i < accepted.size(); i++) {
        accepted.get(i).answer().complete(new SubmitResult.Accepted(ids.get(i)));
      }
      reportDelivered(ids);
      if (!stalled.isEmpty()) {
        // A stalled carrier answers late (after the dispatcher's timeout, as a rule), and then has
        // the message after all: recorded and accepted, so the re-submit that follows shows as two.
        CompletableFuture.delayedExecutor(stallMillis[0], TimeUnit.MILLISECONDS)
            .execute(() -> completeStalled(stalled));
      }
    } catch (RuntimeException e) {
      log.warn("Simulator could not record {} submission(s): {}", batch.size(), e.toString());
      batch.forEach(p ->
          p.answer()
              .complete(
                  new SubmitResult.TransientFailure(
                      "SIM_UNAVAILABLE", "simulator could not record the submission")));
    }
  }

  private void completeStalled(List<Pending> stalled) {
    try {
      List<List<String>> ids = stalled.stream().map(p -> gatewayIds(p.submission())).toList();
      transactions.executeWithoutResult(tx -> record(stalled, ids));
      for (int i = 0; i < stalled.size(); i++) {
        stalled.get(i).answer().complete(new SubmitResult.Accepted(ids.get(i)));
      }
      reportDelivered(ids);
    } catch (RuntimeException e) {
      stalled.forEach(p ->
          p.answer().complete(new SubmitResult.TransientFailure("SIM_UNAVAILABLE", e.toString())));
    }
  }

  /** Takes up to {@code wanted} of the remaining special answers, atomically across nodes. */
  private Control takeControl(int wanted) {
    // Usually 'accept': a plain read then, so that flushes of many workers do not queue on the row
    // lock.
    String mode =
        jdbc.sql("SELECT mode FROM simulator_control WHERE id = 1")
            .query(String.class)
            .optional()
            .orElse("accept");
    if (mode.equals("accept")) {
      return new Control("accept", 0, null, 0);
    }
    return jdbc.sql(
            """
            UPDATE simulator_control c
            SET remaining = CASE WHEN c.remaining IS NULL THEN NULL ELSE greatest(c.remaining - :wanted, 0) END,
                mode = CASE WHEN c.remaining IS NOT NULL AND c.remaining <= :wanted THEN 'accept' ELSE c.mode END
            FROM (SELECT mode, remaining, error_code, stall_ms FROM simulator_control WHERE id = 1 FOR UPDATE) old
            WHERE c.id = 1 AND old.mode <> 'accept'
            RETURNING old.mode, coalesce(least(old.remaining, :wanted), :wanted) AS affected, old.error_code,
                      coalesce(old.stall_ms, 0) AS stall_ms
            """)
        .param("wanted", wanted)
        .query(
            (rs, row) -> new Control(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)))
        .optional()
        .orElse(new Control("accept", 0, null, 0));
  }

  private void record(List<Pending> accepted, List<List<String>> ids) {
    if (accepted.isEmpty()) {
      return;
    }
    int n = accepted.size();
    UUID[] tenants = new UUID[n];
    UUID[] recordIds = new UUID[n];
    UUID[] messages = new UUID[n];
    String[] senders = new String[n];
    String[] recipients = new String[n];
    String[] texts = new String[n];
    String[] encodings = new String[n];
    Integer[] parts = new Integer[n];
    // text[][] must be rectangular, so the ids of each submission travel as one space-separated
    // string.
    String[] gatewayIds = new String[n];
    for (int i = 0; i < n; i++) {
      SmsSubmission s = accepted.get(i).submission();
      tenants[i] = s.tenant().value();
      recordIds[i] = Ids.next();
      messages[i] = s.messageId();
      senders[i] = s.from();
      recipients[i] = s.to();
      texts[i] = s.text();
      encodings[i] = s.encoding().name();
      parts[i] = s.parts().size();
      gatewayIds[i] = String.join(" ", ids.get(i));
    }
    Instant now = clock.instant();
    jdbc.sql(
            """
            INSERT INTO simulator_sms (tenant_id, id, message_id, node, sender, recipient, text, encoding,
                                       parts, gateway_ids, submitted_at)
            SELECT r.tenant_id, r.id, r.message_id, :node, r.sender, r.recipient, r.text, r.encoding,
                   r.parts, string_to_array(r.gateway_ids, ' '), :now
            FROM unnest(:tenants::uuid[], :ids::uuid[], :messages::uuid[], :senders::text[],
                        :recipients::text[], :texts::text[], :encodings::text[], :parts::integer[],
                        :gatewayIds::text[])
                 AS r(tenant_id, id, message_id, sender, recipient, text, encoding, parts, gateway_ids)
            """)
        .param("node", node)
        .param("now", Timestamp.from(now))
        .param("tenants", tenants)
        .param("ids", recordIds)
        .param("messages", messages)
        .param("senders", senders)
        .param("recipients", recipients)
        .param("texts", texts)
        .param("encodings", encodings)
        .param("parts", parts)
        .param("gatewayIds", gatewayIds)
        .update();
  }

  /** Carrier-style message ids, one per part: 32 hex digits, time-ordered. */
  private static List<String> gatewayIds(SmsSubmission s) {
    List<String> ids = new ArrayList<>(s.parts().size());
    for (int i = 0; i < s.parts().size(); i++) {
      ids.add(Ids.next().toString().replace("-", ""));
    }
    return ids;
  }
}
