package dev.herald.demo;

import dev.herald.demo.DemoData.DemoLogins;
import dev.herald.demo.DemoData.DemoSeededMeanwhile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Creates the demo once the application is up, and prints where and how to log in. */
@Component
class DemoStartup {

  private static final Logger log = LoggerFactory.getLogger(DemoStartup.class);

  private final DemoData demo;
  private final DemoSettings settings;
  private final Environment env;

  DemoStartup(DemoData demo, DemoSettings settings, Environment env) {
    this.demo = demo;
    this.settings = settings;
    this.env = env;
  }

  @EventListener(ApplicationReadyEvent.class)
  void onReady() {
    boolean embedded = env.getProperty("herald.embedded-database.active", Boolean.class, false);
    boolean enabled = settings.enabled() != null ? settings.enabled() : embedded;
    if (!enabled) {
      return;
    }
    DemoLogins logins;
    try {
      logins = demo.ensure(settings);
    } catch (DemoSeededMeanwhile e) {
      logins = demo.ensure(settings);
    }
    String url = "http://localhost:" + env.getProperty("local.server.port", "8080") + "/";
    String credentials =
        """
         Company owner : %s  password: %s  (Denmark, prepaid SMS packs, DKK)
         Second owner  : %s  password: %s  (Québec, monthly SMS blocks, CAD)
         Operator      : %s  password: %s
         API key       : %s
        """
            .formatted(
                logins.ownerEmail(),
                logins.password().orElse("(as printed at first start, or HERALD_DEMO_PASSWORD)"),
                logins.quebecOwnerEmail(),
                logins.password().orElse("(same)"),
                logins.operatorEmail(),
                logins.password().orElse("(same)"),
                logins.apiKey().orElse("(as printed at first start, or HERALD_DEMO_API_KEY)"));
    credentials = rememberedCredentials(embedded, logins, credentials);
    String banner =
        "%n============================================================%n Herald is running: %s%n%s============================================================%n"
            .formatted(url, credentials);
    // Printed on purpose: the demo's credentials are what the embedded default is for (K1).
    System.out.println(banner);
    log.info(
        "Demo company {} ready ({})", logins.tenantId(), logins.created() ? "created" : "existing");
  }

  /**
   * The embedded default keeps the demo's first credentials beside its data (owner-only file), so
   * that a restart can print them again; a fixed password or key from the environment wins.
   */
  private String rememberedCredentials(boolean embedded, DemoLogins logins, String credentials) {
    if (!embedded || !env.getProperty("herald.embedded-database.durable", Boolean.class, true)) {
      return credentials;
    }
    Path file = Path.of(env.getProperty("herald.data-dir", "./data"), "demo-credentials.txt");
    try {
      if (logins.created() || (logins.password().isPresent() && logins.apiKey().isPresent())) {
        Files.writeString(file, credentials);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return credentials;
      }
      return Files.exists(file) ? Files.readString(file) : credentials;
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("Could not keep the demo credentials in {}: {}", file, e.toString());
      return credentials;
    }
  }
}
