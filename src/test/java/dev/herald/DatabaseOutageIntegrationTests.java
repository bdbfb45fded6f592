package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.support.Api;
import dev.herald.support.HeraldProcess;
import dev.herald.support.WebSession;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL stops under a running Herald: the API answers 503 problem details with Retry-After in
 * the request's language, pages answer the 503 page, nothing answers 500; when PostgreSQL is back,
 * the same requests (and the same log-in session) work again without a restart.
 */
class DatabaseOutageIntegrationTests {

  static final String KEY = "hk_test_demo_key_0123456789abcdefghijklmnop";

  @TempDir Path dataDir;

  @Test
  void a_stopped_database_is_a_503_and_herald_recovers_when_it_is_back() throws Exception {
    int dbPort = HeraldProcess.freePort();
    EmbeddedPostgres db = EmbeddedPostgresLauncher.startDurable(dataDir, dbPort);
    ConfigurableApplicationContext herald = null;
    try {
      herald =
          new SpringApplicationBuilder(HeraldApplication.class)
              .run(
                  "--server.port=0",
                  "--spring.datasource.url=" + db.getJdbcUrl("postgres", "postgres"),
                  "--spring.datasource.username=postgres",
                  "--spring.datasource.password=",
                  // Each request waits this long for a connection before it is answered 503.
                  "--spring.datasource.hikari.connection-timeout=1000",
                  "--herald.demo.enabled=true",
                  "--herald.delivery.worker-enabled=false");
      String base = "http://localhost:" + herald.getEnvironment().getProperty("local.server.port");
      Api api = new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), KEY);
      WebSession browser = new WebSession();
      browser.logIn(base, "owner@demo.herald.test", "demo-password-for-tests");
      assertThat(api.get("/api/v1/contacts").status()).isEqualTo(200);
      assertThat(browser.get(base + "/contacts").statusCode()).isEqualTo(200);

      db.close();

      Api.Response down = api.inLanguage("da").get("/api/v1/contacts");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(down.body().path("status").asInt()).isEqualTo(503);
      assertThat(down.body().path("title").asString()).isEqualTo("Tjenesten er utilgængelig");
      assertThat(api.post("/api/v1/contacts", "{\"name\":\"Ada\"}").status()).isEqualTo(503);

      HttpResponse<String> page = browser.get(base + "/contacts");
      assertThat(page.statusCode()).isEqualTo(503);
      assertThat(page.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(page.body()).contains("Herald cannot reach its database right now");
      // The log-in page keeps its CSRF token in a session, which lives in the database.
      HttpResponse<String> login = new WebSession().get(base + "/login");
      assertThat(login.statusCode()).isEqualTo(503);
      assertThat(login.body()).contains("Herald cannot reach its database right now");

      db = EmbeddedPostgresLauncher.startDurable(dataDir, dbPort);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(api.get("/api/v1/contacts").status()).isEqualTo(200));
      assertThat(browser.get(base + "/contacts").statusCode()).isEqualTo(200);
    } finally {
      if (herald != null) {
        herald.close();
      }
      db.close();
    }
  }
}
