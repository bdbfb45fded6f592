package dev.herald.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.contact.ContactInput;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageFilter;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.MessageView;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.delivery.SenderNumbers;
import dev.herald.delivery.SimulatedReplies;
import dev.herald.delivery.SimulatedSms;
import dev.herald.delivery.SimulatorRecords;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import dev.herald.tenant.CompanyContacts;
import dev.herald.tenant.Notices;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The loop through the simulator (the inbound path a carrier's reply takes): a company sends from
 * its own number, the customer answers with a keyword or a reply, and Herald opts out, answers HELP
 * for free, or keeps the reply in the contact's thread and tells the company.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RepliesAndKeywordsIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired Contacts contacts;
  @Autowired OutboundMessages outbound;
  @Autowired SenderNumbers numbers;
  @Autowired SimulatedReplies replies;
  @Autowired SimulatorRecords simulator;
  @Autowired OptOuts optOuts;
  @Autowired Notices notices;
  @Autowired CompanyContacts companyContacts;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired JdbcClient jdbc;

  static String aMobile() {
    return "+4521%06d".formatted(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
  }

  /** A Danish long number of these companies, so replies to it reach them alone. */
  String aNumberOf(TenantId... tenants) {
    SenderNumbers.SenderNumber n =
        numbers.add(
            "+4532%06d".formatted(ThreadLocalRandom.current().nextInt(100_000, 1_000_000)), "", "");
    for (TenantId t : tenants) {
      numbers.assign(n.id(), t);
    }
    return n.number();
  }

  UUID aContact(TenantId tenant, String name, String language, String mobile) {
    return contacts
        .create(
            tenant,
            new ContactInput(
                name,
                language,
                null,
                List.of(),
                List.of(new ContactInput.PhoneInput("MOBILE", mobile)),
                false,
                true,
                true))
        .id();
  }

  /** A message to the contact (a direct one, so it goes from the company's number) and its SMS. */
  SimulatedSms sendAndAwait(TenantId tenant, UUID contact, String mobile, String text) {
    QueuedMessage q =
        outbound
            .enqueue(
                tenant, List.of(new OutboundDraft(Channel.SMS, contact, mobile, null, text, false)))
            .getFirst();
    return await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                simulator.of(tenant, 0, 50).items().stream()
                    .filter(s -> s.messageId().equals(q.id()))
                    .findFirst()
                    .orElse(null),
            s -> s != null);
  }

  List<MessageView> smsTo(TenantId tenant, String number) {
    return outbound.search(tenant, MessageFilter.all(), 0, 200).items().stream()
        .filter(m -> m.channel() == Channel.SMS && number.equals(m.recipient()))
        .toList();
  }

  String answerTo(TenantId tenant, String mobile) {
    return smsTo(tenant, mobile).stream()
        .filter(m -> m.kind().code().equals("keyword_answer"))
        .findFirst()
        .orElseThrow()
        .body();
  }

  @Test
  void help_aide_and_hjaelp_are_answered_in_the_contacts_language_for_free_at_zero_credit() {
    TestCompany company = companies.aDanishCompany(true, true);
    TenantId tenant = company.id();
    accounts.choose(tenant, "packs", "DKK");
    credits.grant(tenant, 3, "help-test-" + UUID.randomUUID(), "three SMS");
    String own = aNumberOf(tenant);
    companyContacts.set(tenant, "+45 70 12 34 56", "hello@firm.example");
    String[][] people = {{"en", "HELP"}, {"fr", "aide !"}, {"da", "Hjælp"}};
    String[] mobiles = new String[3];
    SimulatedSms[] sent = new SimulatedSms[3];
    for (int i = 0; i < 3; i++) {
      mobiles[i] = aMobile();
      UUID contact = aContact(tenant, "Person " + i, people[i][0], mobiles[i]);
      sent[i] = sendAndAwait(tenant, contact, mobiles[i], "Your table is booked");
      assertThat(sent[i].sender()).as("a message one may answer goes from a number").isEqualTo(own);
    }
    assertThat(credits.balance(tenant)).as("the three SMS used the credit up").isZero();

    for (int i = 0; i < 3; i++) {
      replies.reply(tenant, sent[i].id(), people[i][1]);
    }

    for (String mobile : mobiles) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() ->
              smsTo(tenant, mobile).stream()
                  .anyMatch(m ->
                      m.kind().code().equals("keyword_answer")
                          && m.status() == MessageStatus.SENT));
    }
    assertThat(answerTo(tenant, mobiles[0]))
        .startsWith(company.name())
        .contains("+45 70 12 34 56", "hello@firm.example", "Reply STOP");
    assertThat(answerTo(tenant, mobiles[1]))
        .contains("+45 70 12 34 56", "hello@firm.example", "Repondez STOP");
    assertThat(answerTo(tenant, mobiles[2]))
        .contains("tlf. +45 70 12 34 56", "hello@firm.example", "Svar STOP");
    assertThat(credits.balance(tenant)).as("the answers cost nothing").isZero();
    assertThat(
            jdbc.sql(
                    "SELECT source FROM consent_log WHERE tenant_id = :t AND action = 'HELP' ORDER BY source")
                .param("t", tenant.value())
                .query(String.class)
                .list())
        .containsExactly("sms:AIDE", "sms:HELP", "sms:HJÆLP");
    assertThat(notices.unreadCount(tenant)).as("a keyword is no reply").isZero();
  }

  @Test
  void stop_texting_me_is_a_reply_kept_in_the_thread_with_a_notice_and_an_email_and_answered()
      throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    TenantId tenant = company.id();
    String own = aNumberOf(tenant);
    String mobile = aMobile();
    UUID contact = aContact(tenant, "Rasmus Reply", "da", mobile);
    sendAndAwait(tenant, contact, mobile, "Your car is ready for pick-up");
    SimulatedSms sms = simulator.of(tenant, 0, 1).items().getFirst();

    replies.reply(tenant, sms.id(), "Stop texting me");

    await().atMost(Duration.ofSeconds(15)).until(() -> notices.unreadCount(tenant) == 1);
    assertThat(optOuts.isOptedOut(tenant, mobile)).as("a sentence is not STOP").isFalse();
    assertThat(
            jdbc.sql(
                    "SELECT contact_id FROM conversation_message WHERE tenant_id = :t AND text = 'Stop texting me'")
                .param("t", tenant.value())
                .query(UUID.class)
                .list())
        .containsExactly(contact);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            outbound.search(tenant, MessageFilter.all(), 0, 50).items().stream()
                .anyMatch(m ->
                    m.channel() == Channel.EMAIL
                        && company.ownerEmail().equals(m.recipient())
                        && m.subject().contains("Rasmus Reply")
                        && m.body().contains("Stop texting me")));

    String base = "http://localhost:" + port;
    WebSession owner = new WebSession();
    owner.logIn(base, company.ownerEmail(), TestCompanies.PASSWORD);
    assertThat(owner.get(base + "/contacts/" + contact).body())
        .contains("id=\"notices-bell\"")
        .containsPattern("class=\"count\">1<")
        .contains("/contacts/" + contact + "/conversation");
    String thread = owner.get(base + "/contacts/" + contact + "/conversation").body();
    assertThat(thread)
        .contains("Your car is ready for pick-up", "Stop texting me")
        .contains("data-direction=\"in\"", "data-direction=\"out\"");
    assertThat(thread.indexOf("Your car is ready")).isLessThan(thread.indexOf("Stop texting me"));

    String page = base + "/contacts/" + contact + "/conversation";
    HttpResponse<String> empty = owner.submit(page, page, Map.of("text", "   "));
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(empty.body()).contains("field-error");

    HttpResponse<String> answered =
        owner.submit(page, page, Map.of("text", "Sorry, we will stop. Have a nice day"));
    assertThat(answered.statusCode()).isEqualTo(302);
    MessageView reply =
        smsTo(tenant, mobile).stream()
            .filter(m -> m.kind().code().equals("reply"))
            .findFirst()
            .orElseThrow();
    assertThat(reply.body()).isEqualTo("Sorry, we will stop. Have a nice day");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            simulator.of(tenant, 0, 10).items().stream()
                .anyMatch(s -> s.messageId().equals(reply.id()) && s.sender().equals(own)));

    assertThat(owner.get(base + "/notices").body()).contains("Rasmus Reply", "Stop texting me");
    UUID noticeId = notices.of(tenant, 0, 5).items().getFirst().id();
    HttpResponse<String> opened =
        owner.submit(base + "/notices", base + "/notices/" + noticeId + "/read", Map.of());
    assertThat(opened.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/contacts/" + contact + "#conversation"));
    assertThat(notices.unreadCount(tenant)).isZero();
  }

  @Test
  void stop_is_confirmed_once_for_free_at_zero_credit_and_nothing_more_is_sent() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    TenantId tenant = company.id();
    accounts.choose(tenant, "packs", "DKK");
    credits.grant(tenant, 1, "stop-test-" + UUID.randomUUID(), "one SMS");
    String own = aNumberOf(tenant);
    String mobile = aMobile();
    UUID contact = aContact(tenant, "Stina Stop", "fr", mobile);
    SimulatedSms sms = sendAndAwait(tenant, contact, mobile, "Welcome");
    assertThat(credits.balance(tenant)).as("the SMS used the credit up").isZero();

    replies.reply(tenant, sms.id(), "Stop.");
    await().atMost(Duration.ofSeconds(15)).until(() -> optOuts.isOptedOut(tenant, mobile));
    SimulatedSms confirmation =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    simulator.of(tenant, 0, 50).items().stream()
                        .filter(s -> !s.id().equals(sms.id()))
                        .findFirst()
                        .orElse(null),
                s -> s != null);
    assertThat(confirmation.text())
        .as("in the contact's language, from the number the customer can text START to")
        .isEqualTo(
            company.name()
                + " : vous ne recevrez plus nos SMS. Repondez START pour les"
                + " recevoir de nouveau.");
    assertThat(confirmation.sender()).isEqualTo(own);
    assertThat(credits.balance(tenant)).as("the confirmation cost nothing").isZero();

    replies.reply(tenant, sms.id(), "STOP");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() ->
            jdbc.sql("SELECT count(*) FROM inbound_keyword_applied WHERE tenant_id = :t")
                    .param("t", tenant.value())
                    .query(Integer.class)
                    .single()
                == 2);
    credits.grant(tenant, 5, "stop-test-" + UUID.randomUUID(), "five SMS");

    QueuedMessage after =
        outbound
            .enqueue(
                tenant,
                List.of(new OutboundDraft(Channel.SMS, contact, mobile, null, "More news", false)))
            .getFirst();
    MessageView cancelled =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> outbound.find(tenant, after.id()).orElseThrow(),
                m -> m.status() == MessageStatus.CANCELLED);
    assertThat(cancelled.statusReason()).isEqualTo("recipient opted out");
    assertThat(simulator.of(tenant, 0, 50).items())
        .as("the first SMS and the one confirmation: a second STOP is not answered again")
        .hasSize(2);

    String base = "http://localhost:" + port;
    WebSession owner = new WebSession();
    owner.logIn(base, company.ownerEmail(), TestCompanies.PASSWORD);
    String page = base + "/contacts/" + contact + "/conversation";
    HttpResponse<String> refused = owner.submit(page, page, Map.of("text", "Are you sure?"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("STOP", "field-error");
  }

  @Test
  void a_stop_to_a_number_shared_by_two_companies_opts_out_of_both_and_a_strangers_reply_stays_out()
      throws Exception {
    TestCompany a = companies.aDanishCompany(true, true);
    TestCompany b = companies.aDanishCompany(true, true);
    String shared = aNumberOf(a.id(), b.id());
    String mobile = aMobile();
    UUID contact = aContact(a.id(), "Shared Customer", "en", mobile);
    SimulatedSms sms = sendAndAwait(a.id(), contact, mobile, "Hello from A");
    assertThat(sms.sender()).isEqualTo(shared);

    replies.reply(a.id(), sms.id(), "Hello back");
    await().atMost(Duration.ofSeconds(15)).until(() -> notices.unreadCount(a.id()) == 1);
    assertThat(notices.unreadCount(b.id()))
        .as("B does not know the sender: the reply is A's contact's")
        .isZero();

    replies.reply(a.id(), sms.id(), "stop");
    await().atMost(Duration.ofSeconds(15)).until(() -> optOuts.isOptedOut(a.id(), mobile));
    await().atMost(Duration.ofSeconds(15)).until(() -> optOuts.isOptedOut(b.id(), mobile));
  }

  @Test
  void the_simulators_page_replies_as_the_customer() throws Exception {
    TestCompany company = companies.aDanishCompany(true, true);
    TenantId tenant = company.id();
    aNumberOf(tenant);
    String mobile = aMobile();
    UUID contact = aContact(tenant, "Page Customer", "en", mobile);
    SimulatedSms sms = sendAndAwait(tenant, contact, mobile, "Your parcel is here");
    String base = "http://localhost:" + port;
    WebSession owner = new WebSession();
    owner.logIn(base, company.ownerEmail(), TestCompanies.PASSWORD);
    String action = base + "/messages/simulator/" + sms.id() + "/reply";

    HttpResponse<String> empty =
        owner.submit(base + "/messages/simulator", action, Map.of("text", ""));
    assertThat(empty.statusCode()).isEqualTo(302);
    assertThat(owner.get(base + "/messages/simulator").body()).contains("aria-invalid=\"true\"");

    HttpResponse<String> replied =
        owner.submit(base + "/messages/simulator", action, Map.of("text", "Thanks!"));
    assertThat(replied.statusCode()).isEqualTo(302);
    await().atMost(Duration.ofSeconds(15)).until(() -> notices.unreadCount(tenant) == 1);
    assertThat(owner.get(base + "/contacts/" + contact + "/conversation").body())
        .contains("Thanks!");
  }
}
