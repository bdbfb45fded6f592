package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anSms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.HeraldApplication;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.contact.ContactInput;
import dev.herald.contact.Contacts;
import dev.herald.shared.TenantId;
import dev.herald.support.Api;
import dev.herald.support.HeraldProcess;
import dev.herald.support.TestCompanies;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * K3 and G1 across processes: Herald nodes as child JVMs on one PostgreSQL (owned by this test),
 * messages queued through OutboundMessages by an in-process Herald whose workers are off. The
 * simulator's records (per message id, per node, with times) are the carrier's view.
 */
class DeliveryClusterIntegrationTests {

  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @TempDir java.nio.file.Path work;

  private ConfigurableApplicationContext enqueuer;
  private final List<HeraldProcess> nodes = new ArrayList<>();
  private String url;
  private OutboundMessages messages;
  private SimulatorControls simulatorControls;
  private JdbcClient jdbc;
  private TenantId tenant;
  private Credits credits;

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

  @AfterEach
  void stopEverything() throws Exception {
    for (HeraldProcess node : nodes) {
      node.close();
    }
    if (enqueuer != null) {
      enqueuer.close();
    }
  }

  /**
   * A fresh database, migrated by an in-process Herald that only enqueues (its workers are off).
   */
  private void freshDatabase() throws Exception {
    String name = "cluster_" + databases.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    url = postgres.getJdbcUrl("postgres", name);
    enqueuer =
        new SpringApplicationBuilder(HeraldApplication.class)
            .properties(
                "server.port=0",
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "spring.datasource.password=",
                "herald.delivery.worker-enabled=false",
                "herald.demo.enabled=false")
            .run();
    messages = enqueuer.getBean(OutboundMessages.class);
    simulatorControls = enqueuer.getBean(SimulatorControls.class);
    jdbc = enqueuer.getBean(JdbcClient.class);
    tenant = enqueuer.getBean(TestCompanies.class).aDanishCompany(true, true).id();
  }

  private HeraldProcess startNode(String nodeId, Map<String, Object> delivery) throws Exception {
    Map<String, Object> json = new HashMap<>(delivery);
    json.put("herald.delivery.node-id", nodeId);
    StringBuilder applicationJson = new StringBuilder("{");
    json.forEach((k, v) ->
        applicationJson
            .append(applicationJson.length() > 1 ? "," : "")
            .append('"')
            .append(k)
            .append("\":\"")
            .append(v)
            .append('"'));
    applicationJson.append('}');
    Map<String, String> env =
        Map.of(
            "SPRING_DATASOURCE_URL", url,
            "SPRING_DATASOURCE_USERNAME", "postgres",
            "SPRING_DATASOURCE_PASSWORD", "",
            "HERALD_DEMO_ENABLED", "false",
            "SPRING_APPLICATION_JSON", applicationJson.toString());
    HeraldProcess node = HeraldProcess.start(work.resolve(nodeId), HeraldProcess.freePort(), env);
    nodes.add(node);
    return node;
  }

  private void enqueue(int count, int perTransaction) {
    for (int done = 0; done < count; done += perTransaction) {
      List<OutboundDraft> drafts = new ArrayList<>();
      for (int i = done; i < Math.min(count, done + perTransaction); i++) {
        drafts.add(
            anSms(
                String.format("+45%08d", 20_000_000 + i),
                "Message number " + i + " from the cluster test"));
      }
      messages.enqueue(tenant, drafts);
    }
  }

  private long count(String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  /** The test's company on prepaid packs with this much credit. */
  private void onPacks(long credit) {
    enqueuer.getBean(BillingAccounts.class).choose(tenant, "packs", "DKK");
    credits = enqueuer.getBean(Credits.class);
    credits.grant(tenant, credit, "cluster-test", "test credit");
  }

  /**
   * Credit neither lost nor doubled: what was granted is the balance plus what waiting and
   * in-flight SMS hold plus what accepted SMS used, each counted in the messages' own segments.
   */
  private void assertCreditAddsUp(long granted) {
    long waiting =
        count(
            "SELECT coalesce(sum(segments), 0) FROM outbound_message WHERE channel = 'sms' AND status IN ('queued', 'sending')");
    long submitted =
        count(
            "SELECT coalesce(sum(segments), 0) FROM outbound_message WHERE channel = 'sms' AND status IN ('sent', 'delivered')");
    long captured =
        count("SELECT coalesce(sum(units), 0) FROM credit_settlement WHERE outcome = 'captured'");
    assertThat(credits.outstanding(tenant)).as("reserved, not settled").isEqualTo(waiting);
    assertThat(captured).as("captured").isEqualTo(submitted);
    assertThat(credits.balance(tenant) + credits.outstanding(tenant) + captured)
        .as("balance + reserved + used")
        .isEqualTo(granted);
  }

  @Test
  void a_node_killed_with_kill_9_mid_submit_loses_nothing_and_its_open_claims_wait_for_the_window()
      throws Exception {
    freshDatabase();
    Map<String, Object> delivery =
        Map.of(
            "herald.delivery.lease", "3s",
            "herald.delivery.submit-timeout", "1s",
            "herald.delivery.cycle-allowance", "1s",
            "herald.delivery.poll-interval", "500ms",
            "herald.delivery.batch-size", "50",
            "herald.delivery.gateways.simulator.max-per-second", "1000",
            "herald.delivery.gateways.simulator.burst", "100",
            "herald.delivery.gateways.simulator.unknown-outcome-window", "5s");
    // With prepaid packs on: the kill must lose and double no credit either.
    onPacks(2_000);
    HeraldProcess first = startNode("node-a", delivery);
    first.awaitHealthy(STARTUP);

    enqueue(2_000, 200);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() ->
            count("SELECT count(*) FROM outbound_message WHERE channel = 'sms' AND status = 'sent'")
                >= 400);
    // The carrier stops answering: the batch in hand is claimed and submitted with no answer when
    // the node dies, the case that may reach the carrier twice.
    simulatorControls.stall(10_000, Duration.ofSeconds(30));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            count(
                    "SELECT count(*) FROM outbound_message WHERE status = 'queued' AND lease_until > now()")
                > 0);
    first.kill9();
    long openAtKill =
        count(
            "SELECT count(*) FROM outbound_message WHERE claimed_by = 'node-a' AND (lease_until IS NOT NULL OR status = 'sending')");
    long sentAtKill =
        count("SELECT count(*) FROM outbound_message WHERE channel = 'sms' AND status = 'sent'");
    assertThat(openAtKill).as("claimed by the dead node, outcome unknown").isPositive();
    assertThat(sentAtKill).isLessThan(2_000);
    assertCreditAddsUp(2_000);
    simulatorControls.acceptAll();

    HeraldProcess second = startNode("node-b", delivery);
    second.awaitHealthy(STARTUP);
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() ->
              count(
                      "SELECT count(*) FROM outbound_message WHERE channel = 'sms' AND status = 'sent'")
                  == 2_000);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "not all sent; statuses "
              + jdbc.sql(
                      "SELECT s || ': ' || n FROM (SELECT status || '/' || coalesce(error_code, '-') AS s, count(*) AS n FROM outbound_message GROUP BY 1) c")
                  .query(String.class)
                  .list()
              + "\nnode-b:\n"
              + second.output(),
          e);
    }

    assertThat(count("SELECT count(*) FROM outbound_message WHERE channel = 'sms'"))
        .isEqualTo(2_000);
    assertCreditAddsUp(2_000);
    assertThat(credits.balance(tenant)).isZero();
    assertThat(count("SELECT count(*) FROM credit_ledger WHERE kind = 'release'")).isZero();
    assertThat(
            count(
                """
                SELECT count(*) FROM outbound_message m
                WHERE m.channel = 'sms' AND (SELECT count(*) FROM simulator_sms s WHERE s.tenant_id = m.tenant_id AND s.message_id = m.id)
                      NOT BETWEEN 1 AND m.attempts
                """))
        .as("messages the carrier never got, or got more often than attempts were recorded")
        .isZero();
    assertThat(
            count(
                """
                SELECT count(*) FROM outbound_attempt
                WHERE node = 'node-a' AND outcome IN ('LEASE_LAPSED', 'UNKNOWN')
                """))
        .as("the dead node's open claims are recorded as attempts with an unknown outcome")
        .isGreaterThanOrEqualTo(openAtKill);
    assertThat(
            count(
                """
                SELECT count(*) FROM outbound_attempt a
                JOIN simulator_sms s ON s.tenant_id = a.tenant_id AND s.message_id = a.message_id
                WHERE a.outcome IN ('LEASE_LAPSED', 'UNKNOWN') AND s.node = 'node-b'
                  AND s.submitted_at < a.finished_at + interval '4900 milliseconds'
                """))
        .as("resubmitted before the 5 s window for news had passed")
        .isZero();
  }

  @Test
  void two_dispatchers_on_one_database_never_submit_a_message_twice_and_share_the_work()
      throws Exception {
    freshDatabase();
    Map<String, Object> delivery =
        Map.of("herald.delivery.batch-size", "100", "herald.delivery.poll-interval", "1s");
    HeraldProcess a = startNode("node-a", delivery);
    HeraldProcess b = startNode("node-b", delivery);
    a.awaitHealthy(STARTUP);
    b.awaitHealthy(STARTUP);

    enqueue(10_000, 500);
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> count("SELECT count(*) FROM outbound_message WHERE status = 'sent'") == 10_000);

    assertThat(count("SELECT count(*) FROM simulator_sms")).as("submissions").isEqualTo(10_000);
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT message_id FROM simulator_sms GROUP BY message_id HAVING count(*) > 1) twice"))
        .as("messages submitted twice")
        .isZero();
    assertThat(count("SELECT count(DISTINCT message_id) FROM simulator_sms")).isEqualTo(10_000);
    long byA = count("SELECT count(*) FROM simulator_sms WHERE node = 'node-a'");
    long byB = count("SELECT count(*) FROM simulator_sms WHERE node = 'node-b'");
    assertThat(byA).as("node-a's share (node-b: %d)", byB).isGreaterThanOrEqualTo(3_000);
    assertThat(byB).as("node-b's share (node-a: %d)", byA).isGreaterThanOrEqualTo(3_000);
    assertThat(count("SELECT count(*) FROM outbound_message WHERE attempts <> 1")).isZero();
  }

  @Test
  void the_gateway_rate_limit_holds_for_two_nodes_together() throws Exception {
    freshDatabase();
    int limit = 50;
    int burst = 5;
    Map<String, Object> delivery =
        Map.of(
            "herald.delivery.gateways.simulator.max-per-second", Integer.toString(limit),
            "herald.delivery.gateways.simulator.burst", Integer.toString(burst));
    HeraldProcess a = startNode("node-a", delivery);
    HeraldProcess b = startNode("node-b", delivery);
    a.awaitHealthy(STARTUP);
    b.awaitHealthy(STARTUP);

    int total = 400;
    enqueue(total, 400);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> count("SELECT count(*) FROM outbound_message WHERE status = 'sent'") == total);

    List<Instant> times =
        jdbc.sql("SELECT submitted_at FROM simulator_sms ORDER BY submitted_at")
            .query((rs, row) -> rs.getTimestamp(1).toInstant())
            .list();
    int busiestSecond = 0;
    for (int start = 0, end = 0; start < times.size(); start++) {
      while (end < times.size() && times.get(end).isBefore(times.get(start).plusSeconds(1))) {
        end++;
      }
      busiestSecond = Math.max(busiestSecond, end - start);
    }
    Duration span = Duration.between(times.getFirst(), times.getLast());
    assertThat(count("SELECT count(DISTINCT node) FROM simulator_sms"))
        .as("both nodes submitted")
        .isEqualTo(2);
    // A limit per node would let 2 x 50 (+ bursts) through each second. Slack: tokens are taken
    // before the simulator stamps the submission, and on a loaded machine a few stamps taken over
    // 1.1 s land within one second (61 was seen with 5 test JVMs on 2 cores); 70 still tells a
    // shared limit from one per node.
    assertThat(busiestSecond)
        .as("submissions in the busiest second")
        .isLessThanOrEqualTo(limit + burst + 15);
    assertThat(span)
        .as("400 at 50/s")
        .isGreaterThanOrEqualTo(Duration.ofMillis((total - burst - limit) * 1000L / limit));
  }

  @Test
  void a_thousand_concurrent_sends_on_two_nodes_with_500_credits_reserve_exactly_500()
      throws Exception {
    freshDatabase();
    TestCompanies testCompanies = enqueuer.getBean(TestCompanies.class);
    TestCompanies.TestCompany company = testCompanies.aDanishCompany(true, true);
    tenant = company.id();
    onPacks(500);
    // Customers who take SMS and have an e-mail address but did not tick e-mail: an SMS without
    // credit must still arrive, by e-mail (H2).
    Contacts contacts = enqueuer.getBean(Contacts.class);
    List<UUID> customers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      customers.add(
          contacts
              .create(
                  tenant,
                  new ContactInput(
                      "Customer " + i,
                      "da",
                      null,
                      List.of("customer" + i + "@example.com"),
                      List.of(
                          new ContactInput.PhoneInput(
                              "MOBILE", String.format("+4520%06d", 900_000 + i))),
                      false,
                      true,
                      true))
              .id());
    }
    Map<String, Object> delivery = Map.of("herald.delivery.poll-interval", "1s");
    HeraldProcess a = startNode("node-a", delivery);
    HeraldProcess b = startNode("node-b", delivery);
    a.awaitHealthy(STARTUP);
    b.awaitHealthy(STARTUP);
    List<Api> apis =
        List.of(
            new Api(URI.create(a.baseUrl()).getPort(), company.apiKey()),
            new Api(URI.create(b.baseUrl()).getPort(), company.apiKey()));

    int sends = 1_000;
    List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(40)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < sends; i++) {
        int n = i;
        futures.add(
            pool.submit(() ->
                statuses.add(
                    apis.get(n % 2)
                        .postWithKey(
                            "/api/v1/messages",
                            "send-" + n,
                            "{\"contactId\":\""
                                + customers.get(n % customers.size())
                                + "\",\"text\":\"Your gardener comes tomorrow at 9 ("
                                + n
                                + ")\"}")
                        .status())));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    assertThat(statuses).hasSize(sends).containsOnly(201);

    assertThat(count("SELECT count(*) FROM outbound_message WHERE channel = 'sms'"))
        .isEqualTo(sends);
    assertThat(count("SELECT coalesce(sum(units), 0) FROM credit_reservation"))
        .as("reserved")
        .isEqualTo(500);
    assertThat(count("SELECT count(*) FROM outbound_message WHERE status = 'no_credit'"))
        .isEqualTo(500);
    assertThat(
            count(
                """
                SELECT count(*) FROM outbound_message s
                JOIN outbound_message e ON e.tenant_id = s.tenant_id AND e.id = s.fallback_id
                WHERE s.status = 'no_credit' AND e.channel = 'email'
                  AND s.status_reason = 'no credit, sent by e-mail'
                """))
        .as("each SMS without credit has its e-mail")
        .isEqualTo(500);
    assertThat(
            count(
                "SELECT count(*) FROM outbound_message WHERE channel = 'email' AND kind <> 'alert'"))
        .as("the fallbacks (the owner's credit alerts are e-mails too)")
        .isEqualTo(500);
    assertThat(credits.balance(tenant)).isZero();
    assertThat(
            count(
                "SELECT coalesce(sum(balance_change), 0) FROM credit_ledger WHERE tenant_id = '"
                    + tenant.value()
                    + "'"))
        .as("grant + reservations")
        .isZero();

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() ->
            count("SELECT count(*) FROM outbound_message WHERE status = 'sent' AND kind <> 'alert'")
                == 1_000);
    assertThat(count("SELECT count(*) FROM simulator_sms")).isEqualTo(500);
    assertCreditAddsUp(500);
  }
}
