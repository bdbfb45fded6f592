package dev.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** API errors are RFC 9457 problems also when no endpoint method was chosen. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiErrorsIntegrationTests {

  static final String KEY = "hk_test_demo_key_0123456789abcdefghijklmnop";

  @LocalServerPort int port;

  HttpResponse<String> send(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + KEY)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + status).contains("\"instance\":\"/api/");
  }

  @Test
  void unknown_paths_wrong_methods_and_wrong_content_types_answer_problems() throws Exception {
    assertProblem(send("GET", "/api/v1/nothing", null, null), 404);
    HttpResponse<String> wrongMethod = send("DELETE", "/api/v1/contacts", null, null);
    assertProblem(wrongMethod, 405);
    assertThat(wrongMethod.headers().firstValue("Allow")).isPresent();
    assertProblem(send("POST", "/api/v1/company", "application/json", "{}"), 405);
    assertProblem(send("POST", "/api/v1/sms/preview", "text/plain", "hello"), 415);
  }

  @Test
  void pages_keep_their_error_pages() throws Exception {
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login?x"))
                    .method("DELETE", HttpRequest.BodyPublishers.noBody())
                    .header("Accept", "text/html")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.headers().firstValue("Content-Type").orElse("")).doesNotContain("problem");
  }
}
