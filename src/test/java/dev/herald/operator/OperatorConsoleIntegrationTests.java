package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.WebSession;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperatorConsoleIntegrationTests {

  @LocalServerPort int port;
  @Autowired Companies companies;
  @Autowired JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession operator() throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    return browser;
  }

  Map<String, String> newCompany(String name, String ownerEmail) {
    return new HashMap<>(
        Map.of(
            "name",
            name,
            "plan",
            "STARTER",
            "country",
            "FR",
            "timeZone",
            "Europe/Paris",
            "language",
            "fr",
            "smsSenderName",
            "",
            "ownerName",
            "Jeanne Owner",
            "ownerEmail",
            ownerEmail,
            "ownerPassword",
            "owner-password-1"));
  }

  Company named(String name) {
    return companies.all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void the_operator_creates_a_company_whose_owner_can_log_in() throws Exception {
    String email = "jeanne." + System.nanoTime() + "@test.herald";
    HttpResponse<String> created =
        operator()
            .submit(
                base() + "/operator/companies/new",
                base() + "/operator/companies",
                newCompany("Jardins de Jeanne", email));
    assertThat(created.statusCode()).isEqualTo(302);
    Company company = named("Jardins de Jeanne");
    assertThat(company.country()).isEqualTo("FR");
    assertThat(company.smsUnlocked()).as("SMS starts locked").isFalse();

    WebSession owner = new WebSession();
    owner.logIn(base(), email, "owner-password-1");
    assertThat(owner.get(base() + "/").body()).contains("Jardins de Jeanne");
  }

  @Test
  void a_taken_owner_email_refuses_the_whole_company() throws Exception {
    long before = companies.all().size();
    Map<String, String> form = newCompany("Duplicate Owner Co", "owner@demo.herald.test");
    HttpResponse<String> refused =
        operator().submit(base() + "/operator/companies/new", base() + "/operator/companies", form);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("already has a Herald account", "value=\"Duplicate Owner Co\"");
    assertThat(companies.all()).hasSize((int) before);
  }

  @Test
  void the_operator_unlocks_and_locks_sms_and_changes_the_plan() throws Exception {
    String email = "lock." + System.nanoTime() + "@test.herald";
    WebSession operator = operator();
    operator.submit(
        base() + "/operator/companies/new",
        base() + "/operator/companies",
        newCompany("Lock Test Co", email));
    Company company = named("Lock Test Co");

    // Every SMS is paid for: without a model, SMS stays locked, and the page says why.
    operator.submit(
        base() + "/operator/companies/" + company.id(),
        base() + "/operator/companies/" + company.id() + "/sms",
        Map.of("unlocked", "true"));
    assertThat(companies.find(company.id()).orElseThrow().smsUnlocked()).isFalse();
    assertThat(operator.get(base() + "/operator/companies/" + company.id()).body())
        .contains("Choose the company&#39;s SMS model");

    operator.submit(
        base() + "/operator/billing/companies/" + company.id(),
        base() + "/operator/billing/companies/" + company.id() + "/model",
        Map.of("model", "packs", "currency", "DKK"));
    operator.submit(
        base() + "/operator/companies/" + company.id(),
        base() + "/operator/companies/" + company.id() + "/sms",
        Map.of("unlocked", "true"));
    assertThat(companies.find(company.id()).orElseThrow().smsAvailable()).isTrue();

    operator.submit(
        base() + "/operator/companies/" + company.id(),
        base() + "/operator/companies/" + company.id() + "/plan",
        Map.of("plan", "FREE"));
    Company onFree = companies.find(company.id()).orElseThrow();
    assertThat(onFree.smsUnlocked()).as("kept for when they upgrade").isTrue();
    assertThat(onFree.smsAvailable()).as("a Free plan stops SMS").isFalse();

    operator.submit(
        base() + "/operator/companies/" + company.id(),
        base() + "/operator/companies/" + company.id() + "/sms",
        Map.of("unlocked", "false"));
    assertThat(companies.find(company.id()).orElseThrow().smsUnlocked()).isFalse();
  }

  @Test
  void company_users_cannot_use_the_operator_console() throws Exception {
    WebSession owner = new WebSession();
    owner.logIn(base(), "owner@demo.herald.test", "demo-password-for-tests");
    HttpResponse<String> refused =
        owner.submit(
            base() + "/",
            base() + "/operator/companies",
            newCompany("Sneaky Co", "sneaky@test.herald"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(companies.all().stream().map(Company::name)).doesNotContain("Sneaky Co");
  }
}
