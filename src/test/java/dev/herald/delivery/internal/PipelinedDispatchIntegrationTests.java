package dev.herald.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.delivery.smpp.TestSmsc;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pipelined dispatch worker (decision 0019): one SMS worker with batches of five, so that it
 * holds two batches at once (the one the SMSC works on, and the next one it claimed and handed over
 * meanwhile), through its SMPP gateway to the tests' jSMPP SMSC. What must hold whatever happens to
 * one of the two: nothing is left claimed without an outcome, nothing is sent twice, and a batch is
 * never dropped because the other one's record failed.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.sms.gateway=smsc",
      "herald.delivery.gateways.smsc.type=smpp",
      "herald.delivery.gateways.smsc.host=127.0.0.1",
      "herald.delivery.gateways.smsc.system-id=herald",
      "herald.delivery.gateways.smsc.password=secret",
      "herald.delivery.gateways.smsc.binds=1",
      "herald.delivery.gateways.smsc.window=10",
      "herald.delivery.gateways.smsc.response-timeout=20s",
      "herald.delivery.gateways.smsc.submit-id-format=hex",
      "herald.delivery.gateways.smsc.max-per-second=100000",
      "herald.delivery.gateways.smsc.unknown-outcome-window=10m",
      "herald.delivery.sms.workers=1",
      "herald.delivery.batch-size=" + PipelinedDispatchIntegrationTests.BATCH,
      "herald.delivery.submit-timeout=3s",
      "herald.delivery.cycle-allowance=1s",
      "herald.delivery.lease=6s",
      "herald.delivery.backoff-base=200ms",
      "herald.delivery.backoff-max=1s",
      "herald.delivery.poll-interval=200ms",
      "herald.delivery.sms.default-sender=+4570000000"
    })
@DirtiesContext // closes its bind and threads once the class is done
class PipelinedDispatchIntegrationTests {

  static final int BATCH = 5;

  static final TestSmsc SMSC;

  static {
    try {
      SMSC = new TestSmsc();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final AtomicInteger numbers = new AtomicInteger();

  @DynamicPropertySource
  static void smsc(DynamicPropertyRegistry registry) {
    registry.add("herald.delivery.gateways.smsc.port", () -> SMSC.port);
  }

  @AfterAll
  static void stopSmsc() throws IOException {
    SMSC.close();
  }

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired DeliveryWorkers workers;
  @Autowired Dispatcher dispatcher;
  @Autowired JdbcClient jdbc;

  TenantId tenant;

  @BeforeEach
  void setUp() {
    tenant = companies.aDanishCompany(true, true).id();
    await().atMost(Duration.ofSeconds(10)).until(workers::isListening);
    await().atMost(Duration.ofSeconds(10)).until(() -> SMSC.boundSessions() >= 1);
  }

  @AfterEach
  void reset() throws InterruptedException {
    jdbc.sql("DROP TRIGGER IF EXISTS pipelined_record_fails ON outbound_message").update();
    SMSC.answers = s -> new TestSmsc.Answer.Id(SMSC.nextId());
    SMSC.delay = Duration.ZERO;
    SMSC.release();
    if (!dispatcher.isRunning()) {
      dispatcher.start();
    }
  }

  @Test
  void a_worker_stopped_with_two_batches_in_hand_records_both() throws Exception {
    // The SMSC answers each submit after two seconds: the worker hands over its first batch,
    // claims and hands over the second while the first waits, and then waits for the first.
    SMSC.delay = Duration.ofSeconds(2);
    int before = SMSC.received().size();
    List<UUID> ids = enqueue(2 * BATCH, "21");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> SMSC.received().size() - before == 2 * BATCH);
    assertThat(inHand(ids)).as("claimed, unrecorded: both batches in hand").isEqualTo(2 * BATCH);

    // The node stops now: stop() lets the worker finish what it holds, both batches.
    Thread stopping =
        Thread.ofVirtual()
            .start(() -> {
              try {
                dispatcher.stop();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread.sleep(300);
    assertThat(stopping.isAlive()).as("stop() waits for the batches in hand").isTrue();
    stopping.join(Duration.ofSeconds(10));
    assertThat(stopping.isAlive()).isFalse();

    // Right after stop(): every message of both batches recorded as sent, none still claimed.
    assertThat(statuses(ids)).containsOnlyKeys("sent").containsEntry("sent", 2 * BATCH);
    assertThat(inHand(ids)).isZero();
    assertThat(timesReceived(ids)).as("each submitted once").containsOnly(1L);
  }

  @Test
  void a_record_that_fails_for_one_batch_does_not_drop_the_other() throws Exception {
    // Two batches in a known order: the first (five messages due a minute earlier) cannot be
    // recorded as sent (a trigger refuses it, as a database that went away would, every time the
    // record is tried); the second is claimed and handed over before the first is recorded.
    dispatcher.stop();
    List<UUID> first = enqueue(BATCH, "22");
    jdbc.sql(
            "UPDATE outbound_message SET next_attempt_at = next_attempt_at - interval '1 minute'"
                + " WHERE tenant_id = :tenant AND id = ANY(:ids)")
        .param("tenant", tenant.value())
        .param("ids", first.toArray(UUID[]::new))
        .update();
    List<UUID> second = enqueue(BATCH, "23");
    jdbc.sql(
            """
            CREATE OR REPLACE FUNCTION pipelined_record_fails() RETURNS trigger AS $$
            BEGIN
                IF NEW.status = 'sent' AND NEW.recipient LIKE '+4522%' THEN
                    RAISE EXCEPTION 'the record of this batch fails' USING ERRCODE = '40001';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
            """)
        .update();
    jdbc.sql(
            """
            CREATE TRIGGER pipelined_record_fails BEFORE UPDATE ON outbound_message
            FOR EACH ROW EXECUTE FUNCTION pipelined_record_fails()
            """)
        .update();
    dispatcher.start();

    // The second batch is recorded: sent, each submitted once, although the first batch's record
    // failed (four tries) while the worker held it.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> statuses(second).getOrDefault("sent", 0) == BATCH);
    assertThat(timesReceived(second)).containsOnly(1L);
    assertThat(statuses(first)).doesNotContainKey("sent");

    // The first batch is not lost: its lease lapses into an unknown outcome (the SMSC has it; it
    // is not sent again before the gateway's window), never into a second submit.
    await().atMost(Duration.ofSeconds(20)).until(() -> lapsed(first) == BATCH);
    jdbc.sql("DROP TRIGGER pipelined_record_fails ON outbound_message").update();
    Thread.sleep(500); // a worker that resubmitted would have done so by now
    assertThat(statuses(first)).containsOnlyKeys("sending").containsEntry("sending", BATCH);
    assertThat(timesReceived(first)).as("each submitted once").containsOnly(1L);
  }

  @Test
  void answers_slower_than_the_submit_timeout_are_unknown_outcomes_for_both_batches() {
    // The SMSC never answers: both batches in hand wait from their own hand-over, and both are
    // recorded as unknown outcomes within their leases (none lapses), each submitted once.
    SMSC.answers = s -> new TestSmsc.Answer.Hold();
    List<UUID> ids = enqueue(2 * BATCH, "24");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> statuses(ids).getOrDefault("sending", 0) == 2 * BATCH && inHand(ids) == 0);
    assertThat(
            jdbc.sql(
                    """
                    SELECT outcome, count(*) FROM outbound_attempt
                    WHERE tenant_id = :tenant AND message_id = ANY(:ids) GROUP BY outcome
                    """)
                .param("tenant", tenant.value())
                .param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .list())
        .as("one attempt each, an unknown outcome recorded by the worker (no lease lapsed)")
        .containsExactly(Map.entry("UNKNOWN", 2 * BATCH));
    // Each batch waited from its own hand-over: about the submit timeout (3 s) from its claim to
    // its record, the second batch too (counted from the end of the first one's wait, it would be
    // twice that, and its lease of 6 s would end first).
    assertThat(
            jdbc.sql(
                    """
                    SELECT max(extract(epoch FROM finished_at - started_at)) FROM outbound_attempt
                    WHERE tenant_id = :tenant AND message_id = ANY(:ids)
                    """)
                .param("tenant", tenant.value())
                .param("ids", ids.toArray(UUID[]::new))
                .query(Double.class)
                .single())
        .as("seconds from a claim to its record, at most")
        .isBetween(3.0, 5.0);
    assertThat(timesReceived(ids)).containsOnly(1L);
  }

  private List<UUID> enqueue(int n, String series) {
    List<OutboundDraft> drafts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      drafts.add(
          new OutboundDraft(
              Channel.SMS,
              null,
              "+45" + series + "%06d".formatted(numbers.incrementAndGet()),
              null,
              "Pipelined " + i,
              false));
    }
    return messages.enqueue(tenant, drafts).stream().map(QueuedMessage::id).toList();
  }

  /** Messages claimed (under a lease) whose outcome is not recorded yet. */
  private int inHand(List<UUID> ids) {
    return jdbc.sql(
            """
            SELECT count(*) FROM outbound_message
            WHERE tenant_id = :tenant AND id = ANY(:ids) AND lease_until IS NOT NULL
            """)
        .param("tenant", tenant.value())
        .param("ids", ids.toArray(UUID[]::new))
        .query(Integer.class)
        .single();
  }

  /** Messages whose lease lapsed into an unknown outcome. */
  private int lapsed(List<UUID> ids) {
    return jdbc.sql(
            """
            SELECT count(*) FROM outbound_message
            WHERE tenant_id = :tenant AND id = ANY(:ids) AND status = 'sending'
              AND error_code = 'LEASE_LAPSED' AND lease_until IS NULL
            """)
        .param("tenant", tenant.value())
        .param("ids", ids.toArray(UUID[]::new))
        .query(Integer.class)
        .single();
  }

  /** Status in the database (queued, sending, sent, ...) to how many of these messages. */
  private Map<String, Integer> statuses(List<UUID> ids) {
    return jdbc
        .sql(
            """
            SELECT status, count(*)::integer AS n FROM outbound_message
            WHERE tenant_id = :tenant AND id = ANY(:ids) GROUP BY status
            """)
        .param("tenant", tenant.value())
        .param("ids", ids.toArray(UUID[]::new))
        .query((rs, n) -> Map.entry(rs.getString("status"), rs.getInt("n")))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** How many submit_sm the SMSC got for each of these messages (by recipient). */
  private List<Long> timesReceived(List<UUID> ids) {
    List<String> recipients =
        jdbc.sql(
                "SELECT recipient FROM outbound_message WHERE tenant_id = :tenant AND id = ANY(:ids)")
            .param("tenant", tenant.value())
            .param("ids", ids.toArray(UUID[]::new))
            .query(String.class)
            .list();
    Map<String, Long> received =
        SMSC.received().stream()
            .map(r -> "+" + r.pdu().getDestAddress())
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    return recipients.stream().map(r -> received.getOrDefault(r, 0L)).toList();
  }
}
