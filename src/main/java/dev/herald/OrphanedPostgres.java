package dev.herald;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals with the {@code postmaster.pid} a killed Herald leaves behind. {@code pg_ctl start}
 * detaches the server, so a {@code kill -9} of Herald leaves PostgreSQL running on the data
 * directory; it is asked to shut down (SIGTERM, a smart shutdown: the dead JVM's sessions are gone)
 * before a new server starts. A pid file naming a process that is not PostgreSQL is stale and
 * removed, since PostgreSQL itself cannot always tell (a recycled pid).
 */
final class OrphanedPostgres {

  private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);

  private OrphanedPostgres() {}

  static void stopIfRunning(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    Optional<Long> pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (process.isEmpty() || !isPostgres(process.get())) {
      log.warn("Removing stale {} (process {} is not a running PostgreSQL)", pidFile, pid.get());
      Files.deleteIfExists(pidFile);
      return;
    }
    log.warn(
        "PostgreSQL {} from an earlier Herald still runs on {}; shutting it down",
        pid.get(),
        pgData);
    ProcessHandle server = process.get();
    server.destroy();
    try {
      server.onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception timeoutOrInterrupt) {
      log.warn("PostgreSQL {} did not stop within 60 s; killing it", pid.get());
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
      try {
        server.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Could not stop orphaned PostgreSQL " + pid.get(), e);
      }
    }
  }

  private static Optional<Long> readPid(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(c -> c.endsWith("postgres")).orElse(true);
  }
}
