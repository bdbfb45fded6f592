package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.SimulatorControls;
import dev.herald.support.Api;
import dev.herald.support.Api.Response;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Plan;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What happens to messages still waiting when their contact is deleted or SMS stops for the
 * company.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MessageLifecycleIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired Companies companyRepository;
  @Autowired SimulatorControls simulator;
  @Autowired JdbcClient jdbc;

  @AfterEach
  void simulatorAcceptsAgain() {
    simulator.acceptAll();
  }

  record Waiting(TestCompany company, Api api, String contactId, String smsId) {}

  /** An SMS whose first attempt failed transiently, so it waits for its retry. */
  Waiting anSmsWaitingForItsRetry(String number) {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String contactId =
        api.post(
                "/api/v1/contacts",
                """
                {"name": "Waiting", "emails": ["w@example.dk"], "phones": [{"type": "MOBILE", "number": "%s"}],
                 "preferences": {"email": false, "sms": true}}
                """
                    .formatted(number))
            .body()
            .get("id")
            .asString();
    simulator.failTransientlyUntilToldOtherwise();
    Response sent =
        api.postWithKey(
            "/api/v1/messages", "w", "{\"contactId\": \"" + contactId + "\", \"text\": \"Hej\"}");
    String smsId = sent.body().at("/messages/0/id").asString();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> {
          Response m = api.get("/api/v1/messages/" + smsId);
          assertThat(m.body().get("attempts").asInt()).isGreaterThanOrEqualTo(1);
          assertThat(m.body().get("status").asString()).isEqualTo("queued");
        });
    return new Waiting(company, api, contactId, smsId);
  }

  @Test
  void deleting_a_contact_cancels_its_waiting_messages_and_masks_the_history() {
    Waiting w = anSmsWaitingForItsRetry("+4520123491");

    assertThat(w.api().delete("/api/v1/contacts/" + w.contactId()).status()).isEqualTo(204);
    simulator.acceptAll();

    Response m = w.api().get("/api/v1/messages/" + w.smsId());
    assertThat(m.body().get("status").asString()).isEqualTo("cancelled");
    assertThat(m.body().get("statusReason").asString()).isEqualTo("contact deleted");
    String stored =
        jdbc.sql("SELECT recipient FROM outbound_message WHERE tenant_id = ? AND id = ?::uuid")
            .params(w.company().id().value(), w.smsId())
            .query(String.class)
            .single();
    assertThat(stored).doesNotContain("20123491").endsWith("91");
    long unmaskedInSimulator =
        jdbc.sql(
                "SELECT count(*) FROM simulator_sms WHERE tenant_id = ? AND recipient = '+4520123491'")
            .param(w.company().id().value())
            .query(Long.class)
            .single();
    assertThat(unmaskedInSimulator).isZero();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() ->
            assertThat(w.api().get("/api/v1/messages/" + w.smsId()).body().get("status").asString())
                .isEqualTo("cancelled"));
  }

  @Test
  void locking_sms_or_a_free_plan_cancels_waiting_sms() {
    Waiting locked = anSmsWaitingForItsRetry("+4520123492");
    companyRepository.setSmsUnlocked(locked.company().id(), false);
    Response m = locked.api().get("/api/v1/messages/" + locked.smsId());
    assertThat(m.body().get("status").asString()).isEqualTo("cancelled");
    assertThat(m.body().get("statusReason").asString()).isEqualTo("SMS locked");

    Waiting downgraded = anSmsWaitingForItsRetry("+4520123493");
    companyRepository.changePlan(downgraded.company().id(), Plan.FREE);
    simulator.acceptAll();
    assertThat(
            downgraded
                .api()
                .get("/api/v1/messages/" + downgraded.smsId())
                .body()
                .get("status")
                .asString())
        .isEqualTo("cancelled");
  }

  @Test
  void control_characters_and_broken_emoji_are_refused_before_anything_is_queued() {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String contactId =
        api.post(
                "/api/v1/contacts",
                """
                {"name": "Text Checks", "emails": ["t@example.dk"], "phones": [{"type": "MOBILE", "number": "+4520123494"}],
                 "preferences": {"email": true, "sms": true}}
                """)
            .body()
            .get("id")
            .asString();

    Response nul =
        api.postWithKey(
            "/api/v1/messages",
            "nul",
            "{\"contactId\": \"" + contactId + "\", \"text\": \"Hej\\u0000du\"}");
    assertThat(nul.status()).isEqualTo(422);
    assertThat(nul.body().at("/errors/0/field").asString()).isEqualTo("text");
    Response half =
        api.postWithKey(
            "/api/v1/messages",
            "half",
            "{\"contactId\": \"" + contactId + "\", \"text\": \"hi \\ud83d there\"}");
    assertThat(half.status()).isEqualTo(422);
    assertThat(half.body().at("/errors/0/message").asString()).contains("half of an emoji");
    Response lines =
        api.postWithKey(
            "/api/v1/messages",
            "lines",
            "{\"contactId\": \"" + contactId + "\", \"text\": \"Line one\\nLine two\"}");
    assertThat(lines.status()).as("line breaks are text").isEqualTo(201);
    long queued =
        jdbc.sql("SELECT count(*) FROM outbound_message WHERE tenant_id = ?")
            .param(company.id().value())
            .query(Long.class)
            .single();
    assertThat(queued).isEqualTo(2);
  }
}
