package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The compose box without JavaScript: a plain form post that redirects, or shows its error. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ComposeUiIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;

  @Test
  void a_text_over_the_cap_is_shown_with_its_error_and_kept_and_a_good_one_is_queued()
      throws Exception {
    TestCompany company = companies.aDanishCompany(true, false);
    Api api = new Api(port, company.apiKey());
    String contactId =
        api.post(
                "/api/v1/contacts",
                """
                {"name": "Compose Target", "emails": ["c@example.dk"], "phones": [{"type": "MOBILE", "number": "+4520123496"}],
                 "preferences": {"email": true, "sms": true}}
                """)
            .body()
            .get("id")
            .asString();
    String base = "http://localhost:" + port;
    WebSession owner = new WebSession();
    owner.logIn(base, company.ownerEmail(), TestCompanies.PASSWORD);

    String tooLong = "Lang besked ".repeat(140);
    HttpResponse<String> refused =
        owner.submit(
            base + "/contacts/" + contactId + "/compose",
            base + "/contacts/" + contactId + "/messages",
            Map.of("text", tooLong));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("field-error").contains(tooLong.strip());
    assertThat(api.get("/api/v1/messages?contactId=" + contactId).body().get("total").asInt())
        .isZero();

    HttpResponse<String> sent =
        owner.submit(
            base + "/contacts/" + contactId + "/compose",
            base + "/contacts/" + contactId + "/messages",
            Map.of("text", "Vi ses i morgen"));
    assertThat(sent.statusCode()).isEqualTo(302);
    assertThat(sent.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/messages?contactId="));
    assertThat(owner.get(base + "/messages?contactId=" + contactId).body())
        .contains("2 messages queued.");
    assertThat(api.get("/api/v1/messages?contactId=" + contactId).body().get("total").asInt())
        .isEqualTo(2);
  }

  @Test
  void another_companys_contact_cannot_be_messaged() throws Exception {
    TestCompany a = companies.aDanishCompany(true, false);
    TestCompany b = companies.aDanishCompany(true, false);
    String contactOfA =
        new Api(port, a.apiKey())
            .post(
                "/api/v1/contacts",
                """
                {"name": "Not Yours", "emails": ["n@example.dk"]}
                """)
            .body()
            .get("id")
            .asString();
    String base = "http://localhost:" + port;
    WebSession ownerOfB = new WebSession();
    ownerOfB.logIn(base, b.ownerEmail(), TestCompanies.PASSWORD);
    assertThat(ownerOfB.get(base + "/contacts/" + contactOfA + "/compose").statusCode())
        .isEqualTo(404);
    HttpResponse<String> post =
        ownerOfB.submit(
            base + "/contacts",
            base + "/contacts/" + contactOfA + "/messages",
            Map.of("text", "Hi"));
    assertThat(post.statusCode()).isEqualTo(404);
    assertThat(new Api(port, a.apiKey()).get("/api/v1/messages").body().get("total").asInt())
        .isZero();
  }
}
