package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The claim in front of a slow gateway (the simulator at 10 parts per second, a burst of 6, and a
 * policy that fails unknown outcomes): tokens are counted in parts, a company's reply goes ahead of
 * its own bulk, and an unknown outcome fails after its window instead of being sent again. Times
 * come from the simulator's records: one insert per flush, so one {@code submitted_at} per claim.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.gateways.simulator.max-per-second="
          + SlowGatewayDispatchIntegrationTests.RATE,
      "herald.delivery.gateways.simulator.burst=" + SlowGatewayDispatchIntegrationTests.BURST,
      "herald.delivery.gateways.simulator.unknown-outcome-policy=fail",
      "herald.delivery.gateways.simulator.unknown-outcome-window=2s",
      "herald.delivery.submit-timeout=1s",
      "herald.delivery.poll-interval=200ms"
    })
class SlowGatewayDispatchIntegrationTests {

  /** Parts per second through the simulator. */
  static final int RATE = 10;

  /** Tokens the simulator's bucket holds at most: the largest claim, in parts. */
  static final int BURST = 6;

  static final Duration WINDOW = Duration.ofSeconds(2);

  /** A GSM-7 text of 400 characters: three parts (153 + 153 + 94). */
  static final String THREE_PARTS =
      "Your order from Green Gardens has been dispatched and will arrive on Tuesday. "
          .repeat(6)
          .substring(0, 400);

  /** One flush of the simulator: one claim's submissions, with their parts. */
  record Flush(Instant at, int messages, int parts) {}

  @Autowired OutboundMessages messages;
  @Autowired SimulatorControls simulatorControls;
  @Autowired SimulatorRecords simulator;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void setUp() {
    simulatorControls.acceptAll();
  }

  @AfterEach
  void cleanUp() {
    simulatorControls.acceptAll();
    // What a test left waiting must not take the next one's tokens. SKIP LOCKED, in rounds: the
    // workers are claiming the same rows meanwhile, and a plain UPDATE could deadlock with them.
    for (int round = 0; round < 50; round++) {
      int cancelled =
          jdbc.sql(
                  """
                  UPDATE outbound_message m
                  SET status = 'cancelled', status_reason = 'test over', next_attempt_at = NULL,
                      lease_until = NULL, outcome_unknown_since = NULL
                  FROM (SELECT tenant_id, id FROM outbound_message
                        WHERE status IN ('queued', 'sending')
                          AND (lease_until IS NULL OR lease_until < now())
                        FOR UPDATE SKIP LOCKED) w
                  WHERE m.tenant_id = w.tenant_id AND m.id = w.id
                  """)
              .update();
      if (cancelled == 0) {
        return;
      }
    }
  }

  @Test
  void tokens_are_counted_in_parts_so_three_part_messages_leave_at_a_third_of_the_rate() {
    TenantId threePartCompany = companies.aDanishCompany(true, true).id();
    TenantId onePartCompany = companies.aDanishCompany(true, true).id();

    List<Flush> threeParts = drain(threePartCompany, THREE_PARTS, 12, 3);
    List<Flush> oneParts = drain(onePartCompany, "Your order is on its way.", 24, 1);

    // A claim stops at its budget counted in parts: a full bucket (6) takes two three-part
    // messages, or six single-part ones.
    assertThat(threeParts).extracting(Flush::parts).allMatch(p -> p <= BURST, "at most the burst");
    assertThat(oneParts).extracting(Flush::parts).allMatch(p -> p <= BURST, "at most the burst");
    assertThat(oneParts).extracting(Flush::messages).contains(BURST);

    // In any second: the rate, plus the burst, plus what the last message of a claim may owe (2
    // parts), plus one message for the time between a claim and its flush: 21 parts.
    int partsPerSecond = RATE + BURST + 2 + 3;
    assertThat(busiestSecond(threeParts, Flush::parts))
        .as("parts of three-part messages in the busiest second")
        .isLessThanOrEqualTo(partsPerSecond);
    int threePartMessages = busiestSecond(threeParts, Flush::messages);
    int onePartMessages = busiestSecond(oneParts, Flush::messages);
    assertThat(threePartMessages)
        .as("three-part messages in the busiest second")
        .isLessThanOrEqualTo(partsPerSecond / 3);
    assertThat(onePartMessages)
        .as("single-part messages in the busiest second (three-part: %d)", threePartMessages)
        .isBetween(RATE, partsPerSecond + BURST)
        .isGreaterThan(partsPerSecond / 3);
    // 36 parts take at least (36 - burst - 2 - 3) / rate seconds from the first to the last.
    assertThat(Duration.between(threeParts.getFirst().at(), threeParts.getLast().at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1000L * (12 * 3 - BURST - 2 - 3) / RATE));
  }

  @Test
  void a_companys_reply_is_submitted_ahead_of_the_rest_of_its_own_bulk() {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    List<OutboundDraft> bulk = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      bulk.add(anSms("Spring offer " + i).withKind(OutboundKind.BULK));
    }
    List<UUID> bulkIds = messages.enqueue(tenant, bulk).stream().map(QueuedMessage::id).toList();
    await().atMost(Duration.ofSeconds(20)).until(() -> submitted(tenant) >= 12);

    UUID reply =
        messages
            .enqueue(tenant, List.of(anSms("Yes, Tuesday works").withKind(OutboundKind.REPLY)))
            .getFirst()
            .id();
    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> messages.find(tenant, reply).orElseThrow(), m -> m.sentAt() != null);
    assertThat(sent.status()).isEqualTo(MessageStatus.SENT);

    Instant replySubmitted = submittedAt(tenant, reply);
    long bulkBetween =
        bulkSubmittedWhere(tenant, bulkIds, "submitted_at > :from AND submitted_at < :to", sent);
    long bulkNotBefore =
        bulkIds.size() - bulkSubmittedWhere(tenant, bulkIds, "submitted_at <= :to", sent);
    // At most the claims already in the two workers' hands when it was queued go before it.
    assertThat(bulkBetween)
        .as(
            "bulk messages submitted between the reply's enqueue and its submit (%s)",
            replySubmitted)
        .isLessThanOrEqualTo(2L * BURST);
    assertThat(bulkNotBefore)
        .as("bulk messages not yet submitted when the reply was")
        .isGreaterThanOrEqualTo(30);
  }

  @Test
  void
      an_unknown_outcome_of_a_gateway_whose_policy_is_fail_fails_after_its_window_with_one_submit() {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    simulatorControls.stall(1, Duration.ofSeconds(3)); // answers after the submit timeout (1 s)
    UUID id = messages.enqueue(tenant, List.of(anSms("No answer in time"))).getFirst().id();

    MessageView failed =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> m.status() != MessageStatus.QUEUED && m.status() != MessageStatus.SENDING);
    assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(failed.errorCode()).isEqualTo("OUTCOME_UNKNOWN");
    assertThat(failed.statusReason()).isEqualTo("outcome unknown; this gateway does not resubmit");
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.nextAttemptAt()).isNull();
    assertThat(failed.attemptHistory()).hasSize(1);
    AttemptView unknown = failed.attemptHistory().getFirst();
    assertThat(unknown.outcome()).isEqualTo("UNKNOWN");
    assertThat(unknown.errorCode()).isEqualTo("TIMEOUT");
    Instant failedAt =
        jdbc.sql("SELECT updated_at FROM outbound_message WHERE tenant_id = ? AND id = ?")
            .params(tenant.value(), id)
            .query(Timestamp.class)
            .single()
            .toInstant();
    assertThat(failedAt)
        .as("failed only once the window had passed")
        .isAfterOrEqualTo(unknown.finishedAt().plus(WINDOW));

    // The stalled carrier had it after all: one submission, and no other however long we wait.
    await().atMost(Duration.ofSeconds(10)).until(() -> simulator.submissionsOf(tenant, id) == 1);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            simulator.submissionsOf(tenant, id) == 1
                && messages.find(tenant, id).orElseThrow().attempts() == 1);
  }

  /**
   * Queues {@code count} messages of {@code parts} parts when the bucket is full, waits until all
   * are sent, and returns the simulator's flushes of them.
   */
  private List<Flush> drain(TenantId tenant, String text, int count, int parts) {
    await().atMost(Duration.ofSeconds(10)).until(() -> bucket() >= BURST);
    List<OutboundDraft> drafts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      drafts.add(anSms(text));
    }
    List<QueuedMessage> queued = messages.enqueue(tenant, drafts);
    assertThat(queued).extracting(QueuedMessage::segments).containsOnly(parts);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            jdbc.sql(
                        "SELECT count(*) FROM outbound_message WHERE tenant_id = ? AND status = 'sent'")
                    .param(tenant.value())
                    .query(Integer.class)
                    .single()
                == count);
    List<Flush> flushes =
        jdbc.sql(
                """
                SELECT submitted_at, count(*) AS messages, sum(parts) AS parts FROM simulator_sms
                WHERE tenant_id = ? GROUP BY submitted_at ORDER BY submitted_at
                """)
            .param(tenant.value())
            .query((rs, row) ->
                new Flush(
                    rs.getTimestamp("submitted_at").toInstant(),
                    rs.getInt("messages"),
                    rs.getInt("parts")))
            .list();
    assertThat(flushes.stream().mapToInt(Flush::messages).sum()).isEqualTo(count);
    return flushes;
  }

  /** The most of {@code what} in any second, counted from one flush to before a second later. */
  private static int busiestSecond(
      List<Flush> flushes, java.util.function.ToIntFunction<Flush> what) {
    int busiest = 0;
    for (int start = 0; start < flushes.size(); start++) {
      Instant end = flushes.get(start).at().plusSeconds(1);
      int sum = 0;
      for (int i = start; i < flushes.size() && flushes.get(i).at().isBefore(end); i++) {
        sum += what.applyAsInt(flushes.get(i));
      }
      busiest = Math.max(busiest, sum);
    }
    return busiest;
  }

  /** Tokens in the simulator's bucket now (a full one when it has not been used yet). */
  private double bucket() {
    return jdbc.sql(
            """
            SELECT least(:burst, tokens + greatest(0, extract(epoch FROM clock_timestamp() - refilled_at))
                                          * :rate)
            FROM gateway_rate_limit WHERE gateway = 'simulator'
            """)
        .param("burst", BURST)
        .param("rate", RATE)
        .query(Double.class)
        .optional()
        .orElse((double) BURST);
  }

  private long submitted(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM simulator_sms WHERE tenant_id = ?")
        .param(tenant.value())
        .query(Long.class)
        .single();
  }

  private Instant submittedAt(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT submitted_at FROM simulator_sms WHERE tenant_id = ? AND message_id = ?")
        .params(tenant.value(), id)
        .query(Timestamp.class)
        .single()
        .toInstant();
  }

  private long bulkSubmittedWhere(
      TenantId tenant, List<UUID> bulkIds, String condition, MessageView reply) {
    return jdbc.sql(
            """
            SELECT count(*) FROM simulator_sms
            WHERE tenant_id = :t AND message_id = ANY(:ids::uuid[]) AND %s
            """
                .formatted(condition))
        .param("t", tenant.value())
        .param("ids", bulkIds.toArray(UUID[]::new))
        .param("from", Timestamp.from(reply.createdAt()))
        .param("to", Timestamp.from(submittedAt(tenant, reply.id())))
        .query(Long.class)
        .single();
  }
}
