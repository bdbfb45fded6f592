package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.HeraldApplication;
import dev.herald.support.WebSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LoginAndSessionsIntegrationTests {

  static final String OWNER = "owner@demo.herald.test";
  static final String OPERATOR = "operator@herald.test";
  static final String PASSWORD = "demo-password-for-tests";
  static final String API_KEY = "hk_test_demo_key_0123456789abcdefghijklmnop";

  @LocalServerPort int port;
  @Autowired DataSource dataSource;

  String base() {
    return "http://localhost:" + port;
  }

  @Test
  void owner_logs_in_sees_the_dashboard_and_logs_out() throws Exception {
    WebSession browser = new WebSession();
    assertThat(browser.get(base() + "/").statusCode()).isEqualTo(302);

    HttpResponse<String> login = browser.logIn(base(), OWNER, PASSWORD);
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).matches("http://localhost:\\d+/(\\?continue)?"));

    HttpResponse<String> dashboard = browser.get(base() + "/");
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.body())
        .contains("Welcome, Mette Nordlys", "Nordlys Haveservice", "Standard");

    HttpResponse<String> logout = browser.submit(base() + "/", base() + "/logout", Map.of());
    assertThat(logout.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/login?logout"));
    assertThat(browser.get(base() + "/").statusCode()).isEqualTo(302);
  }

  @Test
  void a_wrong_password_is_refused_with_a_message() throws Exception {
    WebSession browser = new WebSession();
    HttpResponse<String> login = browser.logIn(base(), OWNER, "not-the-password");
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/login?error"));
    assertThat(browser.get(base() + "/login?error").body()).contains("Wrong e-mail or password.");
  }

  @Test
  void a_form_post_without_csrf_token_is_refused() throws Exception {
    WebSession browser = new WebSession();
    HttpResponse<String> login =
        browser.postForm(base() + "/login", Map.of("username", OWNER, "password", PASSWORD));
    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(browser.get(base() + "/").statusCode()).as("not logged in").isEqualTo(302);
  }

  @Test
  void operator_lands_on_the_console_and_company_users_cannot_open_it() throws Exception {
    WebSession operator = new WebSession();
    operator.logIn(base(), OPERATOR, PASSWORD);
    assertThat(operator.get(base() + "/").headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/operator"));
    HttpResponse<String> console = operator.get(base() + "/operator");
    assertThat(console.statusCode()).isEqualTo(200);
    assertThat(console.body()).contains("Nordlys Haveservice");

    WebSession owner = new WebSession();
    owner.logIn(base(), OWNER, PASSWORD);
    HttpResponse<String> refused = owner.get(base() + "/operator");
    assertThat(refused.statusCode()).isEqualTo(403);
    // Inside the layout: the menu, the log-out button and the language switch are there.
    assertThat(refused.body())
        .contains("Your role does not give access to this page.")
        .contains("class=\"mainnav\"", "action=\"/logout\"", "hreflang=\"da\"");
  }

  @Test
  void error_pages_say_what_happened_in_the_users_language() throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), OWNER, PASSWORD);
    HttpResponse<String> missing = browser.get(base() + "/no-such-page");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("This page does not exist");

    browser.get(base() + "/?lang=da");
    HttpResponse<String> danish = browser.get(base() + "/no-such-page");
    assertThat(danish.body()).contains("Siden findes ikke");
  }

  @Test
  void a_session_started_on_one_instance_is_honoured_by_another() throws Exception {
    String url = ((HikariDataSource) dataSource).getJdbcUrl();
    try (ConfigurableApplicationContext second =
        new SpringApplicationBuilder(HeraldApplication.class)
            .properties(
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "server.port=0",
                "herald.demo.enabled=false")
            .run()) {
      String secondBase =
          "http://localhost:" + second.getEnvironment().getProperty("local.server.port");
      WebSession browser = new WebSession();
      browser.logIn(base(), OWNER, PASSWORD);

      HttpResponse<String> onSecond = browser.get(secondBase + "/");
      assertThat(onSecond.statusCode()).isEqualTo(200);
      assertThat(onSecond.body()).contains("Welcome, Mette Nordlys");

      browser.submit(secondBase + "/", secondBase + "/logout", Map.of());
      assertThat(browser.get(base() + "/").statusCode()).as("logged out everywhere").isEqualTo(302);
    }
  }

  @Test
  void health_answers_up() throws Exception {
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
  }

  @Test
  void the_api_takes_a_company_key_and_refuses_others_with_a_problem() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/company"))
                .header("Authorization", "Bearer " + API_KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"name\":\"Nordlys Haveservice\"", "\"smsAvailable\":true");

    for (String header :
        new String[] {null, "Bearer hk_wrong_key_0123456789abcdefghijklmnopqr", "Basic abc"}) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/v1/company"));
      if (header != null) {
        request.header("Authorization", header);
      }
      HttpResponse<String> refused =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(String.valueOf(header)).isEqualTo(401);
      assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(refused.body()).contains("A valid API key is required");
    }
  }
}
