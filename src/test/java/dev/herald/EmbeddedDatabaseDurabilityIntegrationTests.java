package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.HeraldProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default as a user runs it: a child JVM on a data folder, stopped, killed with {@code
 * kill -9} (leaving its PostgreSQL orphaned), and killed together with its PostgreSQL (leaving a
 * stale {@code postmaster.pid} and a crash to recover from). Nothing committed is lost.
 */
class EmbeddedDatabaseDurabilityIntegrationTests {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  @TempDir Path work;

  @Test
  void committed_data_survives_restart_kill_9_and_a_crashed_server() throws Exception {
    Path data = work.resolve("data");
    int dbPort = HeraldProcess.freePort();
    Map<String, String> env =
        Map.of("HERALD_DATA_DIR", data.toString(), "HERALD_DB_PORT", Integer.toString(dbPort));

    try (HeraldProcess first = HeraldProcess.start(work, HeraldProcess.freePort(), env)) {
      first.awaitHealthy(STARTUP);
      try (Connection db = connect(dbPort)) {
        assertThat(show(db, "fsync")).isEqualTo("on");
        assertThat(show(db, "synchronous_commit")).isEqualTo("on");
        assertThat(show(db, "full_page_writes")).isEqualTo("on");
        execute(db, "CREATE TABLE durability_probe (id integer PRIMARY KEY)");
        execute(db, "INSERT INTO durability_probe VALUES (1)");
      }
      assertThat(first.output()).contains("Herald is running", "owner@demo.herald.test");
      assertThat(first.stop()).as("exit code of a graceful stop").isIn(0, 143);
    }
    assertThat(data.resolve("postgres/postmaster.pid"))
        .as("server stopped with Herald")
        .doesNotExist();

    // Restart on the same folder, then kill -9 the JVM: pg_ctl detached the server, so it lives on.
    long orphan;
    try (HeraldProcess second = HeraldProcess.start(work, HeraldProcess.freePort(), env)) {
      second.awaitHealthy(STARTUP);
      assertThat(second.output()).contains("owner@demo.herald.test  password: ");
      try (Connection db = connect(dbPort)) {
        assertThat(probeIds(db)).containsExactly(1);
        execute(db, "INSERT INTO durability_probe VALUES (2)");
      }
      second.kill9();
      orphan = postmasterPid(data).orElseThrow();
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
          .as("orphaned server")
          .contains(true);
    }

    // The next start shuts the orphan down and starts cleanly; then kill everything, server
    // included.
    try (HeraldProcess third = HeraldProcess.start(work, HeraldProcess.freePort(), env)) {
      third.awaitHealthy(STARTUP);
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      try (Connection db = connect(dbPort)) {
        assertThat(probeIds(db)).containsExactly(1, 2);
        execute(db, "INSERT INTO durability_probe VALUES (3)");
      }
      third.kill9();
      ProcessHandle server = ProcessHandle.of(postmasterPid(data).orElseThrow()).orElseThrow();
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
      server.onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(data.resolve("postgres/postmaster.pid")).as("stale pid file left behind").exists();

    try (HeraldProcess fourth = HeraldProcess.start(work, HeraldProcess.freePort(), env)) {
      fourth.awaitHealthy(STARTUP);
      try (Connection db = connect(dbPort)) {
        assertThat(probeIds(db)).containsExactly(1, 2, 3);
        // The demo's Danish company and its Québec company on monthly blocks (issue 9).
        assertThat(count(db, "SELECT count(*) FROM company")).as("demo created once").isEqualTo(2);
        assertThat(count(db, "SELECT count(*) FROM app_user")).isEqualTo(3);
        assertThat(count(db, "SELECT count(*) FROM contact")).isEqualTo(6);
      }
      fourth.stop();
    }
  }

  private static Connection connect(int port) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
  }

  private static String show(Connection db, String setting) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Integer> probeIds(Connection db) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM durability_probe ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  private static Optional<Long> postmasterPid(Path data) throws Exception {
    Path pidFile = data.resolve("postgres/postmaster.pid");
    return Files.exists(pidFile)
        ? Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
        : Optional.empty();
  }
}
