package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anEmail;
import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Lanes and fair claims: a stalled SMTP server does not slow SMS, and one company's bulk, or a
 * thousand companies' bulks, do not hold up another company's single message.
 */
@SpringBootTest(
    properties = {
      "herald.delivery.email.gateway=smtp",
      "herald.delivery.gateways.simulator.max-per-second=8000",
      "herald.delivery.gateways.simulator.burst=1000",
      "herald.delivery.gateways.smtp.max-per-second=200",
      "herald.delivery.submit-timeout=3s",
      "spring.mail.properties.mail.smtp.connectiontimeout=2000",
      "spring.mail.properties.mail.smtp.timeout=2000"
    })
class DispatchLanesAndFairnessIntegrationTests {

  static final int SMTP_PORT = freePort();
  static final SwitchableProxy proxy = SwitchableProxy.start(SMTP_PORT);

  @RegisterExtension
  static GreenMailExtension smtp =
      new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
          .withPerMethodLifecycle(false);

  @DynamicPropertySource
  static void mail(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", proxy::port);
  }

  @Autowired OutboundMessages messages;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  @AfterEach
  void cleanUp() {
    proxy.stalled = false;
    // Whatever a test left waiting must not slow the next one. SKIP LOCKED, in rounds: the
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
  void a_stalled_smtp_server_does_not_slow_sms() {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    double healthy = drainSmsWithEmailsAlongside(tenant, "healthy");
    proxy.stalled = true;
    double stalled = drainSmsWithEmailsAlongside(tenant, "stalled");
    assertThat(stalled)
        .as("SMS per second with SMTP stalled (healthy: %.0f/s)", healthy)
        .isGreaterThanOrEqualTo(healthy / 2);
  }

  /**
   * Queues 300 e-mails and 10,000 SMS; returns SMS per second from the first queued to the last
   * sent.
   */
  private double drainSmsWithEmailsAlongside(TenantId tenant, String run) {
    List<OutboundDraft> emails = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      emails.add(anEmail("customer" + i + "@example.dk", "Invoice " + run + " " + i, "Hello"));
    }
    messages.enqueue(tenant, emails);
    long start = System.nanoTime();
    List<UUID> ids = new ArrayList<>();
    for (int chunk = 0; chunk < 10; chunk++) {
      List<OutboundDraft> sms = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        sms.add(anSms(String.format("+4521%06d", chunk * 1_000 + i), run + " " + chunk + "/" + i));
      }
      messages.enqueue(tenant, sms).forEach(q -> ids.add(q.id()));
    }
    UUID last = ids.getLast();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(() ->
            jdbc.sql(
                        """
                        SELECT count(*) FROM outbound_message
                        WHERE tenant_id = :t AND channel = 'sms' AND status = 'sent' AND id >= :first
                        """)
                    .param("t", tenant.value())
                    .param("first", ids.getFirst())
                    .query(Long.class)
                    .single()
                == 10_000);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(messages.find(tenant, last).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    return 10_000 / seconds;
  }

  @Test
  void one_companys_bulk_of_100000_does_not_hold_up_another_companys_single_message() {
    TenantId bulk = companies.aDanishCompany(true, true).id();
    queueDirectly(List.of(bulk), 100_000);
    assertSingleMessageGoesOutWithinASecond(List.of(bulk), 100_000);
  }

  @Test
  void a_thousand_companies_bulks_do_not_hold_up_another_companys_single_message() {
    List<TenantId> bulks = new ArrayList<>();
    for (UUID id :
        jdbc.sql(
                """
                INSERT INTO company (id, name, plan, country, time_zone, language, sms_unlocked, created_at)
                SELECT gen_random_uuid(), 'Bulk company ' || g, 'STANDARD', 'DK', 'Europe/Copenhagen', 'da',
                       true, now()
                FROM generate_series(1, 1000) g
                RETURNING id
                """)
            .query(UUID.class)
            .list()) {
      bulks.add(new TenantId(id));
    }
    queueDirectly(bulks, 100);
    assertSingleMessageGoesOutWithinASecond(bulks, 100_000);
  }

  /**
   * Rows as enqueue writes them, in one statement per company list, so the backlog is there at
   * once.
   */
  private void queueDirectly(List<TenantId> tenants, int perTenant) {
    jdbc.sql(
            """
            INSERT INTO outbound_message (tenant_id, id, channel, recipient, body, encoding, segments, status,
                                          next_attempt_at, created_at, updated_at, kind, priority, valid_until)
            SELECT t.id, gen_random_uuid(), 'sms', '+4522' || lpad(g::text, 6, '0'), 'Bulk message ' || g,
                   'GSM_7', 1, 'queued', now(), now(), now(), 'direct', 2, now() + interval '1 day'
            FROM unnest(:tenants::uuid[]) AS t(id) CROSS JOIN generate_series(1, :n) g
            """)
        .param("tenants", tenants.stream().map(TenantId::value).toArray(UUID[]::new))
        .param("n", perTenant)
        .update();
  }

  private void assertSingleMessageGoesOutWithinASecond(List<TenantId> bulks, int bulkSize) {
    // Let the bulk get going first.
    await().atMost(Duration.ofSeconds(30)).until(() -> sentOf(bulks) >= 2_000);
    TenantId single = companies.aDanishCompany(true, true).id();
    UUID id = messages.enqueue(single, List.of(anSms("Your quote is ready"))).getFirst().id();
    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> messages.find(single, id).orElseThrow(),
                m -> m.status() == MessageStatus.SENT);
    Map<String, Object> submitted =
        jdbc.sql(
                """
                SELECT s.submitted_at - m.created_at AS waited,
                       (SELECT count(*) FROM simulator_sms b
                        WHERE b.tenant_id = ANY(:bulks::uuid[]) AND b.submitted_at <= s.submitted_at) AS bulk_before
                FROM simulator_sms s JOIN outbound_message m ON m.tenant_id = s.tenant_id AND m.id = s.message_id
                WHERE s.tenant_id = :t AND s.message_id = :id
                """)
            .param("bulks", bulks.stream().map(TenantId::value).toArray(UUID[]::new))
            .param("t", single.value())
            .param("id", id)
            .query()
            .singleRow();
    Duration waited = toDuration(submitted.get("waited"));
    long bulkBefore = ((Number) submitted.get("bulk_before")).longValue();
    assertThat(sent.attempts()).isEqualTo(1);
    assertThat(bulkBefore).as("the bulk was still draining").isLessThan(bulkSize);
    assertThat(waited)
        .as("queued to submitted, %d bulk messages sent before it", bulkBefore)
        .isLessThan(Duration.ofSeconds(1));
  }

  private long sentOf(List<TenantId> tenants) {
    return jdbc.sql(
            "SELECT count(*) FROM outbound_message WHERE tenant_id = ANY(:t::uuid[]) AND status = 'sent'")
        .param("t", tenants.stream().map(TenantId::value).toArray(UUID[]::new))
        .query(Long.class)
        .single();
  }

  private static Duration toDuration(Object interval) {
    org.postgresql.util.PGInterval i = (org.postgresql.util.PGInterval) interval;
    return Duration.ofDays(i.getDays())
        .plusHours(i.getHours())
        .plusMinutes(i.getMinutes())
        .plusNanos((long) (i.getSeconds() * 1e9));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TCP proxy in front of the SMTP server that can stall: it then accepts connections and never
   * says a word, as a hung mail server does.
   */
  static final class SwitchableProxy {
    final ServerSocket server;
    final int target;
    volatile boolean stalled;

    private SwitchableProxy(ServerSocket server, int target) {
      this.server = server;
      this.target = target;
    }

    static SwitchableProxy start(int target) {
      try {
        SwitchableProxy proxy =
            new SwitchableProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
        Thread.ofVirtual().start(proxy::accept);
        return proxy;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          if (stalled) {
            continue; // keep it open, say nothing
          }
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          Thread.ofVirtual().start(() -> pipe(client, upstream));
          Thread.ofVirtual().start(() -> pipe(upstream, client));
        } catch (IOException e) {
          // next connection
        }
      }
    }

    private static void pipe(Socket from, Socket to) {
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // closed
        }
      }
    }
  }
}
