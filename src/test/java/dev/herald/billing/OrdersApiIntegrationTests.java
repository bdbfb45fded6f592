package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.support.Api;
import dev.herald.support.PaymentDriver;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** GET /api/v1/billing/packs, POST /api/v1/billing/orders, GET /api/v1/billing/orders/{id}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersApiIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired BillingAccounts accounts;
  @Autowired Credits credits;
  @Autowired Pricing pricing;
  @Autowired PaymentDriver payments;

  static String body(UUID pack, String method, String vat) {
    return """
    {"packId": "%s", "method": "%s", "price": "0.01", "total": {"amount": "0.01"},
     "billing": {"name": "Salon Nord ApS", "address": "Nørregade 1, Aarhus", "country": "DK",
                 "vatNumber": "%s", "email": "bill@nord.test"},
     "returnUrl": "https://salon.example/back"}
    """
        .formatted(pack, method, vat);
  }

  @Test
  void an_order_by_card_answers_the_checkout_url_with_the_server_price_once_per_key() {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    Api api = new Api(port, c.apiKey());

    Api.Response packs = api.get("/api/v1/billing/packs");
    assertThat(packs.status()).isEqualTo(200);
    assertThat(packs.raw()).contains(pack.id().toString()).contains("\"sms\":1237");
    assertThat(packs.raw()).doesNotContain("EUR");

    Api.Response created =
        api.postWithKey("/api/v1/billing/orders", "order-1", body(pack.id(), "CARD", ""));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().get("status").asText()).isEqualTo("awaiting_payment");
    // The forged price in the body is ignored: 400.00 + 25 % moms from the price list.
    assertThat(created.body().get("total").get("amount").asText()).isEqualTo("500.00");
    // The sandbox's hosted checkout page (the embedded default's provider).
    assertThat(created.body().get("checkoutUrl").asText())
        .matches("http://localhost:\\d+/pay/sandbox/\\w+");
    String id = created.body().get("id").asText();
    assertThat(created.headers().firstValue("Location").orElseThrow())
        .endsWith("/api/v1/billing/orders/" + id);

    Api.Response again =
        api.postWithKey("/api/v1/billing/orders", "order-1", body(pack.id(), "CARD", ""));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(again.body().get("id").asText()).isEqualTo(id);
    assertThat(payments.started().stream().filter(s -> s.tenantId().equals(c.id()))).hasSize(1);

    Api.Response otherBody =
        api.postWithKey("/api/v1/billing/orders", "order-1", body(pack.id(), "PAYPAL", ""));
    assertThat(otherBody.status()).isEqualTo(422);

    payments.settle(payments.forReference(id).paymentId());
    Api.Response paid = api.get("/api/v1/billing/orders/" + id);
    assertThat(paid.body().get("status").asText()).isEqualTo("paid");
    assertThat(paid.body().get("invoiceId").isNull()).isFalse();
    assertThat(credits.balance(c.id())).isEqualTo(OrderFixtures.SMS);
  }

  @Test
  void an_order_by_bank_transfer_answers_the_bank_details_and_reference() {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    Api.Response created =
        new Api(port, c.apiKey())
            .postWithKey("/api/v1/billing/orders", "t-1", body(pack.id(), "BANK_TRANSFER", ""));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("checkoutUrl").isNull()).isTrue();
    assertThat(created.body().get("bankTransfer").get("reference").asText()).startsWith("RF");
    assertThat(created.body().get("bankTransfer").get("iban").asText()).startsWith("DK");
    assertThat(created.body().get("invoiceId").isNull()).isFalse();
  }

  @Test
  void bad_input_is_a_problem_with_every_field_error_and_another_companys_order_is_404() {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    Api api = new Api(port, c.apiKey());

    Api.Response noKey = api.post("/api/v1/billing/orders", body(pack.id(), "CARD", ""));
    assertThat(noKey.status()).isEqualTo(422);
    assertThat(noKey.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    Api.Response bad =
        api.postWithKey(
            "/api/v1/billing/orders",
            "bad-1",
            """
            {"packId": "nope", "method": "CASH",
             "billing": {"name": "", "address": "", "country": "DK", "vatNumber": "12", "email": "x"}}
            """);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(bad.raw())
        .contains(
            "\"field\":\"packId\"",
            "\"field\":\"name\"",
            "\"field\":\"address\"",
            "\"field\":\"vatNumber\"",
            "\"field\":\"email\"");

    Api.Response wrongMethod =
        api.postWithKey("/api/v1/billing/orders", "bad-2", body(pack.id(), "CASH", ""));
    assertThat(wrongMethod.status()).isEqualTo(422);
    assertThat(wrongMethod.raw()).contains("\"field\":\"method\"");

    Api.Response created =
        api.postWithKey("/api/v1/billing/orders", "ok-1", body(pack.id(), "CARD", ""));
    String id = created.body().get("id").asText();
    TestCompany other = aCompanyOnPacks(companies, accounts, credits, 0);
    assertThat(new Api(port, other.apiKey()).get("/api/v1/billing/orders/" + id).status())
        .isEqualTo(404);
  }

  @Test
  void a_replay_of_an_order_with_its_pack_id_in_capitals_answers_the_same_order() {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    Api api = new Api(port, c.apiKey());
    String upper =
        body(pack.id(), "CARD", "")
            .replace(pack.id().toString(), pack.id().toString().toUpperCase());

    Api.Response created = api.postWithKey("/api/v1/billing/orders", "caps-1", upper);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    Api.Response again = api.postWithKey("/api/v1/billing/orders", "caps-1", upper);
    assertThat(again.status()).as(again.raw()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(again.body().get("id").asText()).isEqualTo(created.body().get("id").asText());
  }

  @Test
  void a_key_used_again_with_other_billing_details_is_refused() {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    Api api = new Api(port, c.apiKey());
    Api.Response created =
        api.postWithKey("/api/v1/billing/orders", "bill-1", body(pack.id(), "CARD", ""));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);

    Api.Response otherBuyer =
        api.postWithKey(
            "/api/v1/billing/orders",
            "bill-1",
            body(pack.id(), "CARD", "").replace("bill@nord.test", "someone@else.test"));
    assertThat(otherBuyer.status()).as(otherBuyer.raw()).isEqualTo(422);
    assertThat(otherBuyer.raw()).contains("\"field\":\"Idempotency-Key\"");
  }
}
