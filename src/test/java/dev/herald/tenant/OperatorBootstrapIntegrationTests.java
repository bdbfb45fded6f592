package dev.herald.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.WebSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A production start (no demo) gets its first operator from the environment, once. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.demo.enabled=false",
      "herald.operator.email=first.operator@herald.test",
      "herald.operator.password=operator-password-1"
    })
class OperatorBootstrapIntegrationTests {

  @LocalServerPort int port;
  @Autowired Users users;
  @Autowired OperatorBootstrap bootstrap;

  @Test
  void the_first_operator_can_log_in_and_a_second_start_changes_nothing() throws Exception {
    HeraldUser operator = users.findByEmail("first.operator@herald.test").orElseThrow();
    assertThat(operator.isOperator()).isTrue();
    assertThat(operator.tenantId()).isNull();

    bootstrap.createFirstOperator();
    assertThat(users.findByEmail("first.operator@herald.test")).contains(operator);

    WebSession browser = new WebSession();
    browser.logIn("http://localhost:" + port, "first.operator@herald.test", "operator-password-1");
    assertThat(browser.get("http://localhost:" + port + "/operator").statusCode()).isEqualTo(200);
  }
}
