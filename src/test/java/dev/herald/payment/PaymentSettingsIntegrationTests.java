package dev.herald.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.payment.internal.PaymentAccountStore;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import dev.herald.tenant.Role;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Settings > Payments: a company admin stores its own Stripe keys, sealed, never shown again. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PaymentSettingsIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired PaymentAccountStore store;
  @Autowired PaymentAccounts accounts;
  @Autowired JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  @Test
  void an_owner_stores_the_keys_with_every_problem_shown_first_and_sees_only_how_they_end()
      throws Exception {
    TestCompany company = companies.aDanishCompany(false, false);
    WebSession web = new WebSession();
    web.logIn(base(), company.ownerEmail(), TestCompanies.PASSWORD);
    String page = base() + "/settings/payments";

    String before = web.get(page).body();
    assertThat(before)
        .contains("in this demo your customers pay in the sandbox")
        .contains("/webhooks/stripe/" + company.id().value())
        .contains("starts with sk_live_ or sk_test_");

    HttpResponse<String> wrong =
        web.submit(page, page, Map.of("secretKey", "pk_test_123", "webhookSecret", "nope"));
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body())
        .contains("Paste the secret key: it starts with sk_live_")
        .contains("Paste the webhook signing secret: it starts with whsec_.");
    assertThat(store.summary(company.id())).isEmpty();

    String secretKey = "sk_test_51AbCdEfGhIjKlMnOp9876";
    String webhookSecret = "whsec_q1w2e3r4t5y6u7i8o9p0WXYZ";
    HttpResponse<String> saved =
        web.submit(page, page, Map.of("secretKey", secretKey, "webhookSecret", webhookSecret));
    assertThat(saved.statusCode()).isEqualTo(302);

    String after = web.get(page).body();
    assertThat(after)
        .contains("Secret key: set, ending …9876")
        .contains("Webhook signing secret: set, ending …WXYZ")
        .doesNotContain(secretKey)
        .doesNotContain(webhookSecret);
    byte[] sealed =
        jdbc.sql("SELECT secret_key_sealed FROM payment_account WHERE tenant_id = ?")
            .param(company.id().value())
            .query(byte[].class)
            .single();
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("51AbCdEf");
    assertThat(store.stripe(company.id()).orElseThrow().secretKey()).isEqualTo(secretKey);
    assertThat(store.stripe(company.id()).orElseThrow().webhookSecret()).isEqualTo(webhookSecret);
    assertThat(accounts.takesOnlinePayments(company.id())).isTrue();

    HttpResponse<String> removed = web.submit(page, page + "/remove", Map.of());
    assertThat(removed.statusCode()).isEqualTo(302);
    assertThat(store.summary(company.id())).isEmpty();
  }

  @Test
  void staff_cannot_open_the_payment_settings() throws Exception {
    TestCompany company = companies.aDanishCompany(false, false);
    String staff = companies.aUser(company, Role.STAFF);
    WebSession web = new WebSession();
    web.logIn(base(), staff, TestCompanies.PASSWORD);
    assertThat(web.get(base() + "/settings/payments").statusCode()).isEqualTo(403);
  }
}
