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

  @Autowired SenderNumbers numbers;

  @Test
  void two_companies_sending_from_one_number_share_its_limit() {
    String shared =
        "+4571" + String.format("%06d", Math.floorMod(UUID.randomUUID().hashCode(), 1_000_000));
    TenantId first = companyWithSender("FirstCo");
    TenantId second = companyWithSender("SecondCo");
    UUID number = numbers.add(shared, "DK", "").id();
    numbers.assign(number, first);
    numbers.assign(number, second);
    List<OutboundDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      drafts.add(anSms("Direct " + i)); // direct: the customer may answer, so from the number
    }
    List<UUID> ids = new ArrayList<>();
    messages.enqueue(first, drafts).forEach(q -> ids.add(q.id()));
    messages.enqueue(second, drafts).forEach(q -> ids.add(q.id()));

    await()
        .atMost(Duration.ofSeconds(25))
        .until(() ->
            ids.subList(0, 5).stream().allMatch(id -> status(first, id) == MessageStatus.SENT)
                && ids.subList(5, 10).stream()
                    .allMatch(id -> status(second, id) == MessageStatus.SENT));
    List<Instant> times = submittedFrom(shared);
    assertThat(times).as("all ten went from the shared number").hasSize(10);
    // one bucket for the number, 2 per second with a burst of 1, whichever company sends
    assertThat(busiestSecond(times))
        .as("from the number in its busiest second")
        .isLessThanOrEqualTo(3);
    assertThat(Duration.between(times.getFirst(), times.getLast()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(4_400));
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM outbound_message WHERE tenant_id IN (?, ?) AND attempts <> 1")
                .params(first.value(), second.value())
                .query(Long.class)
                .single())
        .as("an attempt each: waiting for the number's turn is not an attempt")
        .isZero();
  }

  @Test
  void
      a_company_sending_from_a_number_to_one_country_and_its_name_to_another_has_a_limit_for_each() {
    TenantId company = companyWithSender("AcmeTwo");
    String usNumber =
        "+1202555" + String.format("%04d", 100 + Math.floorMod(UUID.randomUUID().hashCode(), 99));
    numbers.assign(numbers.add(usNumber, "US", "").id(), company);
    List<OutboundDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // not a message to answer: from the name where the country allows it, from the number in the
      // US
      drafts.add(
          new OutboundDraft(
              Channel.SMS,
              null,
              "+12015550123",
              null,
              "To the US " + i,
              true,
              OutboundKind.BULK,
              null,
              null));
      drafts.add(
          new OutboundDraft(
              Channel.SMS,
              null,
              "+4520123456",
              null,
              "To Denmark " + i,
              true,
              OutboundKind.BULK,
              null,
              null));
    }
    List<UUID> ids = messages.enqueue(company, drafts).stream().map(QueuedMessage::id).toList();

    await()
        .atMost(Duration.ofSeconds(25))
        .until(() -> ids.stream().allMatch(id -> status(company, id) == MessageStatus.SENT));
    List<Instant> fromNumber = submittedFrom(usNumber);
    List<Instant> fromName = submittedFrom("AcmeTwo");
    assertThat(fromNumber).hasSize(6);
    assertThat(fromName).hasSize(6);
    assertThat(busiestSecond(fromNumber)).isLessThanOrEqualTo(3);
    assertThat(busiestSecond(fromName)).isLessThanOrEqualTo(3);
    List<Instant> all = new ArrayList<>(fromNumber);
    all.addAll(fromName);
    all.sort(null);
    // each address at 2 per second: twelve take about 2.5 s, not the 5.5 s of one bucket
    assertThat(busiestSecond(all))
        .as("both addresses together in the busiest second")
        .isGreaterThanOrEqualTo(4);
    assertThat(Duration.between(all.getFirst(), all.getLast()))
        .isLessThan(Duration.ofMillis(4_500));
  }

  private static int busiestSecond(List<Instant> times) {
    int busiest = 0;
    for (int start = 0, end = 0; start < times.size(); start++) {
      while (end < times.size() && times.get(end).isBefore(times.get(start).plusSeconds(1))) {
        end++;
      }
      busiest = Math.max(busiest, end - start);
    }
    return busiest;
  }

  /** When the simulator received each SMS from this source address, in order. */
  private List<Instant> submittedFrom(String sender) {
    return jdbc.sql("SELECT submitted_at FROM simulator_sms WHERE sender = ? ORDER BY submitted_at")
        .param(sender)
        .query((rs, row) -> rs.getTimestamp(1).toInstant())
        .list();
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
