package dev.herald.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.SenderNumbers;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Left-overs of issue 12 in the dispatcher, each driven one claim at a time (no workers on this
 * node): what a claim holds is never left to lapse into an unknown outcome when it was not handed
 * to a carrier, a row put back undoes exactly what its claim changed, and a row routed to a gateway
 * this node does not run is put back, never sent through another.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.worker-enabled=false",
      "herald.delivery.sms.default-sender=+4570000007",
      // senders' tokens are taken inside the claim (SenderLimits), where the source is chosen too
      "herald.delivery.gateways.simulator.per-sender-per-second=1000",
      // a gateway that never gets a token in these tests: nothing is ever submitted to it
      "herald.delivery.gateways.slow.type=http",
      "herald.delivery.gateways.slow.url=http://127.0.0.1:9/v1",
      "herald.delivery.gateways.slow.api-key=key-slow",
      "herald.delivery.gateways.slow.webhook-secret=slow-webhook-secret-0001",
      "herald.delivery.gateways.slow.max-per-second=0.001",
      "herald.delivery.gateways.slow.burst=1"
    })
@DirtiesContext // its own context: closed once the class is done, so its connections go too
class DispatchLeftoversIntegrationTests {

  static final AtomicInteger numbers = new AtomicInteger();

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired SenderNumbers senderNumbers;
  @Autowired Dispatcher dispatcher;
  @Autowired GatewayRoutes routes;
  @Autowired JdbcClient jdbc;

  @AfterEach
  void nothingLeftDue() {
    routes.useConsole(Set.of(), Set.of());
    jdbc.sql("DELETE FROM gateway_route_company").update();
    routes.refresh();
    jdbc.sql(
            "UPDATE outbound_message SET status = 'cancelled', next_attempt_at = NULL,"
                + " lease_until = NULL WHERE status IN ('queued', 'sending')")
        .update();
  }

  List<UUID> send(TenantId company, int n, OutboundKind kind) {
    return messages
        .enqueue(
            company,
            IntStream.range(0, n)
                .mapToObj(i ->
                    new OutboundDraft(
                            Channel.SMS,
                            null,
                            "+4522%06d".formatted(numbers.incrementAndGet()),
                            null,
                            "Left-overs",
                            false)
                        .withKind(kind))
                .toList())
        .stream()
        .map(q -> q.id())
        .toList();
  }

  Map<String, Object> row(TenantId company, UUID id) {
    return jdbc.sql(
            """
            SELECT status, attempts, claimed_by, gateway, lease_until, lease_lapses, error_code,
                   next_attempt_at, outcome_unknown_since, gateway_message_id
            FROM outbound_message WHERE tenant_id = :t AND id = :id
            """)
        .param("t", company.value())
        .param("id", id)
        .query()
        .singleRow();
  }

  List<Map<String, Object>> attempts(TenantId company, UUID id) {
    return jdbc.sql(
            """
            SELECT number, node, gateway, outcome, error_code, error_message
            FROM outbound_attempt WHERE tenant_id = :t AND message_id = :id ORDER BY number
            """)
        .param("t", company.value())
        .param("id", id)
        .query()
        .listOfRows();
  }

  /**
   * One claim of the SMS lane, once the lane has tokens (a test before may have left "slow", which
   * has none, among the gateways whose buckets size the next claims for a few seconds).
   */
  Dispatcher.Outcome claimOnce() throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Dispatcher.Outcome outcome;
    do {
      outcome = dispatcher.cycle(dispatcher.lane(Channel.SMS));
      if (outcome == Dispatcher.Outcome.THROTTLED) {
        Thread.sleep(50);
      }
    } while (outcome == Dispatcher.Outcome.THROTTLED && System.nanoTime() < until);
    return outcome;
  }

  @Test
  void a_message_that_cannot_be_handed_over_is_queued_again_at_once_and_the_rest_of_its_batch_goes()
      throws Exception {
    TenantId fine = companies.aDanishCompany(true, true).id();
    TenantId odd = companies.aDanishCompany(true, true).id();
    // A sender name the database takes but no carrier can: a tab (the company form strips it, a
    // row written otherwise is not). With a number to choose from, a reminder to a Dane goes from
    // the name, and building its source address throws, after the claim, before the gateway.
    jdbc.sql("UPDATE company SET sms_sender_name = E'\\t' WHERE id = :t")
        .param("t", odd.value())
        .update();
    var number =
        senderNumbers.add(
            "+14152%06d".formatted(ThreadLocalRandom.current().nextInt(1_000_000)), "", "");
    senderNumbers.assign(number.id(), odd);
    List<UUID> good = send(fine, 3, OutboundKind.REMINDER);
    UUID bad = send(odd, 1, OutboundKind.REMINDER).getFirst();
    List<UUID> after = send(fine, 2, OutboundKind.REMINDER);
    Instant before = Instant.now();

    claimOnce();

    for (UUID id : good) {
      assertThat(messages.find(fine, id).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    }
    for (UUID id : after) {
      assertThat(messages.find(fine, id).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    }
    Map<String, Object> r = row(odd, bad);
    assertThat(r.get("status")).as("queued again, not an unknown outcome").isEqualTo("queued");
    assertThat(r.get("lease_until")).as("not left leased to lapse").isNull();
    assertThat(r.get("lease_lapses")).isEqualTo(0);
    assertThat(r.get("outcome_unknown_since")).isNull();
    assertThat(r.get("error_code")).isEqualTo(Dispatcher.NOT_HANDED_OVER);
    assertThat(((Timestamp) r.get("next_attempt_at")).toInstant())
        .as("retried by the normal backoff")
        .isAfter(before);
    List<Map<String, Object>> tries = attempts(odd, bad);
    assertThat(tries).hasSize(1);
    assertThat(tries.getFirst())
        .containsEntry("number", 1)
        .containsEntry("outcome", "TRANSIENT_FAILURE")
        .containsEntry("error_code", Dispatcher.NOT_HANDED_OVER);
    assertThat((String) tries.getFirst().get("error_message"))
        .contains("a source address is needed");
  }

  @Test
  void a_row_put_back_for_its_gateways_tokens_still_takes_the_late_answer_of_its_earlier_attempt() {
    TenantId company = companies.aDanishCompany(true, true).id();
    UUID id = send(company, 1, OutboundKind.DIRECT).getFirst();
    // Its first attempt: claimed by node-a through "slow"; node-a's lease lapsed (another claim
    // made
    // it an unknown outcome) and the window for news has passed, so it is due again.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant lease = now.minusSeconds(40);
    jdbc.sql(
            """
            UPDATE outbound_message
            SET attempts = 1, claimed_by = 'node-a', gateway = 'slow', status = 'sending',
                status_reason = 'outcome unknown', error_code = 'LEASE_LAPSED', lease_until = NULL,
                lease_lapses = 1, outcome_unknown_since = :since, next_attempt_at = :due
            WHERE tenant_id = :t AND id = :id
            """)
        .param("since", Timestamp.from(now.minusSeconds(10)))
        .param("due", Timestamp.from(now.minusSeconds(1)))
        .param("t", company.value())
        .param("id", id)
        .update();
    jdbc.sql(
            """
            INSERT INTO outbound_attempt (tenant_id, message_id, number, node, gateway, started_at,
                                          finished_at, outcome, error_code, error_message)
            VALUES (:t, :id, 1, 'node-a', 'slow', :started, :finished, 'LEASE_LAPSED',
                    'LEASE_LAPSED', 'the node that claimed it did not record an outcome')
            """)
        .param("t", company.value())
        .param("id", id)
        .param("started", Timestamp.from(lease.minusSeconds(30)))
        .param("finished", Timestamp.from(now.minusSeconds(10)))
        .update();
    // "slow" has no token now: the claim routes the row there (its unknown outcome pins it) and
    // puts it back
    jdbc.sql(
            """
            INSERT INTO gateway_rate_limit (gateway, tokens, refilled_at) VALUES ('slow', 0, now())
            ON CONFLICT (gateway) DO UPDATE SET tokens = 0, refilled_at = now()
            """)
        .update();

    Dispatcher.Outcome outcome;
    try {
      outcome = claimOnce();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }

    assertThat(outcome).isEqualTo(Dispatcher.Outcome.GATEWAYS_THROTTLED);
    Map<String, Object> r = row(company, id);
    assertThat(r)
        .as("put back as it was before the claim")
        .containsEntry("status", "sending")
        .containsEntry("attempts", 1)
        .containsEntry("claimed_by", "node-a")
        .containsEntry("gateway", "slow")
        .containsEntry("error_code", "LEASE_LAPSED")
        .containsEntry("lease_lapses", 1);
    assertThat(r.get("lease_until")).isNull();

    // node-a's answer to attempt 1 comes now: its record is taken, as for any late answer
    List<Map<String, Object>> recorded =
        jdbc.sql(DispatchSql.MARK_SENT)
            .param("tenants", new UUID[] {company.value()})
            .param("ids", new UUID[] {id})
            .param("attempts", new Integer[] {1})
            .param("gatewayIds", new String[] {"slow-4711"})
            .param("now", Timestamp.from(Instant.now()))
            .param("node", "node-a")
            .param("leaseUntil", Timestamp.from(lease))
            .query()
            .listOfRows();
    assertThat(recorded).hasSize(1);
    assertThat(row(company, id))
        .containsEntry("status", "sent")
        .containsEntry("gateway_message_id", "slow-4711");
  }

  @Test
  void a_row_routed_to_a_gateway_this_node_does_not_run_is_put_back_not_sent_elsewhere()
      throws Exception {
    TenantId company = companies.aDanishCompany(true, true).id();
    // The race with a removal on the console: routing still takes "gone" (the console's last
    // refresh on this node has not reached it yet) while this node no longer runs it.
    routes.useConsole(Set.of("gone"), Set.of());
    jdbc.sql(
            "INSERT INTO gateway_route_company (tenant_id, gateways, updated_at)"
                + " VALUES (:t, ARRAY['gone'], now())")
        .param("t", company.value())
        .update();
    routes.refresh();
    UUID id = send(company, 1, OutboundKind.DIRECT).getFirst();

    claimOnce();

    Map<String, Object> r = row(company, id);
    assertThat(r)
        .as("put back to be routed again: not sent, not an attempt, no unknown outcome")
        .containsEntry("status", "queued")
        .containsEntry("attempts", 0)
        .containsEntry("lease_lapses", 0);
    assertThat(r.get("lease_until")).isNull();
    assertThat(r.get("claimed_by")).isNull();
    assertThat(r.get("outcome_unknown_since")).isNull();
    assertThat(((Timestamp) r.get("next_attempt_at")).toInstant())
        .isBefore(Instant.now().plus(Duration.ofSeconds(1)));
    assertThat(attempts(company, id)).isEmpty();

    // once routing no longer takes it, the message goes by the company's next choice
    routes.useConsole(Set.of(), Set.of());
    routes.refresh();
    claimOnce();
    assertThat(messages.find(company, id).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    assertThat(row(company, id)).containsEntry("gateway", "simulator").containsEntry("attempts", 1);
  }
}
