package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.CreditLow;
import dev.herald.billing.CreditRequest;
import dev.herald.billing.Credits;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Role;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
class CreditAlertsIntegrationTests {

  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired CreditAlerts alerts;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;

  List<String> mails(TenantId tenant, String subject) {
    return jdbc.sql(
            """
            SELECT recipient FROM outbound_message
            WHERE tenant_id = :t AND channel = 'email' AND subject = :s ORDER BY recipient
            """)
        .param("t", tenant.value())
        .param("s", subject)
        .query(String.class)
        .list();
  }

  void reserve(TenantId tenant, int units) {
    tx.execute(s ->
        credits.reserve(
            tenant,
            UUID.randomUUID().toString(),
            List.of(new CreditRequest(UUID.randomUUID(), units))));
  }

  @Test
  void owners_and_admins_are_mailed_once_when_credit_runs_low_and_once_when_it_is_used_up() {
    TestCompany c = companies.aDanishCompany(true, true);
    String admin = companies.aUser(c, Role.ADMIN);
    String staff = companies.aUser(c, Role.STAFF);
    accounts.choose(c.id(), "packs", "DKK");
    credits.grant(c.id(), 60, "gift-" + UUID.randomUUID(), "test");

    reserve(c.id(), 15); // 45: below 50
    reserve(c.id(), 5); // 40: still below, no second warning
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(mails(c.id(), "SMS-kreditten er lav"))
                .containsExactlyInAnyOrder(c.ownerEmail().toLowerCase(), admin.toLowerCase()));

    reserve(c.id(), 40); // 0
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() ->
            assertThat(mails(c.id(), "Jeres SMS-pakke er opbrugt"))
                .containsExactlyInAnyOrder(c.ownerEmail().toLowerCase(), admin.toLowerCase()));
    assertThat(mails(c.id(), "SMS-kreditten er lav")).hasSize(2).doesNotContain(staff);
  }

  @Test
  void an_alert_delivered_twice_is_mailed_once() {
    TestCompany c = companies.aDanishCompany(true, true);
    CreditLow low = new CreditLow(UUID.randomUUID(), c.id(), 10, 50);

    // What the listener does with each delivery, run in the test's thread.
    for (int delivery = 0; delivery < 2; delivery++) {
      tx.executeWithoutResult(
          s -> alerts.send(low.tenantId(), low.alertId(), "low", low.balance(), low.threshold()));
    }

    assertThat(mails(c.id(), "SMS-kreditten er lav")).hasSize(1);
  }
}
