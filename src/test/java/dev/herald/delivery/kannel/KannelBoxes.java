package dev.herald.delivery.kannel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's Kannel on loopback for tests: a bearerbox with one SMPP link to a test SMSC and an
 * smsbox whose sendsms and get-url reach Herald. When Kannel is not installed the tests are
 * skipped, except under {@code CI=true}, where they fail (CI installs it: {@code .ci/run}).
 */
public final class KannelBoxes implements AutoCloseable {

  static final Path BEARERBOX = Path.of("/usr/sbin/bearerbox");
  static final Path SMSBOX = Path.of("/usr/sbin/smsbox");

  final int adminPort = freePort();
  final int smsboxPort = freePort();
  public final int sendsmsPort = freePort();
  final Path dir;
  private final List<Process> processes = new ArrayList<>();

  /** Skips the test when Kannel is missing, unless this is CI. */
  public static void requireKannel() {
    boolean installed = Files.isExecutable(BEARERBOX) && Files.isExecutable(SMSBOX);
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          "Kannel is not installed (apt-get install -y kannel kannel-extras); CI must run these"
              + " tests");
    }
    assumeTrue(installed, "Kannel is not installed (apt-get install -y kannel kannel-extras)");
  }

  public KannelBoxes() throws IOException {
    this.dir = Files.createTempDirectory("herald-kannel");
  }

  /** Starts bearerbox (SMPP to smscPort) and smsbox (get-url to inboundUrl). */
  public void start(int smscPort, String inboundUrl) throws IOException, InterruptedException {
    Path conf = dir.resolve("kannel.conf");
    Files.writeString(
        conf,
        """
        group = core
        admin-port = %1$d
        admin-password = test
        smsbox-port = %2$d
        box-allow-ip = "127.0.0.1"
        log-file = "%4$s/bearerbox.log"
        log-level = 1
        dlr-storage = internal

        group = smsc
        smsc = smpp
        smsc-id = testsmsc
        host = 127.0.0.1
        port = %5$d
        transceiver-mode = true
        smsc-username = herald
        smsc-password = secret
        system-type = ""
        enquire-link-interval = 30
        max-pending-submits = 10
        reconnect-delay = 1

        group = smsbox
        bearerbox-host = 127.0.0.1
        bearerbox-port = %2$d
        sendsms-port = %3$d
        log-file = "%4$s/smsbox.log"
        log-level = 1

        group = sendsms-user
        username = herald
        password = kannel-pass
        max-messages = 5
        concatenation = true

        group = sms-service
        keyword = default
        catch-all = true
        max-messages = 0
        omit-empty = true
        get-url = "%6$s"
        """
            .formatted(adminPort, smsboxPort, sendsmsPort, dir, smscPort, inboundUrl));
    processes.add(start(BEARERBOX, conf, "bearerbox.out"));
    awaitPort(smsboxPort);
    processes.add(start(SMSBOX, conf, "smsbox.out"));
    awaitPort(sendsmsPort);
  }

  private Process start(Path box, Path conf, String out) throws IOException {
    return new ProcessBuilder(box.toString(), conf.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(out).toFile())
        .start();
  }

  public String log(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return "(no " + name + ")";
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < until) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("Kannel did not open port " + port + " within 20 s");
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (Process p : processes.reversed()) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
