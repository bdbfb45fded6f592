package dev.herald.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Owners edit, remove and reset users; everyone changes their own password; forgot password. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccountsIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies testCompanies;
  @Autowired Users users;
  @Autowired JdbcClient jdbc;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession loggedIn(String email, String password) throws Exception {
    WebSession browser = new WebSession();
    assertThat(browser.logIn(base(), email, password).headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    return browser;
  }

  UUID idOf(String email) {
    return users.findByEmail(email).orElseThrow().id();
  }

  @Test
  void a_wrong_password_keeps_the_email_in_the_form() throws Exception {
    WebSession browser = new WebSession();
    HttpResponse<String> failed = browser.logIn(base(), "someone@example.dk", "not the password");
    assertThat(failed.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
    String again = browser.get(base() + "/login?error").body();
    assertThat(again).contains("value=\"someone@example.dk\"");
    assertThat(browser.get(base() + "/login").body())
        .as("offered once")
        .doesNotContain("someone@example.dk");
  }

  @Test
  void everyone_changes_their_own_password_and_all_problems_are_said_at_once() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String staff = testCompanies.aUser(company, Role.STAFF);
    WebSession browser = loggedIn(staff, TestCompanies.PASSWORD);

    HttpResponse<String> refused =
        browser.submit(
            base() + "/account",
            base() + "/account/password",
            Map.of("current", "wrong", "password", "short", "repeat", "other"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("This is not your current password.")
        .contains("The password needs at least 10 characters.")
        .contains("The two new passwords differ")
        .doesNotContain("value=\"short\"");

    HttpResponse<String> changed =
        browser.submit(
            base() + "/account",
            base() + "/account/password",
            Map.of(
                "current", TestCompanies.PASSWORD,
                "password", "my new long password",
                "repeat", "my new long password"));
    assertThat(changed.statusCode()).isEqualTo(302);
    assertThat(browser.get(base() + "/account").body()).contains("Your password was changed.");
    loggedIn(staff, "my new long password");
  }

  @Test
  void an_owner_edits_and_removes_a_user_who_is_signed_out_at_once() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession owner = loggedIn(company.ownerEmail(), TestCompanies.PASSWORD);
    String staff = testCompanies.aUser(company, Role.STAFF);
    WebSession staffBrowser = loggedIn(staff, TestCompanies.PASSWORD);
    UUID id = idOf(staff);

    String page = owner.get(base() + "/settings/users/" + id).body();
    assertThat(page).contains("works with contacts and sends messages; no settings.");
    String list = owner.get(base() + "/settings/users").body();
    assertThat(list.split("name=\"role\"").length - 1)
        .as("one role picker, with its three roles, in the add form")
        .isEqualTo(3);
    owner.submit(
        base() + "/settings/users/" + id,
        base() + "/settings/users/" + id,
        Map.of("displayName", "Sofie Staff", "role", "ADMIN"));
    assertThat(owner.get(base() + "/settings/users").body()).contains("Sofie Staff was saved.");
    HeraldUser edited = users.findById(id).orElseThrow();
    assertThat(edited.displayName()).isEqualTo("Sofie Staff");
    assertThat(edited.role()).isEqualTo(Role.ADMIN);

    HttpResponse<String> removed =
        owner.submit(
            base() + "/settings/users/" + id,
            base() + "/settings/users/" + id + "/remove",
            Map.of());
    assertThat(removed.statusCode()).isEqualTo(302);
    assertThat(users.findById(id)).isEmpty();
    assertThat(owner.get(base() + "/settings/users").body())
        .contains("Sofie Staff was removed and signed out.");
    assertThat(staffBrowser.get(base() + "/contacts").statusCode())
        .as("the removed user's session is gone")
        .isEqualTo(302);
  }

  @Test
  void the_last_owner_stays_and_admins_cannot_edit_users() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    WebSession owner = loggedIn(company.ownerEmail(), TestCompanies.PASSWORD);
    UUID ownerId = idOf(company.ownerEmail());
    HttpResponse<String> demoted =
        owner.submit(
            base() + "/settings/users/" + ownerId,
            base() + "/settings/users/" + ownerId,
            Map.of("displayName", "Owner", "role", "STAFF"));
    assertThat(demoted.statusCode()).isEqualTo(422);
    assertThat(demoted.body()).contains("A company keeps at least one owner");
    assertThat(users.findById(ownerId).orElseThrow().role()).isEqualTo(Role.OWNER);

    String admin = testCompanies.aUser(company, Role.ADMIN);
    WebSession adminBrowser = loggedIn(admin, TestCompanies.PASSWORD);
    String staff = testCompanies.aUser(company, Role.STAFF);
    HttpResponse<String> refused =
        adminBrowser.submit(
            base() + "/settings/users",
            base() + "/settings/users/" + idOf(staff) + "/remove",
            Map.of());
    assertThat(users.findByEmail(staff)).isPresent();
    assertThat(refused.statusCode()).isEqualTo(302);
  }

  @Test
  void forgot_password_answers_the_same_for_any_address_and_a_link_works_once_within_the_hour()
      throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String staff = testCompanies.aUser(company, Role.STAFF);
    WebSession anyone = new WebSession();

    HttpResponse<String> known =
        anyone.submit(
            base() + "/password/forgot", base() + "/password/forgot", Map.of("email", staff));
    HttpResponse<String> unknown =
        anyone.submit(
            base() + "/password/forgot",
            base() + "/password/forgot",
            Map.of("email", "nobody@example.dk"));
    assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(302);
    assertThat(known.headers().firstValue("Location"))
        .isEqualTo(unknown.headers().firstValue("Location"));

    long tokens =
        jdbc.sql("SELECT count(*) FROM password_reset WHERE user_id = ?")
            .param(idOf(staff))
            .query(Long.class)
            .single();
    assertThat(tokens).isEqualTo(1);
    // The addressee's inbox (the mail sink); the queue keeps no link once the mail is sent.
    String body =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .until(
                () ->
                    jdbc.sql("SELECT body FROM mail_sink WHERE tenant_id = ? AND recipient = ?")
                        .params(company.id().value(), staff)
                        .query(String.class)
                        .optional(),
                java.util.Optional::isPresent)
            .orElseThrow();
    String link =
        body.lines().filter(l -> l.contains("/password/reset?token=")).findFirst().orElseThrow();
    String token = link.substring(link.indexOf("token=") + 6).strip();
    byte[] stored =
        jdbc.sql("SELECT token_hash FROM password_reset WHERE user_id = ?")
            .param(idOf(staff))
            .query(byte[].class)
            .single();
    assertThat(stored)
        .as("only the hash is stored")
        .isEqualTo(dev.herald.shared.Hashes.sha256(token));

    Map<String, String> form =
        Map.of("token", token, "password", "reset password 1", "repeat", "reset password 1");
    HttpResponse<String> reset =
        anyone.submit(base() + "/password/reset?token=" + token, base() + "/password/reset", form);
    assertThat(reset.statusCode()).isEqualTo(302);
    loggedIn(staff, "reset password 1");

    HttpResponse<String> again =
        anyone.postForm(
            base() + "/password/reset",
            Map.of(
                "token",
                token,
                "password",
                "reset password 2",
                "repeat",
                "reset password 2",
                "_csrf",
                WebSession.csrfToken(anyone.get(base() + "/password/forgot").body())));
    assertThat(again.statusCode()).isEqualTo(410);
    assertThat(again.body()).contains("This link has expired or was already used.");
  }

  @Test
  void an_expired_link_offers_a_new_one_instead_of_a_form(@Autowired PasswordResets resets)
      throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String staff = testCompanies.aUser(company, Role.STAFF);
    String token = "an-expired-token-" + UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO password_reset (token_hash, user_id, created_at, expires_at)
            VALUES (?, ?, now() - interval '2 hours', now() - interval '1 hour')
            """)
        .params(dev.herald.shared.Hashes.sha256(token), idOf(staff))
        .update();
    assertThat(resets.usable(token)).isFalse();
    String page = new WebSession().get(base() + "/password/reset?token=" + token).body();
    assertThat(page)
        .contains("This link has expired or was already used.")
        .doesNotContain("name=\"password\"");
    assertThat(resets.reset(token, "whatever password")).isEmpty();
  }

  @Test
  void a_reset_link_is_seen_by_nobody_in_the_company_but_its_addressee() throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String staff = testCompanies.aUser(company, Role.STAFF);
    WebSession attacker = loggedIn(staff, TestCompanies.PASSWORD);
    // The staff user asks for the owner's reset, then looks for the link.
    WebSession anyone = new WebSession();
    anyone.submit(
        base() + "/password/forgot",
        base() + "/password/forgot",
        Map.of("email", company.ownerEmail()));
    UUID message =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .until(
                () ->
                    jdbc.sql(
                            """
                            SELECT id FROM outbound_message
                            WHERE tenant_id = ? AND kind = 'account' AND status = 'sent'
                            """)
                        .param(company.id().value())
                        .query(UUID.class)
                        .optional(),
                java.util.Optional::isPresent)
            .orElseThrow();

    String list = attacker.get(base() + "/messages").body();
    assertThat(list).doesNotContain("token=").doesNotContain(message.toString());
    assertThat(attacker.get(base() + "/messages/" + message).statusCode()).isEqualTo(404);
    assertThat(attacker.get(base() + "/messages/mail-sink").body()).doesNotContain("token=");
    assertThat(
            jdbc.sql("SELECT body FROM outbound_message WHERE tenant_id = ? AND id = ?")
                .params(company.id().value(), message)
                .query(String.class)
                .single())
        .as("the link is not kept once sent")
        .doesNotContain("token=");
    // The addressee's own inbox (the sink's record) has the link, on this instance's address.
    assertThat(
            jdbc.sql("SELECT body FROM mail_sink WHERE tenant_id = ? AND message_id = ?")
                .params(company.id().value(), message)
                .query(String.class)
                .single())
        .contains("http://localhost:" + port + "/password/reset?token=");
  }

  @Test
  void adding_a_user_says_a_taken_address_together_with_the_other_problems() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    TestCompany other = testCompanies.aDanishCompany(true, false);
    var refused =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            dev.herald.shared.InvalidInputException.class,
            () ->
                users.add(
                    company.id(),
                    new NewUser(other.ownerEmail(), "Sam", "STAFF", "short"),
                    Role.OWNER));
    assertThat(refused.problems())
        .extracting(dev.herald.shared.FieldProblem::field, dev.herald.shared.FieldProblem::code)
        .contains(
            org.assertj.core.groups.Tuple.tuple("email", "user.email.unavailable"),
            org.assertj.core.groups.Tuple.tuple("password", "user.password.tooShort"));
  }

  @Test
  void a_new_password_spends_every_reset_link_still_open(@Autowired PasswordResets resets)
      throws Exception {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    String staff = testCompanies.aUser(company, Role.STAFF);
    for (int i = 0; i < 2; i++) {
      new WebSession()
          .submit(base() + "/password/forgot", base() + "/password/forgot", Map.of("email", staff));
    }
    assertThat(
            jdbc.sql("SELECT count(*) FROM password_reset WHERE user_id = ? AND used_at IS NULL")
                .param(idOf(staff))
                .query(Long.class)
                .single())
        .isEqualTo(2);
    users.changePassword(idOf(staff), "a brand new password");
    assertThat(
            jdbc.sql("SELECT count(*) FROM password_reset WHERE user_id = ? AND used_at IS NULL")
                .param(idOf(staff))
                .query(Long.class)
                .single())
        .as("links still usable after the password changed")
        .isZero();
  }
}
