package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A per-sender limit (a long number takes about one part per second) is applied in the claim: a
 * sender's messages leave at its rate, none of them claimed only to wait, and another sender's
 * message is not held up behind them.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.gateways.simulator.per-sender-per-second=2",
      "herald.delivery.poll-interval=200ms"
    })
class SenderRateLimitIntegrationTests {

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  @Test
  void a_senders_messages_leave_at_its_rate_and_another_sender_is_not_held_up() {
    TenantId slow = companyWithSender("LongNumber");
    TenantId other = companyWithSender("OtherCo");
    List<OutboundDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      drafts.add(anSms("Message " + i));
    }
    List<UUID> ids = messages.enqueue(slow, drafts).stream().map(QueuedMessage::id).toList();
    UUID otherId = messages.enqueue(other, List.of(anSms("Not behind them"))).getFirst().id();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ids.stream().allMatch(id -> status(slow, id) == MessageStatus.SENT));
    List<Instant> times = submittedAt(slow);
    assertThat(times).hasSize(8);
    int busiest = 0;
    for (int start = 0, end = 0; start < times.size(); start++) {
      while (end < times.size() && times.get(end).isBefore(times.get(start).plusSeconds(1))) {
        end++;
      }
      busiest = Math.max(busiest, end - start);
    }
    // 2 per second with a burst of 1: at most 3 in any second; 8 take at least 3 seconds.
    assertThat(busiest).as("submissions in the busiest second").isLessThanOrEqualTo(3);
    assertThat(Duration.between(times.getFirst(), times.getLast()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
    assertThat(
            jdbc.sql("SELECT count(*) FROM outbound_message WHERE tenant_id = ? AND attempts <> 1")
                .param(slow.value())
                .query(Long.class)
                .single())
        .as("claimed once each: none waited in a claim")
        .isZero();

    Instant otherSent = submittedAt(other).getFirst();
    assertThat(otherSent).as("the other sender's message").isBefore(times.get(3));
    assertThat(status(other, otherId)).isEqualTo(MessageStatus.SENT);
  }

  private TenantId companyWithSender(String sender) {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    jdbc.sql("UPDATE company SET sms_sender_name = ? WHERE id = ?")
        .params(sender, tenant.value())
        .update();
    return tenant;
  }

  private MessageStatus status(TenantId tenant, UUID id) {
    return messages.find(tenant, id).orElseThrow().status();
  }

  private List<Instant> submittedAt(TenantId tenant) {
    return jdbc.sql(
            "SELECT submitted_at FROM simulator_sms WHERE tenant_id = ? ORDER BY submitted_at")
        .param(tenant.value())
        .query((rs, row) -> rs.getTimestamp(1).toInstant())
        .list();
  }
}
