package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import java.net.http.HttpResponse;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The monthly subscription on the order page and through the same steps as a pack, over HTTP as a
 * browser posts it, and over the REST API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MonthlyCheckoutWebIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Pricing pricing;
  @Autowired SmsSubscriptions subscriptions;
  @Autowired PaymentDriver payments;
  @Autowired dev.herald.tenant.Companies allCompanies;

  String base() {
    return "http://localhost:" + port;
  }

  WebSession logIn(String email, String lang) throws Exception {
    WebSession browser = new WebSession();
    browser.logIn(base(), email, TestCompanies.PASSWORD);
    browser.get(base() + "/?lang=" + lang);
    return browser;
  }

  TestCompany aMonthlyCompany(String language) {
    TestCompany c = companies.aCompany("CA", "America/Toronto", language, "STANDARD", false, true);
    accounts.choose(c.id(), "blocks", "CAD");
    return c;
  }

  static String orderPath(HttpResponse<String> redirect) {
    String location = redirect.headers().firstValue("Location").orElseThrow();
    Matcher m = Pattern.compile("/settings/billing/orders/([0-9a-f-]{36})").matcher(location);
    assertThat(m.find()).as(location).isTrue();
    return "/settings/billing/orders/" + m.group(1);
  }

  @Test
  void the_order_page_offers_the_subscription_on_blocks_packs_on_packs_and_both_without_a_model()
      throws Exception {
    OrderFixtures.dkkPack(pricing);
    Pricing.BlockPrice block = pricing.block(Currency.getInstance("CAD"));
    String price = dev.herald.billing.InvoiceDocuments.money(block.price(), Locale.FRENCH);

    TestCompany monthly = aMonthlyCompany("fr");
    String fr = logIn(monthly.ownerEmail(), "fr").get(base() + "/settings/billing/buy").body();
    assertThat(fr)
        .contains("Abonnement mensuel")
        .contains(block.size() + " SMS par mois pour " + price)
        .contains("Les premiers " + price + " sont facturés à l’abonnement")
        .contains("pour chaque tranche supplémentaire de " + block.size() + " SMS")
        .contains("par SMS")
        .contains("se renouvelle seul chaque mois")
        .contains("« Arrêter les SMS »")
        .contains("id=\"order-subscribe\"")
        .contains("Les packs ne sont pas proposés à votre entreprise")
        .doesNotContain("name=\"pack\"");

    TestCompany packs = aCompanyOnPacks(companies, accounts, credits, 0);
    String en = logIn(packs.ownerEmail(), "en").get(base() + "/settings/billing/buy").body();
    assertThat(en)
        .contains("name=\"pack\"")
        .contains("The monthly subscription is not offered to your company")
        .doesNotContain("id=\"order-subscribe\"");

    TestCompany none = companies.aDanishCompany(false, true);
    String da = logIn(none.ownerEmail(), "da").get(base() + "/settings/billing/buy").body();
    assertThat(da)
        .contains("Vælg, hvordan I betaler for SMS")
        .contains("name=\"pack\"")
        .contains("id=\"order-subscribe\"")
        .contains("Månedligt abonnement");
  }

  @Test
  void subscribing_by_card_goes_through_the_steps_and_the_result_says_sms_are_on()
      throws Exception {
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(true));
    try {
      TestCompany c = aMonthlyCompany("en");
      Pricing.BlockPrice block = pricing.block(Currency.getInstance("CAD"));
      WebSession owner = logIn(c.ownerEmail(), "en");
      assertThat(owner.get(base() + "/settings/billing").body()).contains("id=\"subscribe-sms\"");

      HttpResponse<String> started =
          owner.submit(
              base() + "/settings/billing/buy",
              base() + "/settings/billing/buy/subscription",
              Map.of("price", "0.01"));
      assertThat(started.statusCode()).isEqualTo(302);
      String order = orderPath(started);
      owner.submit(
          base() + order + "/details",
          base() + order + "/details",
          Map.of(
              "name", "West Salon Inc.",
              "address", "1 Main St, Toronto",
              "country", "CA",
              "vatNumber", "",
              "email", "bill@west.test"));
      owner.submit(
          base() + order + "/method", base() + order + "/method", Map.of("method", "CARD"));
      String confirm = owner.get(base() + order + "/confirm").body();
      assertThat(confirm)
          .contains("Subscription")
          .contains(block.size() + " SMS per month, renewed every month")
          .contains("for the first month");

      HttpResponse<String> pay =
          owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());
      assertThat(pay.statusCode()).isEqualTo(302);
      String id = order.substring(order.lastIndexOf('/') + 1);
      payments.settle(payments.forReference(id).paymentId());

      String paid = owner.get(base() + order).body();
      assertThat(paid)
          .contains("Payment received")
          .contains("SMS are on: " + block.size() + " SMS this month.")
          .contains("Download invoice")
          .doesNotContain("SMS left");
      // Subscribed: the order page says why no second subscription is offered.
      assertThat(owner.get(base() + "/settings/billing/buy").body())
          .contains("Your monthly subscription is already running")
          .doesNotContain("id=\"order-subscribe\"");
    } finally {
      pricing.updateSeller(seller);
    }
  }

  @Test
  void by_bank_transfer_the_pending_page_in_danish_says_sms_are_switched_on_when_it_arrives()
      throws Exception {
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(false));
    try {
      TestCompany c = aMonthlyCompany("da");
      WebSession owner = logIn(c.ownerEmail(), "da");
      String order =
          orderPath(
              owner.submit(
                  base() + "/settings/billing/buy",
                  base() + "/settings/billing/buy/subscription",
                  Map.of()));
      owner.submit(
          base() + order + "/details",
          base() + order + "/details",
          Map.of(
              "name", "Vest Salon Inc.",
              "address", "1 Main St, Toronto",
              "country", "CA",
              "vatNumber", "",
              "email", "bill@vest.test"));
      owner.submit(
          base() + order + "/method",
          base() + order + "/method",
          Map.of("method", "BANK_TRANSFER"));
      assertThat(owner.get(base() + order + "/confirm").body())
          .contains("for den første måned med vores bankoplysninger");
      owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());

      String id = order.substring(order.lastIndexOf('/') + 1);
      var bank = (dev.herald.payment.Checkout.BankTransfer) payments.forReference(id).checkout();
      assertThat(owner.get(base() + order).body())
          .contains("Venter på din betaling")
          .contains("SMS slås til, når den er modtaget.")
          .contains(bank.creditorReference().replaceAll("(.{4})(?=.)", "$1 "));
      assertThat(owner.get(base() + "/settings/billing/buy").body())
          .contains("En ordre på abonnementet venter allerede på betaling")
          .doesNotContain("id=\"order-subscribe\"");

      payments.record(bank.creditorReference(), bank.amount(), java.time.LocalDate.now(), "op");

      // The operator switches SMS on by hand here: paid, and said so.
      assertThat(owner.get(base() + order).body())
          .contains("Betaling modtaget")
          .contains("Jeres første måned er betalt. Vi slår snart SMS til for jer");
    } finally {
      pricing.updateSeller(seller);
    }
  }

  @Test
  void the_api_orders_the_subscription_with_the_same_idempotency_rules_and_shows_its_kind() {
    TestCompany c = aMonthlyCompany("en");
    Api api = new Api(port, c.apiKey());
    String body =
        """
        {"kind": "subscription", "method": "CARD", "total": {"amount": "0.01"},
         "billing": {"name": "West Salon Inc.", "address": "1 Main St, Toronto", "country": "CA",
                     "vatNumber": "", "email": "bill@west.test"},
         "returnUrl": "https://salon.example/back"}
        """;
    Api.Response created = api.postWithKey("/api/v1/billing/orders", "sub-1", body);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().get("kind").asText()).isEqualTo("subscription");
    assertThat(created.body().get("status").asText()).isEqualTo("awaiting_payment");
    Pricing.BlockPrice block = pricing.block(Currency.getInstance("CAD"));
    assertThat(created.body().get("subtotal").get("amount").asText())
        .isEqualTo(block.price().toDecimal().toPlainString());
    String id = created.body().get("id").asText();

    Api.Response again = api.postWithKey("/api/v1/billing/orders", "sub-1", body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(again.body().get("id").asText()).isEqualTo(id);

    Api.Response otherKind =
        api.postWithKey(
            "/api/v1/billing/orders",
            "sub-1",
            body.replace("\"kind\": \"subscription\"", "\"kind\": \"pack\""));
    assertThat(otherKind.status()).isEqualTo(422);

    Api.Response second = api.postWithKey("/api/v1/billing/orders", "sub-2", body);
    assertThat(second.status()).isEqualTo(422);
    assertThat(second.raw()).contains("already waiting for its payment");

    Api.Response unknown =
        api.postWithKey("/api/v1/billing/orders", "sub-3", body.replace("subscription", "yearly"));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.raw()).contains("kind");

    payments.settle(payments.forReference(id).paymentId());
    Api.Response paid = api.get("/api/v1/billing/orders/" + id);
    assertThat(paid.body().get("status").asText()).isEqualTo("paid");
    assertThat(paid.body().get("kind").asText()).isEqualTo("subscription");
    assertThat(subscriptions.find(c.id()).orElseThrow().firstInvoiceId().toString())
        .isEqualTo(paid.body().get("invoiceId").asText());
    assertThat(credits.balance(c.id())).isZero();
  }

  // --- revbill: a fresh-eyes review of the monthly checkout
  // ---------------------------------------

  /** A subscription draft through the web steps up to its confirmation page; answers its path. */
  String subscriptionToConfirm(WebSession owner, String method) throws Exception {
    String order =
        orderPath(
            owner.submit(
                base() + "/settings/billing/buy",
                base() + "/settings/billing/buy/subscription",
                Map.of()));
    owner.submit(
        base() + order + "/details",
        base() + order + "/details",
        Map.of(
            "name", "West Salon Inc.",
            "address", "1 Main St, Toronto",
            "country", "CA",
            "vatNumber", "",
            "email", "bill@west.test"));
    owner.submit(base() + order + "/method", base() + order + "/method", Map.of("method", method));
    return order;
  }

  static String steps(String page) {
    Matcher m = Pattern.compile("<ol[^>]*id=\"order-steps\".*?</ol>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as(page).isTrue();
    return m.group();
  }

  @Test
  void the_steps_of_a_subscription_name_the_subscription_not_a_pack_in_three_languages()
      throws Exception {
    Map<String, String[]> words =
        Map.of(
            "en", new String[] {"Subscription", ">Pack<"},
            "fr", new String[] {"Abonnement", ">Forfait<"},
            "da", new String[] {"Abonnement", ">Pakke<"});
    for (var e : words.entrySet()) {
      TestCompany c = aMonthlyCompany(e.getKey());
      WebSession owner = logIn(c.ownerEmail(), e.getKey());
      String order = subscriptionToConfirm(owner, "CARD");
      for (String step : new String[] {"/details", "/method", "/confirm"}) {
        assertThat(steps(owner.get(base() + order + step).body()))
            .as(e.getKey() + step)
            .contains(e.getValue()[0])
            .doesNotContain(e.getValue()[1]);
      }
    }
    // A pack's steps still begin with the pack.
    OrderFixtures.dkkPack(pricing);
    TestCompany packs = aCompanyOnPacks(companies, accounts, credits, 0);
    assertThat(steps(logIn(packs.ownerEmail(), "en").get(base() + "/settings/billing/buy").body()))
        .contains(">Pack<");
  }

  @Test
  void a_second_tab_paying_the_subscription_again_is_told_why_on_its_confirmation_page()
      throws Exception {
    TestCompany c = aMonthlyCompany("en");
    WebSession owner = logIn(c.ownerEmail(), "en");
    String first = subscriptionToConfirm(owner, "CARD");
    String second = subscriptionToConfirm(owner, "CARD");
    assertThat(
            owner
                .submit(base() + first + "/confirm", base() + first + "/place", Map.of())
                .statusCode())
        .isEqualTo(302);

    // The second tab still shows its confirmation; it says so before the Pay button is pressed.
    String before = owner.get(base() + second + "/confirm").body();
    assertThat(before)
        .contains("An order of the subscription is already waiting for its payment")
        .doesNotContain("id=\"order-pay\"");

    HttpResponse<String> refused =
        owner.postForm(
            base() + second + "/place",
            Map.of("_csrf", dev.herald.support.WebSession.csrfToken(before)));
    assertThat(refused.statusCode()).isEqualTo(302);
    String location = refused.headers().firstValue("Location").orElseThrow();
    String landed = owner.get(location.startsWith("http") ? location : base() + location).body();
    assertThat(landed).contains("An order of the subscription is already waiting for its payment");
    String id = second.substring(second.lastIndexOf('/') + 1);
    assertThat(payments.started().stream().filter(p -> p.reference().equals(id))).isEmpty();
  }

  @Test
  void odd_api_bodies_for_the_subscription_are_answered_4xx_with_a_reason() {
    TestCompany c = aMonthlyCompany("en");
    Api api = new Api(port, c.apiKey());
    String billing =
        """
        "billing": {"name": "West Salon Inc.", "address": "1 Main St", "country": "CA",
                    "email": "bill@west.test"}
        """;
    String withPack =
        "{\"kind\": \"subscription\", \"packId\": \""
            + java.util.UUID.randomUUID()
            + "\", \"method\": \"CARD\", "
            + billing
            + "}";
    Api.Response packId = api.postWithKey("/api/v1/billing/orders", "odd-1", withPack);
    assertThat(packId.status()).as(packId.raw()).isEqualTo(422);
    assertThat(packId.raw()).contains("packId");

    for (String odd :
        new String[] {
          "{\"kind\": [\"subscription\"], \"method\": \"CARD\", " + billing + "}",
          "{\"kind\": {\"a\": 1}, \"method\": \"CARD\", " + billing + "}",
          "{\"kind\": \"" + "s".repeat(100_000) + "\", \"method\": \"CARD\", " + billing + "}",
          "{\"kind\": \"subscription\", \"method\": \""
              + "C".repeat(100_000)
              + "\", "
              + billing
              + "}",
          "{\"kind\": \"subscription\", \"method\": \"CARD\", \"billing\": \"x\"}",
          "{\"kind\": \"subscription\", \"method\": 12, " + billing + "}",
          "{\"kind\": \"subscription\", \"method\": \"CARD\", \"returnUrl\": \"ht tp://x\", "
              + billing
              + "}",
          "[]",
          "null"
        }) {
      Api.Response r = api.postWithKey("/api/v1/billing/orders", "odd-" + odd.hashCode(), odd);
      assertThat(r.status())
          .as(odd.length() > 200 ? odd.substring(0, 200) : odd)
          .isBetween(400, 499);
    }
    assertThat(payments.started().stream().filter(p -> p.tenantId().equals(c.id()))).isEmpty();
  }

  @Test
  void the_api_replays_a_paid_subscription_order_as_it_is_now() {
    TestCompany c = aMonthlyCompany("en");
    Api api = new Api(port, c.apiKey());
    String body =
        """
        {"kind": "subscription", "method": "CARD",
         "billing": {"name": "West Salon Inc.", "address": "1 Main St, Toronto", "country": "CA",
                     "vatNumber": "", "email": "bill@west.test"}}
        """;
    Api.Response created = api.postWithKey("/api/v1/billing/orders", "replay-paid", body);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().get("id").asText();
    payments.settle(payments.forReference(id).paymentId());

    Api.Response again = api.postWithKey("/api/v1/billing/orders", "replay-paid", body);
    assertThat(again.status()).as(again.raw()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(again.body().get("id").asText()).isEqualTo(id);
    assertThat(again.body().get("status").asText()).isEqualTo("paid");
    assertThat(payments.started().stream().filter(p -> p.reference().equals(id))).hasSize(1);
  }

  void withUnlockOnPayment(boolean on, java.util.concurrent.Callable<Void> body) throws Exception {
    Pricing.Seller seller = pricing.seller();
    pricing.updateSeller(seller.withUnlockOnPayment(on));
    try {
      body.call();
    } finally {
      pricing.updateSeller(seller);
    }
  }

  @Test
  void billing_shows_the_subscription_order_awaiting_its_transfer_and_then_its_paid_first_month()
      throws Exception {
    withUnlockOnPayment(
        false,
        () -> {
          TestCompany c = aMonthlyCompany("en");
          WebSession owner = logIn(c.ownerEmail(), "en");
          String order = subscriptionToConfirm(owner, "BANK_TRANSFER");
          owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());

          String billing = owner.get(base() + "/settings/billing").body();
          assertThat(billing)
              .contains("Your subscription order is waiting for its payment")
              .contains("href=\"" + order + "\"")
              .doesNotContain("id=\"subscribe-sms\"")
              .doesNotContain("id=\"ask-for-sms\"");
          assertThat(owner.get(base() + "/settings/billing/buy").body())
              .contains("href=\"" + order + "\"");

          String id = order.substring(order.lastIndexOf('/') + 1);
          payments.settle(payments.forReference(id).paymentId());

          assertThat(owner.get(base() + "/settings/billing").body())
              .contains("Your first month is paid")
              .doesNotContain("once the first invoice is paid")
              .doesNotContain("waiting for its payment");
          return null;
        });
  }

  @Test
  void under_the_operators_block_the_subscription_says_so_before_and_after_the_payment()
      throws Exception {
    withUnlockOnPayment(
        true,
        () -> {
          TestCompany c = aMonthlyCompany("en");
          allCompanies.setSmsUnlockedByOperator(c.id(), false);
          WebSession owner = logIn(c.ownerEmail(), "en");
          assertThat(owner.get(base() + "/settings/billing/buy").body())
              .contains("SMS sending is stopped by us for your company")
              .doesNotContain("SMS are switched on as soon as your payment is through");

          String order = subscriptionToConfirm(owner, "CARD");
          owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());
          String id = order.substring(order.lastIndexOf('/') + 1);
          payments.settle(payments.forReference(id).paymentId());

          assertThat(owner.get(base() + order).body())
              .contains("Payment received")
              .contains("SMS sending is stopped by us for your company")
              .doesNotContain("SMS are on")
              .doesNotContain("shortly");
          return null;
        });
  }

  @Test
  void the_operators_refused_unlock_keeps_the_operators_block() throws Exception {
    TestCompany c = aMonthlyCompany("en");
    allCompanies.setSmsUnlockedByOperator(c.id(), false);
    WebSession owner = logIn(c.ownerEmail(), "en");
    String order = subscriptionToConfirm(owner, "CARD");
    owner.submit(base() + order + "/confirm", base() + order + "/place", Map.of());

    WebSession operator = new WebSession();
    operator.logIn(base(), "operator@herald.test", "demo-password-for-tests");
    String page = base() + "/operator/companies/" + c.id();
    HttpResponse<String> refused = operator.submit(page, page + "/sms", Map.of("unlocked", "true"));
    assertThat(refused.statusCode()).isEqualTo(302);
    assertThat(operator.get(page).body()).contains("awaiting its payment through an order");

    assertThat(allCompanies.smsBlockedByOperator(c.id())).as("nothing changed").isTrue();
    assertThat(allCompanies.require(c.id()).smsAvailable()).isFalse();
  }
}
