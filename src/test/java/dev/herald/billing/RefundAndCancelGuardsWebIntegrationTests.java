package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.payment.Payee;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.ReferenceKind;
import dev.herald.shared.Money;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The cancel confirmation and the operator's refunds refuse other companies, company users, the
 * logged out, forms without their CSRF token and ids that are no ids, with a 4xx and nothing
 * changed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RefundAndCancelGuardsWebIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Pricing pricing;
  @Autowired Orders orders;
  @Autowired SmsOrderRefunds refunds;
  @Autowired PaymentDriver payments;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession logIn(String email, String password) throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), email, password);
    return browser;
  }

  SmsOrder aTransferOrder(TestCompany c) {
    SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon", "Street 1", "DK", "", "a@salon.test"));
    orders.chooseMethod(c.id(), o.id(), PaymentMethod.BANK_TRANSFER.name());
    orders.place(c.id(), o.id(), Locale.ENGLISH, URI.create("http://localhost/"));
    return orders.require(c.id(), o.id());
  }

  @Test
  void another_companys_order_cannot_be_seen_nor_cancelled_and_a_bad_id_is_a_4xx()
      throws Exception {
    TestCompany a = aCompanyOnPacks(companies, accounts, credits, 0);
    TestCompany b = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder ofA = aTransferOrder(a);
    WebSession ownerB = logIn(b.ownerEmail(), TestCompanies.PASSWORD);
    String cancel = base() + "/settings/billing/orders/" + ofA.id() + "/cancel";

    assertThat(ownerB.get(cancel).statusCode()).isEqualTo(404);
    String token = WebSession.csrfToken(ownerB.get(base() + "/settings/billing").body());
    assertThat(ownerB.postForm(cancel, Map.of("_csrf", token)).statusCode()).isEqualTo(404);
    assertThat(orders.require(a.id(), ofA.id()).status())
        .isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);

    for (String bad : new String[] {"not-an-id", "1234", UUID.randomUUID().toString()}) {
      String url = base() + "/settings/billing/orders/" + bad + "/cancel";
      assertThat(ownerB.get(url).statusCode()).as("GET %s", bad).isBetween(400, 499);
      assertThat(ownerB.postForm(url, Map.of("_csrf", token)).statusCode())
          .as("POST %s", bad)
          .isBetween(400, 499);
    }

    // The buyer's own cancel without the form's token changes nothing.
    WebSession ownerA = logIn(a.ownerEmail(), TestCompanies.PASSWORD);
    assertThat(ownerA.postForm(cancel, Map.of()).statusCode()).isEqualTo(403);
    assertThat(orders.require(a.id(), ofA.id()).status())
        .isEqualTo(SmsOrder.Status.AWAITING_PAYMENT);
  }

  @Test
  void only_the_operator_with_the_forms_token_marks_a_refund_and_bad_ids_are_a_4xx()
      throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    SmsOrder o = aTransferOrder(c);
    UUID odd = UUID.randomUUID();
    payments.publishInTransaction(
        new PaymentSettled(
            odd,
            c.id(),
            Payee.operator(),
            ReferenceKind.SMS_ORDER,
            o.id().toString(),
            Money.of(100, "DKK"),
            PaymentMethod.CARD,
            Instant.now()));
    assertThat(refunds.find(c.id(), odd)).hasValueSatisfying(r -> assertThat(r.open()).isTrue());
    String url = base() + "/operator/billing/refunds/" + c.id().value() + "/" + odd;

    // Logged out: to the login page; nothing marked.
    HttpResponse<String> anonymous = new WebSession().get(url);
    assertThat(anonymous.statusCode()).isEqualTo(302);
    assertThat(anonymous.headers().firstValue("Location").orElse("")).contains("/login");

    // The company's own owner: forbidden, with a valid token of a page of theirs.
    WebSession owner = logIn(c.ownerEmail(), TestCompanies.PASSWORD);
    String ownerToken = WebSession.csrfToken(owner.get(base() + "/settings/billing").body());
    assertThat(owner.get(url).statusCode()).isEqualTo(403);
    assertThat(owner.postForm(url, Map.of("_csrf", ownerToken)).statusCode()).isEqualTo(403);

    // The operator without the form's token.
    WebSession op = logIn("operator@herald.test", "demo-password-for-tests");
    assertThat(op.postForm(url, Map.of()).statusCode()).isEqualTo(403);
    assertThat(refunds.find(c.id(), odd).orElseThrow().open()).isTrue();

    // Ids that are no ids, or of another company: a 4xx, never a 500.
    String token = WebSession.csrfToken(op.get(url).body());
    TestCompany other = aCompanyOnPacks(companies, accounts, credits, 0);
    for (String bad :
        new String[] {
          "x/" + odd, c.id().value() + "/x", "1/2", other.id().value() + "/" + odd, "a/b/c"
        }) {
      String badUrl = base() + "/operator/billing/refunds/" + bad;
      assertThat(op.get(badUrl).statusCode()).as("GET %s", bad).isBetween(400, 499);
      assertThat(op.postForm(badUrl, Map.of("_csrf", token)).statusCode())
          .as("POST %s", bad)
          .isBetween(400, 499);
    }
    assertThat(refunds.find(c.id(), odd).orElseThrow().open()).isTrue();
  }

  @Test
  void cancelling_a_first_block_awaiting_its_transfer_says_what_a_late_transfer_does()
      throws Exception {
    TestCompany c = companies.aCompany("CA", "America/Toronto", "fr", "STANDARD", false, true);
    accounts.choose(c.id(), "blocks", "CAD");
    SmsOrder o = orders.startSubscription(c.id());
    orders.saveDetails(
        c.id(),
        o.id(),
        new Orders.Details("Salon Ouest Inc.", "1 rue Saint-Paul", "CA", "", "f@o.test"));
    orders.chooseMethod(c.id(), o.id(), PaymentMethod.BANK_TRANSFER.name());
    orders.place(c.id(), o.id(), Locale.ENGLISH, URI.create("http://localhost/"));
    WebSession owner = logIn(c.ownerEmail(), TestCompanies.PASSWORD);
    String base = base() + "/settings/billing/orders/" + o.id() + "/cancel?lang=";

    assertThat(owner.get(base + "en").body())
        .doesNotContain("its SMS are credited")
        .contains("pays your first month")
        .contains("if you have paid the first month another way by then, we refund it");
    assertThat(owner.get(base + "fr").body()).contains("paie votre premier mois");
    assertThat(owner.get(base + "da").body()).contains("betaler jeres første måned");
  }
}
