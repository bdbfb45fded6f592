package dev.herald.payment;

import static dev.herald.payment.PaymentFixtures.SANDBOX_SECRET;
import static dev.herald.payment.PaymentFixtures.hmac;
import static dev.herald.payment.PaymentFixtures.postSandbox;
import static dev.herald.payment.PaymentFixtures.sandboxEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.HeraldApplication;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.billing.OrderFixtures;
import dev.herald.billing.Orders;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsOrder;
import dev.herald.shared.TenantId;
import dev.herald.support.HeraldProcess;
import dev.herald.support.TestCompanies;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Exactly once across a kill -9: a Herald child process takes a provider event and is killed at a
 * test hook (herald.payment.test-hooks.pause-in-event) after it moved the payment, before it
 * committed. Then the provider repeats the event (to another node) and it settles once; or it does
 * not, and the next start-up finishes the event once.
 */
class PaymentKillIntegrationTests {

  private static final Duration STARTUP = Duration.ofSeconds(180);
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @TempDir Path work;

  private ConfigurableApplicationContext node;
  private HeraldProcess child;
  private String url;
  private JdbcClient jdbc;
  private Payments payments;
  private SettledCounter counter;
  private TenantId tenant;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** A fresh database and an in-process Herald on it: the "other node" the provider may reach. */
  @BeforeEach
  void freshDatabase() throws Exception {
    String name = "payment_kill_" + databases.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    url = postgres.getJdbcUrl("postgres", name);
    node =
        new SpringApplicationBuilder(HeraldApplication.class, SettledCounter.class)
            .run(
                // Arguments, not default properties: application.properties outranks those.
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--herald.delivery.worker-enabled=false",
                "--herald.demo.enabled=false",
                "--herald.payment.provider=sandbox",
                "--herald.payment.sandbox.webhook-secret=" + SANDBOX_SECRET);
    jdbc = node.getBean(JdbcClient.class);
    payments = node.getBean(Payments.class);
    counter = node.getBean(SettledCounter.class);
    tenant = node.getBean(TestCompanies.class).aDanishCompany(true, true).id();
    node.getBean(BillingAccounts.class).choose(tenant, "packs", "DKK");
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (child != null) {
      child.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private HeraldProcess startChild(String name, boolean hook) throws Exception {
    String json =
        "{\"herald.payment.provider\":\"sandbox\",\"herald.payment.sandbox.webhook-secret\":\""
            + SANDBOX_SECRET
            + "\",\"herald.delivery.worker-enabled\":\"false\""
            + (hook ? ",\"herald.payment.test-hooks.pause-in-event\":\"120s\"" : "")
            + "}";
    HeraldProcess p =
        HeraldProcess.start(
            work.resolve(name),
            HeraldProcess.freePort(),
            Map.of(
                "SPRING_DATASOURCE_URL", url,
                "SPRING_DATASOURCE_USERNAME", "postgres",
                "SPRING_DATASOURCE_PASSWORD", "",
                "HERALD_DEMO_ENABLED", "false",
                "SPRING_APPLICATION_JSON", json));
    p.awaitHealthy(STARTUP);
    return p;
  }

  /** A real SMS order of a pack, placed through billing: its card checkout's payment id. */
  private UUID anOrderByCard() {
    Orders orders = node.getBean(Orders.class);
    SmsOrder o =
        orders.start(tenant, OrderFixtures.dkkPack(node.getBean(Pricing.class)).id().toString());
    orders.saveDetails(
        tenant, o.id(), new Orders.Details("Salon Nord ApS", "Nørregade 1", "DK", "", "b@n.test"));
    orders.chooseMethod(tenant, o.id(), PaymentMethod.CARD.name());
    return orders
        .place(tenant, o.id(), Locale.ENGLISH, URI.create("http://localhost/back"))
        .checkout()
        .paymentId();
  }

  /**
   * The order's credit arrived exactly once: one grant in the ledger, the pack's SMS in the wallet.
   */
  private void assertCreditedOnce() {
    assertThat(
            count(
                "SELECT count(*) FROM credit_ledger WHERE tenant_id = ? AND kind = 'grant'",
                tenant.value()))
        .isEqualTo(1);
    assertThat(node.getBean(Credits.class).balance(tenant)).isEqualTo(OrderFixtures.SMS);
    assertThat(
            count(
                "SELECT count(*) FROM sms_order WHERE tenant_id = ? AND status = 'paid'",
                tenant.value()))
        .isEqualTo(1);
  }

  private String session(UUID payment) {
    return jdbc.sql("SELECT provider_session_id FROM payment WHERE tenant_id = ? AND id = ?")
        .params(tenant.value(), payment)
        .query(String.class)
        .single();
  }

  private long count(String sql, Object... params) {
    return jdbc.sql(sql).params(params).query(Long.class).single();
  }

  /**
   * Posts the event to the child, waits until the child paused inside it (the payment moved, not
   * committed) and kills it; returns the event's body.
   */
  private String killedInsideEvent(UUID payment) throws Exception {
    child = startChild("child-1", true);
    String body =
        sandboxEvent(
            "evt_kill_" + UUID.randomUUID(),
            "checkout.completed",
            session(payment),
            payment,
            "paid");
    long t = Instant.now().getEpochSecond();
    HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create(child.baseUrl() + "/webhooks/sandbox"))
                .header("Content-Type", "application/json")
                .header(
                    "Herald-Signature", "t=" + t + ",v1=" + hmac(SANDBOX_SECRET, t + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> child.output().contains("TEST HOOK: paused in event"));
    child.kill9();
    child = null;

    assertThat(payments.find(tenant, payment).orElseThrow().status())
        .isEqualTo(PaymentStatus.PENDING);
    assertThat(count("SELECT count(*) FROM payment_transition WHERE payment_id = ?", payment))
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM payment_event WHERE payload = ? AND processed_at IS NULL",
                body))
        .as("taken, not finished")
        .isEqualTo(1);
    assertThat(node.getBean(Credits.class).balance(tenant)).as("nothing credited yet").isZero();
    return body;
  }

  @Test
  void killed_inside_an_event_that_the_provider_repeats_settles_exactly_once() throws Exception {
    UUID payment = anOrderByCard();
    String body = killedInsideEvent(payment);

    String other = "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
    assertThat(postSandbox(other, body, SANDBOX_SECRET, Instant.now()).statusCode()).isEqualTo(200);
    assertThat(postSandbox(other, body, SANDBOX_SECRET, Instant.now()).statusCode()).isEqualTo(200);

    assertThat(payments.find(tenant, payment).orElseThrow().status())
        .isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
    assertCreditedOnce();
    assertThat(
            count(
                "SELECT count(*) FROM payment_transition WHERE payment_id = ? AND to_status = 'settled'",
                payment))
        .isEqualTo(1);
  }

  @Test
  void killed_inside_an_event_that_is_not_repeated_is_finished_once_by_the_next_start_up()
      throws Exception {
    UUID payment = anOrderByCard();
    String body = killedInsideEvent(payment);

    child = startChild("child-2", false);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> payments.find(tenant, payment).orElseThrow().status() == PaymentStatus.SETTLED);

    assertThat(
            count(
                "SELECT count(*) FROM payment_transition WHERE payment_id = ? AND to_status = 'settled'",
                payment))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM payment_event WHERE payload = ? AND processed_at IS NOT NULL",
                body))
        .isEqualTo(1);
    assertThat(child.output()).contains("Processed 1 payment events left unfinished");
    assertCreditedOnce();
  }
}
