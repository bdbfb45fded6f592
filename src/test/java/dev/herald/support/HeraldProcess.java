package dev.herald.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Herald started as a child JVM on the test classpath, as a user would start it. */
public final class HeraldProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int httpPort;

  private HeraldProcess(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  public static HeraldProcess start(Path workDir, int httpPort, Map<String, String> env)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.herald.HeraldApplication");
    Files.createDirectories(workDir);
    Path log = Files.createTempFile(workDir, "herald-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("SERVER_PORT", Integer.toString(httpPort));
    // The test classpath's config/application.properties says non-durable; a user's start is
    // durable.
    builder.environment().put("HERALD_EMBEDDED_DATABASE_DURABLE", "true");
    // A user's Herald stops gracefully on SIGTERM; the test JVM's own config turns that off.
    builder.environment().put("SPRING_MAIN_REGISTERSHUTDOWNHOOK", "true");
    builder.environment().putAll(env);
    return new HeraldProcess(builder.start(), log, httpPort);
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public String baseUrl() {
    return "http://localhost:" + httpPort;
  }

  /** Waits until {@code /actuator/health} answers UP; fails with the child's output otherwise. */
  public void awaitHealthy(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Herald exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return;
        }
      } catch (IOException notYetListening) {
        // still starting
      }
      process.waitFor(250, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("Herald not healthy within " + timeout + ":\n" + output());
  }

  /** SIGKILL: no shutdown hook runs, as with {@code kill -9}. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, the way a service manager stops Herald. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("Herald did not stop within 60 s");
    }
    return process.exitValue();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
