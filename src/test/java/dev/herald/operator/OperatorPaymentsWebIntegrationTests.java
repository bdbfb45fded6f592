package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Credits;
import dev.herald.billing.OrderFixtures;
import dev.herald.billing.Orders;
import dev.herald.billing.PaymentMethodChoices;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsOrder;
import dev.herald.billing.SmsOrderRefunds;
import dev.herald.payment.Checkout;
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
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The operator's bank transfers and payment methods per country, over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperatorPaymentsWebIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Pricing pricing;
  @Autowired Orders orders;
  @Autowired PaymentMethodChoices methods;
  @Autowired PaymentDriver payments;
  @Autowired SmsOrderRefunds refunds;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession operator() throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    browser.get(base() + "/operator?lang=en");
    return browser;
  }

  Checkout.BankTransfer aTransferOrder(TestCompany c) {
    SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon", "Street 1", "DK", "", "a@salon.test"));
    orders.chooseMethod(c.id(), o.id(), "BANK_TRANSFER");
    return (Checkout.BankTransfer)
        orders.place(c.id(), o.id(), Locale.ENGLISH, URI.create("http://localhost/")).checkout();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void a_transfer_is_listed_confirmed_then_recorded_once_and_a_wrong_amount_is_flagged()
      throws Exception {
    TestCompany c = companies.aDanishCompany(true, true);
    accounts.choose(c.id(), "packs", "DKK");
    Checkout.BankTransfer bank = aTransferOrder(c);
    WebSession op = operator();

    String page = op.get(base() + "/operator/billing/transfers").body();
    assertThat(page).contains("Transfers we wait for").contains(bank.creditorReference());

    HttpResponse<String> wrong =
        op.get(
            base()
                + "/operator/billing/transfers/record?reference=&amount=-1&currency=DKK&receivedOn=x");
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body())
        .contains("Enter the payment reference from the bank statement.")
        .contains("Enter the amount received")
        .contains("Enter the date the transfer was received.");

    String typedReference =
        bank.creditorReference().toLowerCase(Locale.ROOT).replaceAll("(.{4})", "$1 ");
    String confirmUrl =
        base()
            + "/operator/billing/transfers/record?reference="
            + q(typedReference)
            + "&amount=500.00&currency=DKK&receivedOn="
            + LocalDate.now();
    String confirm = op.get(confirmUrl).body();
    assertThat(confirm).contains("Record DKK500.00").contains(bank.creditorReference());
    assertThat(credits.balance(c.id())).as("the confirmation moves nothing").isZero();

    Map<String, String> fields =
        Map.of(
            "reference",
            typedReference,
            "amount",
            "500.00",
            "currency",
            "DKK",
            "receivedOn",
            LocalDate.now().toString());
    HttpResponse<String> recorded =
        op.submit(confirmUrl, base() + "/operator/billing/transfers/record", fields);
    assertThat(recorded.statusCode()).isEqualTo(302);
    assertThat(op.get(base() + "/operator/billing/transfers").body())
        .contains("the order is paid and its SMS credited");
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);

    op.submit(confirmUrl, base() + "/operator/billing/transfers/record", fields);
    assertThat(op.get(base() + "/operator/billing/transfers").body())
        .contains("was recorded before");
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);

    TestCompany d = companies.aDanishCompany(true, true);
    accounts.choose(d.id(), "packs", "DKK");
    Checkout.BankTransfer other = aTransferOrder(d);
    op.submit(
        confirmUrl,
        base() + "/operator/billing/transfers/record",
        Map.of(
            "reference",
            other.creditorReference(),
            "amount",
            "400.00",
            "currency",
            "DKK",
            "receivedOn",
            LocalDate.now().toString()));
    String after = op.get(base() + "/operator/billing/transfers").body();
    assertThat(after).contains("with a flag").contains("wrong amount");
    assertThat(credits.balance(d.id())).isZero();

    HttpResponse<String> tampered =
        op.submit(
            confirmUrl,
            base() + "/operator/billing/transfers/record",
            Map.of("reference", "", "amount", "-1", "currency", "DKK", "receivedOn", "x"));
    assertThat(tampered.statusCode()).as("a redirect after the POST").isEqualTo(302);
    assertThat(op.get(base() + "/operator/billing/transfers").body())
        .as("every error of a form changed after its confirmation, with what was typed")
        .contains("Enter the payment reference from the bank statement.")
        .contains("Enter the amount received")
        .contains("Enter the date the transfer was received.")
        .contains("value=\"-1\"");
  }

  @Test
  void the_operator_sets_the_payment_methods_of_a_country_and_its_buyers_see_only_those()
      throws Exception {
    WebSession op = operator();
    HttpResponse<String> none =
        op.submit(
            base() + "/operator/billing/payment-methods",
            base() + "/operator/billing/payment-methods",
            Map.of("country", "ZZ"));
    assertThat(none.statusCode()).isEqualTo(422);
    assertThat(none.body())
        .contains("Enter a country code such as DK.")
        .contains("Choose at least one payment method.");

    HttpResponse<String> saved =
        op.submitAll(
            base() + "/operator/billing/payment-methods",
            base() + "/operator/billing/payment-methods",
            List.of(
                Map.entry("country", "no"),
                Map.entry("method", "CARD"),
                Map.entry("method", "BANK_TRANSFER")));
    assertThat(saved.statusCode()).isEqualTo(302);
    try {
      assertThat(methods.forCountry("NO"))
          .containsExactly(PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER);
      assertThat(op.get(base() + "/operator/billing/payment-methods").body())
          .contains("data-country=\"NO\"");

      TestCompany c = companies.aDanishCompany(true, true);
      accounts.choose(c.id(), "packs", "DKK");
      SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
      orders.saveDetails(
          c.id(), o.id(), new Orders.Details("Salon AS", "Gate 1, Oslo", "NO", "", "a@salon.test"));
      WebSession owner = new WebSession();
      owner.logIn(base(), c.ownerEmail(), TestCompanies.PASSWORD);
      owner.get(base() + "/?lang=en");
      String page = owner.get(base() + "/settings/billing/orders/" + o.id() + "/method").body();
      assertThat(page)
          .contains("value=\"CARD\"", "value=\"BANK_TRANSFER\"")
          .doesNotContain("value=\"PAYPAL\"", "value=\"APPLE_PAY\"");
    } finally {
      op.submit(
          base() + "/operator/billing/payment-methods",
          base() + "/operator/billing/payment-methods/NO/reset",
          Map.of());
    }
    assertThat(methods.forCountry("NO")).isEqualTo(PaymentMethodChoices.DEFAULT);
  }

  @Test
  void a_payment_to_refund_is_listed_confirmed_then_marked_refunded_once() throws Exception {
    TestCompany c = companies.aDanishCompany(true, true);
    accounts.choose(c.id(), "packs", "DKK");
    SmsOrder o = orders.start(c.id(), OrderFixtures.dkkPack(pricing).id().toString());
    orders.saveDetails(
        c.id(), o.id(), new Orders.Details("Salon Refund", "Street 1", "DK", "", "a@salon.test"));
    orders.chooseMethod(c.id(), o.id(), "CARD");
    orders.place(c.id(), o.id(), Locale.ENGLISH, URI.create("http://localhost/"));
    UUID first = orders.require(c.id(), o.id()).paymentId();
    payments.settle(first);
    UUID second = UUID.randomUUID();
    payments.publishInTransaction(
        new PaymentSettled(
            second,
            c.id(),
            Payee.operator(),
            ReferenceKind.SMS_ORDER,
            o.id().toString(),
            Money.of(50000, "DKK"),
            PaymentMethod.CARD,
            Instant.now()));
    WebSession op = operator();
    assertThat(op.get(base() + "/operator/billing").body())
        .as("the billing overview points to what is to refund")
        .contains("id=\"refunds-waiting\"")
        .containsPattern("\\d+ payments? to refund");

    String page = op.get(base() + "/operator/billing/refunds").body();
    assertThat(page)
        .contains("Payments to refund")
        .contains("The order was already paid by another payment")
        .contains("DKK500.00")
        .contains("/operator/billing/refunds/" + c.id().value() + "/" + second);

    String confirmUrl = base() + "/operator/billing/refunds/" + c.id().value() + "/" + second;
    String confirm = op.get(confirmUrl).body();
    assertThat(confirm).contains("Mark the payment of DKK500.00 from " + c.name());
    assertThat(refunds.find(c.id(), second).orElseThrow().open())
        .as("the confirmation changes nothing")
        .isTrue();

    // Two tabs on the confirmation: the second click changes nothing.
    Map<String, String> token = Map.of("_csrf", WebSession.csrfToken(confirm));
    HttpResponse<String> marked = op.postForm(confirmUrl, token);
    assertThat(marked.statusCode()).isEqualTo(302);
    assertThat(marked.headers().firstValue("Location").orElse(""))
        .endsWith("/operator/billing/refunds");
    String after = op.get(base() + "/operator/billing/refunds").body();
    assertThat(after).contains("is marked refunded").contains("Refunded lately");
    assertThat(refunds.find(c.id(), second).orElseThrow().refundedBy())
        .isEqualTo("operator@herald.test");

    assertThat(op.postForm(confirmUrl, token).statusCode()).isEqualTo(302);
    assertThat(op.get(base() + "/operator/billing/refunds").body())
        .contains("was already marked refunded");
    assertThat(op.get(confirmUrl).headers().firstValue("Location").orElse(""))
        .as("a refunded payment has no confirmation any more")
        .endsWith("/operator/billing/refunds");
    assertThat(
            op.get(base() + "/operator/billing/refunds/" + c.id().value() + "/" + UUID.randomUUID())
                .statusCode())
        .isEqualTo(404);

    WebSession owner = new WebSession();
    owner.logIn(base(), c.ownerEmail(), TestCompanies.PASSWORD);
    assertThat(owner.get(base() + "/operator/billing/refunds").statusCode()).isEqualTo(403);
  }

  @Test
  void the_refunds_page_reads_in_danish_with_its_plural() throws Exception {
    WebSession op = operator();
    String page = op.get(base() + "/operator/billing/refunds?lang=da").body();
    assertThat(page).contains("Betalinger der skal refunderes");
    int open = refunds.openCount();
    assertThat(page)
        .contains(
            open == 0
                ? "Ingen betalinger skal refunderes"
                : open == 1 ? "1 betaling skal refunderes" : open + " betalinger skal refunderes");
  }
}
