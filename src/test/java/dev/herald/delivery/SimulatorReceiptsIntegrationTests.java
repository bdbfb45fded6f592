package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.aTwoPartText;
import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** The embedded default shows the whole loop: the simulator reports deliveries like a carrier. */
@SpringBootTest(
    properties = {
      "herald.delivery.simulator.receipts=true",
      "herald.delivery.simulator.receipt-delay=300ms",
      "herald.delivery.receipts.match-interval=100ms"
    })
@DirtiesContext
class SimulatorReceiptsIntegrationTests {

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired SimulatorControls simulator;

  @Test
  void a_message_the_simulator_accepted_becomes_delivered_by_its_receipts() {
    simulator.acceptAll();
    TenantId tenant = companies.aDanishCompany(true, true).id();

    QueuedMessage queued =
        messages.enqueue(tenant, List.of(anSms("+4520123499", aTwoPartText()))).getFirst();

    MessageView delivered =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> messages.find(tenant, queued.id()).orElseThrow(),
                m -> m.status() == MessageStatus.DELIVERED);
    assertThat(delivered.segments()).isEqualTo(2);
    assertThat(delivered.sentAt()).isNotNull();
  }
}
