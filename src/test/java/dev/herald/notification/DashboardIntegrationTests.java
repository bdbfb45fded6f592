package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.contact.ContactInput;
import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.contact.Contacts;
import dev.herald.shared.Ids;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The dashboard's last 30 days per channel and its last failures, from the messages stored. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired Contacts contacts;
  @Autowired JdbcClient jdbc;
  @Autowired Clock clock;

  void aMessage(TestCompany company, UUID contact, String channel, String status, Duration ago) {
    Timestamp at = Timestamp.from(clock.instant().minus(ago));
    boolean sms = channel.equals("sms");
    jdbc.sql(
            """
            INSERT INTO outbound_message (tenant_id, id, contact_id, channel, recipient, body,
                encoding, segments, status, status_reason, created_at, sent_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'Hej', ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            company.id().value(),
            Ids.next(),
            contact,
            channel,
            sms ? "+4520123466" : "kunde@example.dk",
            sms ? "GSM_7" : null,
            sms ? 1 : 0,
            status,
            status.equals("failed") ? "gave up after 8 attempts: unknown subscriber" : null,
            at,
            status.equals("sent") ? at : null,
            at)
        .update();
  }

  @Test
  void the_last_30_days_count_sent_and_failed_per_channel_and_list_the_failures() throws Exception {
    TestCompany company = companies.aDanishCompany(true, false);
    UUID contact =
        contacts
            .create(
                company.id(),
                new ContactInput(
                    "Dorte Dashboard",
                    "da",
                    null,
                    List.of("kunde@example.dk"),
                    List.of(new PhoneInput("MOBILE", "20 12 34 66")),
                    true,
                    true,
                    true))
            .id();
    aMessage(company, contact, "sms", "sent", Duration.ofDays(2));
    aMessage(company, contact, "sms", "sent", Duration.ofDays(2));
    aMessage(company, contact, "sms", "failed", Duration.ofDays(1));
    aMessage(company, contact, "email", "sent", Duration.ofDays(3));
    aMessage(company, contact, "sms", "sent", Duration.ofDays(45)); // outside the 30 days

    WebSession owner = new WebSession();
    owner.logIn("http://localhost:" + port, company.ownerEmail(), TestCompanies.PASSWORD);
    String page = owner.get("http://localhost:" + port + "/?lang=en").body();
    assertThat(page)
        .contains("SMS: 2 sent, 1 failed")
        .contains("E-mails: 1 sent, 0 failed")
        .contains("class=\"bar-failed\"");
    assertThat(page.split("<rect").length - 1)
        .as("bars drawn: sent and failed SMS on two days, e-mail on one")
        .isEqualTo(3);
    assertThat(page.substring(page.indexOf("id=\"last-failures\"")))
        .contains("Dorte Dashboard")
        .contains("Herald gave up after several tries");
  }

  @Test
  void an_owner_whose_company_has_no_sms_is_shown_the_way_to_ask_for_it_and_staff_is_not()
      throws Exception {
    TestCompany company = companies.aDanishCompany(false, false);
    String base = "http://localhost:" + port;
    WebSession owner = new WebSession();
    owner.logIn(base, company.ownerEmail(), TestCompanies.PASSWORD);
    String page = owner.get(base + "/?lang=en").body();
    assertThat(page).contains("id=\"ask-for-sms\"").contains("href=\"/settings/billing\"");
    assertThat(owner.get(base + "/settings/billing").statusCode()).isEqualTo(200);

    WebSession staff = new WebSession();
    staff.logIn(
        base, companies.aUser(company, dev.herald.tenant.Role.STAFF), TestCompanies.PASSWORD);
    assertThat(staff.get(base + "/?lang=en").body()).doesNotContain("ask-for-sms");
  }
}
