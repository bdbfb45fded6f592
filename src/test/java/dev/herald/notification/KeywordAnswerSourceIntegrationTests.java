package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.contact.ContactInput;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.delivery.SenderNumbers;
import dev.herald.delivery.internal.DeliveryWorkers;
import dev.herald.delivery.smpp.TestSmsc;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The answer to a customer's keyword goes from the very number the customer wrote to (issue 12,
 * left-overs): here the operator's number shared by two companies, on an SMPP gateway (the tests'
 * jSMPP SMSC) that is not the companies' route (the simulator is), so that the sender rules alone
 * would send the answer from the company's alphanumeric name, which no customer can answer.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.gateways.smsc.type=smpp",
      "herald.delivery.gateways.smsc.host=127.0.0.1",
      "herald.delivery.gateways.smsc.system-id=herald",
      "herald.delivery.gateways.smsc.password=secret",
      "herald.delivery.gateways.smsc.binds=1",
      "herald.delivery.gateways.smsc.submit-id-format=hex",
      "herald.delivery.submit-timeout=2s",
      "herald.delivery.poll-interval=200ms"
    })
@DirtiesContext // closes its bind and threads once the class is done
class KeywordAnswerSourceIntegrationTests {

  static final TestSmsc SMSC;

  static {
    try {
      SMSC = new TestSmsc();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void smsc(DynamicPropertyRegistry registry) {
    registry.add("herald.delivery.gateways.smsc.port", () -> SMSC.port);
  }

  @AfterAll
  static void stopSmsc() throws IOException {
    SMSC.close();
  }

  @Autowired TestCompanies companies;
  @Autowired SenderNumbers senderNumbers;
  @Autowired Contacts contacts;
  @Autowired OptOuts optOuts;
  @Autowired DeliveryWorkers workers;
  @Autowired JdbcClient jdbc;

  @Test
  void a_stop_to_the_operators_shared_number_is_answered_from_that_number_so_start_can_follow()
      throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(workers::isListening);
    await().atMost(Duration.ofSeconds(10)).until(() -> SMSC.boundSessions() >= 1);
    // Two companies with names of their own and no number of their own: only the operator's
    // number, on the SMPP gateway, which both share.
    TenantId nordlys = companies.aDanishCompany(true, true).id();
    TenantId other = companies.aDanishCompany(true, true).id();
    jdbc.sql("UPDATE company SET sms_sender_name = 'Nordlys' WHERE id = :t")
        .param("t", nordlys.value())
        .update();
    jdbc.sql("UPDATE company SET sms_sender_name = 'Andet' WHERE id = :t")
        .param("t", other.value())
        .update();
    var shared = senderNumbers.add("+4533129901", "", "smsc");
    senderNumbers.assign(shared.id(), nordlys);
    senderNumbers.assign(shared.id(), other);
    String customer = "+4521770001";
    contacts.create(
        nordlys,
        new ContactInput(
            "Karen Kunde",
            "da",
            null,
            List.of(),
            List.of(new ContactInput.PhoneInput("MOBILE", customer)),
            false,
            true,
            true));

    SMSC.mobileOriginated(0, customer.substring(1), "4533129901", "STOP".getBytes(), (byte) 0);

    await().atMost(Duration.ofSeconds(15)).until(() -> optOuts.isOptedOut(nordlys, customer));
    Map<String, Object> answer =
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    jdbc.sql(
                            """
                            SELECT status, gateway FROM outbound_message
                            WHERE tenant_id = :t AND kind = 'opt_out_answer'
                            """)
                        .param("t", nordlys.value())
                        .query()
                        .listOfRows(),
                rows -> rows.size() == 1 && "sent".equals(rows.getFirst().get("status")))
            .getFirst();
    assertThat(answer.get("gateway"))
        .as("by the gateway the STOP came in by, which has the number")
        .isEqualTo("smsc");
    List<TestSmsc.Received> toCustomer =
        SMSC.received().stream()
            .filter(r -> r.pdu().getDestAddress().equals(customer.substring(1)))
            .toList();
    assertThat(toCustomer).hasSize(1);
    assertThat(toCustomer.getFirst().pdu().getSourceAddr())
        .as("from the number the customer wrote to, not the name Nordlys")
        .isEqualTo("4533129901");
    assertThat(toCustomer.getFirst().pdu().getSourceAddrTon())
        .as("international")
        .isEqualTo((byte) 1);

    // and the customer writes START back to that number
    SMSC.mobileOriginated(0, customer.substring(1), "4533129901", "START".getBytes(), (byte) 0);
    await().atMost(Duration.ofSeconds(15)).until(() -> !optOuts.isOptedOut(nordlys, customer));
  }
}
