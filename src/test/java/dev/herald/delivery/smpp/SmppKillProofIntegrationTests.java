package dev.herald.delivery.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.HeraldApplication;
import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.support.HeraldProcess;
import dev.herald.support.TestCompanies;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 12's kill proof, across three processes: a Herald killed with kill -9 in the middle of a
 * drain through its SMPP gateway to an SMSC in another process (the carrier's view: a record of
 * every submit_sm it accepted), then a second Herald that finishes the drain. Every message reaches
 * the SMSC at least once, ends final, and no message reached it more often than Herald recorded
 * attempts for it: what a kill can double, Herald knows it may have doubled.
 */
class SmppKillProofIntegrationTests {

  private static final int MESSAGES = 1_500;
  private static final Duration STARTUP = Duration.ofSeconds(120);

  @TempDir Path work;

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable c : running.reversed()) {
      c.close();
    }
  }

  /** The SMSC as a child JVM: its port, once it listens. */
  private int startSmsc(Path record) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process smsc =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                SmscMain.class.getName(),
                record.toString(),
                "40")
            .redirectErrorStream(true)
            .start();
    running.add(() -> {
      smsc.destroyForcibly();
      smsc.waitFor(10, TimeUnit.SECONDS);
    });
    BufferedReader out =
        new BufferedReader(new InputStreamReader(smsc.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("SMSC_PORT=")) {
        // keep draining its output so it never blocks on a full pipe
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
        return Integer.parseInt(line.substring("SMSC_PORT=".length()));
      }
    }
    throw new AssertionError("the SMSC process ended without listening");
  }

  private HeraldProcess startNode(String nodeId, String url, int smscPort) throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put("herald.delivery.node-id", nodeId);
    props.put("herald.delivery.sms.gateway", "smsc");
    props.put("herald.delivery.sms.default-sender", "+4570000000");
    props.put("herald.delivery.gateways.smsc.type", "smpp");
    props.put("herald.delivery.gateways.smsc.host", "127.0.0.1");
    props.put("herald.delivery.gateways.smsc.port", Integer.toString(smscPort));
    props.put("herald.delivery.gateways.smsc.system-id", "herald");
    props.put("herald.delivery.gateways.smsc.password", "secret");
    props.put("herald.delivery.gateways.smsc.binds", "2");
    props.put("herald.delivery.gateways.smsc.window", "10");
    props.put("herald.delivery.gateways.smsc.max-per-second", "5000");
    props.put("herald.delivery.gateways.smsc.unknown-outcome-window", "3s");
    props.put("herald.delivery.lease", "3s");
    props.put("herald.delivery.submit-timeout", "1s");
    props.put("herald.delivery.cycle-allowance", "1s");
    props.put("herald.delivery.poll-interval", "300ms");
    props.put("herald.delivery.batch-size", "100");
    String json =
        props.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining(",", "{", "}"));
    HeraldProcess node =
        HeraldProcess.start(
            work.resolve(nodeId),
            HeraldProcess.freePort(),
            Map.of(
                "SPRING_DATASOURCE_URL", url,
                "SPRING_DATASOURCE_USERNAME", "postgres",
                "SPRING_DATASOURCE_PASSWORD", "",
                "HERALD_DEMO_ENABLED", "false",
                "SPRING_APPLICATION_JSON", json));
    running.add(node);
    return node;
  }

  @Test
  void
      a_herald_killed_mid_drain_to_an_smsc_in_another_process_loses_nothing_and_knows_every_double()
          throws Exception {
    Path record = work.resolve("smsc-submits.txt");
    int smscPort = startSmsc(record);

    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
    running.add(postgres);
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE kill_proof");
    }
    String url = postgres.getJdbcUrl("postgres", "kill_proof");
    // An in-process Herald migrates the database and queues; its workers are off.
    ConfigurableApplicationContext enqueuer =
        new SpringApplicationBuilder(HeraldApplication.class)
            .properties(
                "server.port=0",
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "spring.datasource.password=",
                "herald.delivery.worker-enabled=false",
                "herald.demo.enabled=false")
            .run();
    running.add(enqueuer);
    JdbcClient jdbc = enqueuer.getBean(JdbcClient.class);
    TenantId tenant = enqueuer.getBean(TestCompanies.class).aDanishCompany(true, true).id();
    HeraldProcess first = startNode("node-a", url, smscPort);
    OutboundMessages messages = enqueuer.getBean(OutboundMessages.class);
    for (int done = 0; done < MESSAGES; done += 500) {
      List<OutboundDraft> drafts = new ArrayList<>();
      for (int i = done; i < done + 500; i++) {
        drafts.add(
            new OutboundDraft(
                Channel.SMS,
                null,
                "+4522%06d".formatted(i),
                null,
                "Kill proof message " + i,
                false,
                OutboundKind.DIRECT,
                null,
                null));
      }
      messages.enqueue(tenant, drafts);
    }
    first.awaitHealthy(STARTUP);
    Function<String, Long> count = sql -> jdbc.sql(sql).query(Long.class).single();

    // Mid-drain, with submits in flight on both binds (the SMSC answers each after 40 ms).
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() ->
            count.apply("SELECT count(*) FROM outbound_message WHERE status = 'sent'")
                >= MESSAGES / 5);
    first.kill9();
    long sentAtKill = count.apply("SELECT count(*) FROM outbound_message WHERE status = 'sent'");
    long openAtKill =
        count.apply(
            "SELECT count(*) FROM outbound_message WHERE status IN ('queued', 'sending') AND claimed_by = 'node-a' AND lease_until > now()");
    assertThat(sentAtKill).as("killed mid-drain").isLessThan(MESSAGES);
    assertThat(openAtKill).as("claims in hand when killed").isPositive();

    HeraldProcess second = startNode("node-b", url, smscPort);
    second.awaitHealthy(STARTUP);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() ->
              count.apply(
                      "SELECT count(*) FROM outbound_message WHERE status NOT IN ('queued', 'sending')")
                  == MESSAGES);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not finished; node-b:\n" + second.output(), e);
    }

    // The carrier's view against Herald's.
    Map<String, Long> submits =
        Files.readAllLines(record).stream()
            .filter(l -> !l.isBlank())
            .collect(Collectors.groupingBy(l -> "+" + l.strip(), Collectors.counting()));
    record Row(String recipient, String status, int attempts) {}
    List<Row> rows =
        jdbc.sql("SELECT recipient, status, attempts FROM outbound_message WHERE tenant_id = ?")
            .param(tenant.value())
            .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getInt(3)))
            .list();
    assertThat(rows).hasSize(MESSAGES);
    assertThat(rows).extracting(Row::status).containsOnly("sent");
    assertThat(submits.keySet())
        .as("every message reached the SMSC, and nothing else did")
        .containsExactlyInAnyOrderElementsOf(rows.stream().map(Row::recipient).toList());
    List<String> unrecorded =
        rows.stream()
            .filter(r -> submits.get(r.recipient()) > r.attempts())
            .map(r ->
                r.recipient() + " got " + submits.get(r.recipient()) + ", attempts " + r.attempts())
            .toList();
    assertThat(unrecorded).as("received more often than Herald recorded attempts").isEmpty();
    long doubled = submits.values().stream().filter(n -> n > 1).count();
    long retried = rows.stream().filter(r -> r.attempts() > 1).count();
    System.out.printf(
        "Kill proof: %d messages, %d sent before the kill, %d claimed by the dead node; the SMSC"
            + " got %d more than once, Herald recorded more than one attempt for %d%n",
        MESSAGES, sentAtKill, openAtKill, doubled, retried);
    assertThat(retried)
        .as("the dead node's claims were taken over with a new attempt")
        .isGreaterThanOrEqualTo(doubled)
        .isPositive();
  }
}
