package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** J2 on contacts: the same Idempotency-Key creates one contact, however often and however fast. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContactsIdempotencyIntegrationTests {

  static final String BODY =
      "{\"name\": \"Ida Idempotent\", \"phones\": [{\"type\": \"MOBILE\", \"number\": \"+4520123477\"}]}";

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;

  long contacts(TestCompany company) {
    return jdbc.sql("SELECT count(*) FROM contact WHERE tenant_id = ?")
        .param(company.id().value())
        .query(Long.class)
        .single();
  }

  HttpResponse<String> post(TestCompany company, String key, String body) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/contacts"))
                  .header("Authorization", "Bearer " + company.apiKey())
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", key)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_repeat_answers_the_first_answer_and_creates_nothing() {
    TestCompany company = companies.aDanishCompany(true, true);
    HttpResponse<String> first = post(company, "key-1", BODY);
    HttpResponse<String> again = post(company, "key-1", BODY);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Location"))
        .isEqualTo(first.headers().firstValue("Location"));
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(contacts(company)).isEqualTo(1);
  }

  @Test
  void the_same_key_with_another_body_is_refused() {
    TestCompany company = companies.aDanishCompany(true, true);
    post(company, "key-2", BODY);
    HttpResponse<String> other = post(company, "key-2", BODY.replace("Ida", "Other"));
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.body()).contains("already used with another request body");
    assertThat(contacts(company)).isEqualTo(1);
  }

  @Test
  void concurrent_repeats_create_one_contact() {
    TestCompany company = companies.aDanishCompany(true, true);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> post(company, "key-race", BODY)));
    }
    List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();

    assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(201));
    assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
    assertThat(contacts(company)).isEqualTo(1);
  }

  @Test
  void keys_belong_to_their_company() {
    TestCompany a = companies.aDanishCompany(true, true);
    TestCompany b = companies.aDanishCompany(true, true);
    assertThat(post(a, "shared-key", BODY).statusCode()).isEqualTo(201);
    assertThat(post(b, "shared-key", BODY).statusCode()).isEqualTo(201);
    assertThat(contacts(a)).isEqualTo(1);
    assertThat(contacts(b)).isEqualTo(1);
  }

  @Test
  void a_refused_request_does_not_burn_its_key() {
    TestCompany company = companies.aDanishCompany(true, true);
    assertThat(post(company, "key-3", "{\"name\": \"\"}").statusCode()).isEqualTo(422);
    assertThat(post(company, "key-3", BODY).statusCode()).isEqualTo(201);
    assertThat(contacts(company)).isEqualTo(1);
  }

  @Test
  void an_unusable_key_is_refused_clearly() {
    TestCompany company = companies.aDanishCompany(true, true);
    HttpResponse<String> tooLong = post(company, "k".repeat(300), BODY);
    assertThat(tooLong.statusCode()).isEqualTo(422);
    assertThat(tooLong.body()).contains("Idempotency-Key");
    assertThat(contacts(company)).isZero();
  }
}
