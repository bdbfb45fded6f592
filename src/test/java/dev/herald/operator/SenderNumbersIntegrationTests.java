package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.SenderNumbers;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The operator's numbers: added with every mistake shown at once, assigned, taken back. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SenderNumbersIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired SenderNumbers numbers;

  String base() {
    return "http://localhost:" + port;
  }

  @Test
  void the_operator_adds_a_number_assigns_it_and_takes_it_back_after_confirming() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    WebSession operator = new WebSession();
    operator.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    String page = base() + "/operator/numbers";

    HttpResponse<String> refused =
        operator.submit(page, page, Map.of("number", "12", "country", "", "gateway", "no spaces!"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("international form, starting with +")
        .contains("A gateway name has at most 60")
        .contains("value=\"no spaces!\"");

    String number =
        "+1415%07d".formatted(ThreadLocalRandom.current().nextInt(2_000_000, 9_999_999));
    HttpResponse<String> added =
        operator.submit(
            page,
            page,
            Map.of(
                "number",
                number.substring(0, 5) + " " + number.substring(5),
                "country",
                "",
                "gateway",
                ""));
    assertThat(added.statusCode()).isEqualTo(302);
    SenderNumbers.SenderNumber stored =
        numbers.all().stream().filter(n -> n.number().equals(number)).findFirst().orElseThrow();
    assertThat(stored.country()).as("from the number").isEqualTo("US");
    assertThat(stored.kind()).isEqualTo("long");
    assertThat(operator.get(page).body()).contains(number).contains("Long number");

    String assign = page + "/" + stored.id() + "/companies";
    assertThat(
            operator
                .submit(page, assign, Map.of("company", company.id().value().toString()))
                .statusCode())
        .isEqualTo(302);
    assertThat(numbers.ofCompany(company.id()))
        .extracting(SenderNumbers.SenderNumber::number)
        .containsExactly(number);
    assertThat(operator.get(page).body()).contains(company.name());

    String remove = assign + "/" + company.id().value() + "/remove";
    String confirm = operator.get(remove).body();
    assertThat(confirm).contains(number, company.name(), "Yes, take it back");
    assertThat(numbers.ofCompany(company.id()))
        .as("nothing happens before the confirmation")
        .hasSize(1);
    assertThat(operator.submit(remove, remove, Map.of()).statusCode()).isEqualTo(302);
    assertThat(numbers.ofCompany(company.id())).isEmpty();
  }

  @Test
  void a_company_user_cannot_open_the_numbers() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    WebSession owner = new WebSession();
    owner.logIn(base(), company.ownerEmail(), TestCompanies.PASSWORD);
    assertThat(owner.get(base() + "/operator/numbers").statusCode()).isEqualTo(403);
  }
}
