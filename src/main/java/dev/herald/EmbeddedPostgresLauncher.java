package dev.herald;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL when no {@code spring.datasource.url} is configured (the embedded
 * default, K1), and points the datasource at it.
 *
 * <p>At runtime the server is durable: {@code fsync} and {@code synchronous_commit} on, data kept
 * in {@code HERALD_DATA_DIR} (default {@code ./data}), and a server orphaned by a {@code kill -9}
 * of an earlier Herald is shut down cleanly before a new one starts, so PostgreSQL replays its WAL
 * and nothing committed is lost. Tests set {@code herald.embedded-database.durable=false}: one
 * throwaway server per JVM, one fresh database per application context.
 */
public class EmbeddedPostgresLauncher
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
  private static final AtomicInteger testDatabases = new AtomicInteger();
  private static volatile EmbeddedPostgres sharedTestServer;

  @Override
  public int getOrder() {
    // After the config-data listener, so application.properties and profiles are visible.
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ConfigurableEnvironment env = event.getEnvironment();
    if (env.getProperty("spring.datasource.url") != null
        || !env.getProperty("herald.embedded-database.enabled", Boolean.class, true)) {
      return;
    }
    boolean durable = env.getProperty("herald.embedded-database.durable", Boolean.class, true);
    Map<String, Object> props = new HashMap<>();
    if (durable) {
      Path dataDir = Path.of(env.getProperty("herald.data-dir", "./data")).toAbsolutePath();
      int port = env.getProperty("herald.embedded-database.port", Integer.class, 0);
      // e.g. pg_stat_statements, for a benchmark that looks at the database's share (issue 12)
      String preload = env.getProperty("herald.embedded-database.preload-libraries", "");
      EmbeddedPostgres server = startDurable(dataDir.resolve("postgres"), port, preload);
      event
          .getSpringApplication()
          .addListeners((ApplicationListener<ContextClosedEvent>) closed -> closeQuietly(server));
      props.put("spring.datasource.url", server.getJdbcUrl("postgres", "postgres"));
      log.info("Embedded PostgreSQL (durable) on port {}, data in {}", server.getPort(), dataDir);
    } else {
      EmbeddedPostgres server = sharedTestServer();
      String database =
          "herald_" + ProcessHandle.current().pid() + "_" + testDatabases.incrementAndGet();
      createDatabase(server, database);
      props.put("spring.datasource.url", server.getJdbcUrl("postgres", database));
    }
    props.put("spring.datasource.username", "postgres");
    props.put("spring.datasource.password", "");
    props.put("herald.embedded-database.active", "true");
    env.getPropertySources().addFirst(new MapPropertySource("heraldEmbeddedDatabase", props));
  }

  static EmbeddedPostgres startDurable(Path pgData, int port) {
    return startDurable(pgData, port, "");
  }

  static EmbeddedPostgres startDurable(Path pgData, int port, String preloadLibraries) {
    try {
      Files.createDirectories(pgData);
      OrphanedPostgres.stopIfRunning(pgData);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(120))
              // zonky passes -F (fsync off) and synchronous_commit=off; -c options come after -F
              // on the command line and win, which a test asserts with SHOW.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "200")
              // The server log is copied into Herald's: no DETAIL lines, which quote rows with
              // phone numbers and addresses ("Failing row contains ..."), see K4.
              .setServerConfig("log_error_verbosity", "terse");
      if (port > 0) {
        builder.setPort(port);
      }
      if (!preloadLibraries.isBlank()) {
        builder.setServerConfig("shared_preload_libraries", preloadLibraries);
      }
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + pgData, e);
    }
  }

  private static synchronized EmbeddedPostgres sharedTestServer() {
    if (sharedTestServer == null) {
      try {
        sharedTestServer =
            EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                // Spring keeps up to 32 test contexts, each with its pool (up to 16), its LISTEN
                // connection and db-scheduler's: 300 ran out near the suite's end once it grew.
                .setServerConfig("max_connections", "1000")
                .setServerConfig("log_error_verbosity", "terse")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not start the embedded PostgreSQL for tests", e);
      }
    }
    return sharedTestServer;
  }

  private static void createDatabase(EmbeddedPostgres server, String name) {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + name, e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
