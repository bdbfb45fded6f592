package dev.herald.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.herald.payment.PaymentFixtures.anSmsOrder;
import static dev.herald.payment.PaymentFixtures.postStripe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.OrderFixtures;
import dev.herald.billing.Orders;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsOrder;
import dev.herald.payment.internal.PaymentAccountStore;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Stripe: Checkout Sessions created against WireMock standing in for Stripe's API, webhooks in the
 * shapes of Stripe's API reference signed in the test with Stripe's scheme, the operator's and a
 * company's own account kept apart.
 */
@Import(SettledCounter.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "herald.payment.provider=stripe",
      "herald.payment.call-timeout=8s",
      "herald.payment.stripe.secret-key=sk_test_operator_0123456789",
      "herald.payment.stripe.webhook-secret=" + StripeIntegrationTests.OPERATOR_SECRET
    })
class StripeIntegrationTests {

  static final String OPERATOR_SECRET = "whsec_operator_test_secret_0123456789";
  static final String COMPANY_SECRET = "whsec_company_test_secret_9876543210";

  /** Not stripe-java's pinned version: the fields Herald needs are read from the raw JSON. */
  static final String OTHER_API_VERSION = "2020-08-27";

  static final WireMockServer stripe = new WireMockServer(options().dynamicPort());

  static {
    stripe.start();
  }

  @DynamicPropertySource
  static void stripeApi(DynamicPropertyRegistry registry) {
    registry.add("herald.payment.stripe.api-base", () -> "http://localhost:" + stripe.port());
  }

  @AfterAll
  static void stopStripe() {
    stripe.stop();
  }

  @LocalServerPort int port;
  @Autowired Payments payments;
  @Autowired PaymentAccounts accounts;
  @Autowired PaymentAccountStore store;
  @Autowired TestCompanies companies;
  @Autowired SettledCounter counter;
  @Autowired JdbcClient jdbc;
  @Autowired Orders orders;
  @Autowired BillingAccounts billingAccounts;
  @Autowired Pricing pricing;

  TenantId tenant;

  @BeforeEach
  void aCompany() {
    tenant = companies.aDanishCompany(false, false).id();
  }

  String operatorHook() {
    return "http://localhost:" + port + "/webhooks/stripe";
  }

  /** Stripe answers the session create with a new session, as its API reference shows. */
  String stubSession(String secretKey) {
    String session = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
    stripe.stubFor(
        post(urlEqualTo("/v1/checkout/sessions"))
            .withHeader("Authorization", equalTo("Bearer " + secretKey))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"id": "%1$s", "object": "checkout.session", "mode": "payment",
                         "status": "open", "payment_status": "unpaid", "currency": "dkk",
                         "amount_total": 9900, "livemode": false,
                         "url": "https://checkout.stripe.com/c/pay/%1$s#fidkdWxOYHwnPyd1blpxYHZxWjA0"}
                        """
                            .formatted(session))));
    return session;
  }

  UUID startCard(long minor) {
    stubSession("sk_test_operator_0123456789");
    return payments.startCheckout(anSmsOrder(tenant, minor, PaymentMethod.CARD)).paymentId();
  }

  String sessionOf(UUID payment) {
    return jdbc.sql("SELECT provider_session_id FROM payment WHERE tenant_id = ? AND id = ?")
        .params(tenant.value(), payment)
        .query(String.class)
        .single();
  }

  PaymentStatus status(UUID payment) {
    return payments.find(tenant, payment).orElseThrow().status();
  }

  /** An event in the shape of Stripe's API reference, for a Checkout Session. */
  static String event(
      String type, String session, UUID payment, String paymentStatus, String apiVersion) {
    return """
    {
      "id": "evt_%1$s",
      "object": "event",
      "api_version": "%5$s",
      "created": %6$d,
      "data": {
        "object": {
          "id": "%2$s",
          "object": "checkout.session",
          "amount_subtotal": 9900,
          "amount_total": 9900,
          "client_reference_id": "%3$s",
          "currency": "dkk",
          "customer_details": {"email": "buyer@example.dk"},
          "livemode": false,
          "metadata": {"payment_id": "%3$s"},
          "mode": "payment",
          "payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
          "payment_method_types": ["card"],
          "payment_status": "%4$s",
          "status": "complete",
          "url": null
        }
      },
      "livemode": false,
      "pending_webhooks": 1,
      "request": {"id": null, "idempotency_key": null},
      "type": "%7$s"
    }
    """
        .formatted(
            UUID.randomUUID().toString().replace("-", ""),
            session,
            payment,
            paymentStatus,
            apiVersion,
            Instant.now().getEpochSecond(),
            type);
  }

  static String event(String type, String session, UUID payment, String paymentStatus) {
    return event(type, session, payment, paymentStatus, com.stripe.Stripe.API_VERSION);
  }

  @Test
  void a_checkout_session_is_created_at_stripe_with_the_amount_the_methods_and_the_payment_id() {
    String session = stubSession("sk_test_operator_0123456789");
    Checkout checkout = payments.startCheckout(anSmsOrder(tenant, 9_900, PaymentMethod.CARD));

    assertThat(checkout).isInstanceOf(Checkout.Redirect.class);
    assertThat(((Checkout.Redirect) checkout).url().toString())
        .startsWith("https://checkout.stripe.com/c/pay/" + session);
    assertThat(payments.find(tenant, checkout.paymentId()).orElseThrow().provider())
        .isEqualTo("stripe");
    stripe.verify(
        postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
            .withHeader("Idempotency-Key", matching(".+"))
            .withRequestBody(containing("mode=payment"))
            .withRequestBody(containing("client_reference_id=" + checkout.paymentId()))
            .withRequestBody(containing("payment_method_types[0]=card"))
            .withRequestBody(containing("[unit_amount]=9900"))
            .withRequestBody(containing("[currency]=dkk")));
  }

  @Test
  void a_stripe_that_does_not_answer_in_time_is_an_error_and_nothing_is_stored() {
    stripe.stubFor(
        post(urlEqualTo("/v1/checkout/sessions"))
            .atPriority(1)
            .withRequestBody(containing("metadata[tenant_id]=" + tenant.value()))
            .willReturn(aResponse().withStatus(200).withFixedDelay(12_000).withBody("{}")));
    long started = System.nanoTime();

    assertThatThrownBy(() -> payments.startCheckout(anSmsOrder(tenant, 9_900, PaymentMethod.CARD)))
        .hasMessageContaining("no answer within PT8S");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(11));
    assertThat(
            jdbc.sql("SELECT count(*) FROM payment WHERE tenant_id = ?")
                .param(tenant.value())
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void
      an_sms_order_placed_while_stripe_does_not_answer_is_a_problem_to_show_and_can_be_placed_again() {
    Pricing.Pack pack = OrderFixtures.dkkPack(pricing);
    billingAccounts.choose(tenant, "packs", "DKK");
    SmsOrder draft = orders.start(tenant, pack.id().toString());
    orders.saveDetails(
        tenant,
        draft.id(),
        new Orders.Details("Salon Nord ApS", "Nørregade 1, Aarhus", "DK", "", "bill@nord.test"));
    orders.chooseMethod(tenant, draft.id(), "CARD");
    var hanging =
        stripe.stubFor(
            post(urlEqualTo("/v1/checkout/sessions"))
                .atPriority(1)
                .withRequestBody(containing("metadata[tenant_id]=" + tenant.value()))
                .willReturn(aResponse().withStatus(200).withFixedDelay(12_000).withBody("{}")));

    assertThatThrownBy(() ->
            orders.place(tenant, draft.id(), Locale.ENGLISH, URI.create("https://herald.test/b")))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FieldProblem::code)
                    .containsExactly("orders.provider.unavailable"));

    stripe.removeStub(hanging);
    String session = stubSession("sk_test_operator_0123456789");
    Orders.Placed placed =
        orders.place(tenant, draft.id(), Locale.ENGLISH, URI.create("https://herald.test/b"));
    assertThat(((Checkout.Redirect) placed.checkout()).url().toString()).contains(session);
    assertThat(placed.order().paymentId()).isEqualTo(placed.checkout().paymentId());
  }

  @Test
  void cancel_expires_the_session_at_stripe_and_money_that_still_arrives_settles()
      throws Exception {
    UUID payment = startCard(9_900);
    String session = sessionOf(payment);
    stripe.stubFor(
        post(urlEqualTo("/v1/checkout/sessions/" + session + "/expire"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\": \""
                            + session
                            + "\", \"object\": \"checkout.session\", \"status\": \"expired\"}")));

    payments.cancel(tenant, payment);
    stripe.verify(postRequestedFor(urlEqualTo("/v1/checkout/sessions/" + session + "/expire")));
    assertThat(status(payment)).isEqualTo(PaymentStatus.CANCELLED);

    postStripe(
        operatorHook(),
        event("checkout.session.expired", session, payment, "unpaid"),
        OPERATOR_SECRET,
        Instant.now());
    assertThat(status(payment)).isEqualTo(PaymentStatus.CANCELLED);
    postStripe(
        operatorHook(),
        event("checkout.session.completed", session, payment, "paid"),
        OPERATOR_SECRET,
        Instant.now());
    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
    assertThat(counter.failed(payment)).isZero();
  }

  @Test
  void paypal_asks_stripe_for_paypal() {
    stubSession("sk_test_operator_0123456789");
    payments.startCheckout(anSmsOrder(tenant, 9_900, PaymentMethod.PAYPAL));
    stripe.verify(
        postRequestedFor(urlEqualTo("/v1/checkout/sessions"))
            .withRequestBody(containing("payment_method_types[0]=paypal")));
  }

  @Test
  void completed_and_paid_settles_and_a_repeat_changes_nothing() throws Exception {
    UUID payment = startCard(9_900);
    String body = event("checkout.session.completed", sessionOf(payment), payment, "paid");

    assertThat(postStripe(operatorHook(), body, OPERATOR_SECRET, Instant.now()).statusCode())
        .isEqualTo(200);
    HttpResponse<String> repeat = postStripe(operatorHook(), body, OPERATOR_SECRET, Instant.now());
    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(repeat.body()).contains("\"duplicate\":true");

    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
  }

  @Test
  void a_bad_signature_or_a_timestamp_outside_the_tolerance_is_refused_and_changes_nothing()
      throws Exception {
    UUID payment = startCard(9_900);
    String body = event("checkout.session.completed", sessionOf(payment), payment, "paid");

    List<HttpResponse<String>> refused =
        List.of(
            postStripe(operatorHook(), body, "whsec_wrong", Instant.now()),
            postStripe(operatorHook(), body, OPERATOR_SECRET, Instant.now().minusSeconds(301)),
            postStripe(operatorHook(), body, OPERATOR_SECRET, Instant.now().plusSeconds(3600)),
            PaymentFixtures.post(operatorHook(), body, "X-None", "1"));
    for (HttpResponse<String> r : refused) {
      assertThat(r.statusCode()).isEqualTo(400);
    }
    assertThat(status(payment)).isEqualTo(PaymentStatus.PENDING);
    assertThat(counter.settled(payment)).isZero();
    assertThat(
            jdbc.sql("SELECT count(*) FROM payment_event WHERE payload = ?")
                .param(body)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void async_payment_succeeded_before_completed_ends_settled_once() throws Exception {
    UUID payment = startCard(9_900);
    String session = sessionOf(payment);

    postStripe(
        operatorHook(),
        event("checkout.session.async_payment_succeeded", session, payment, "paid"),
        OPERATOR_SECRET,
        Instant.now());
    postStripe(
        operatorHook(),
        event("checkout.session.completed", session, payment, "unpaid"),
        OPERATOR_SECRET,
        Instant.now());

    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
  }

  @Test
  void async_payment_failed_after_pending_settles_nothing() throws Exception {
    UUID payment = startCard(9_900);
    String session = sessionOf(payment);

    postStripe(
        operatorHook(),
        event("checkout.session.completed", session, payment, "unpaid"),
        OPERATOR_SECRET,
        Instant.now());
    assertThat(status(payment)).isEqualTo(PaymentStatus.PROCESSING);
    postStripe(
        operatorHook(),
        event("checkout.session.async_payment_failed", session, payment, "unpaid"),
        OPERATOR_SECRET,
        Instant.now());

    PaymentView view = payments.find(tenant, payment).orElseThrow();
    assertThat(view.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(view.failureReason()).contains("async_failed");
    assertThat(counter.settled(payment)).isZero();
    assertThat(counter.failed(payment)).isEqualTo(1);
  }

  @Test
  void an_expired_session_fails_the_payment_as_expired() throws Exception {
    UUID payment = startCard(9_900);
    postStripe(
        operatorHook(),
        event("checkout.session.expired", sessionOf(payment), payment, "unpaid"),
        OPERATOR_SECRET,
        Instant.now());
    assertThat(payments.find(tenant, payment).orElseThrow().failureReason()).contains("expired");
  }

  @Test
  void an_event_of_another_api_version_settles() throws Exception {
    UUID payment = startCard(9_900);
    String body =
        event("checkout.session.completed", sessionOf(payment), payment, "paid", OTHER_API_VERSION)
            .replace(
                "\"livemode\": false,\n  \"pending",
                "\"livemode\": false, \"context\": null,\n  \"pending");
    assertThat(postStripe(operatorHook(), body, OPERATOR_SECRET, Instant.now()).statusCode())
        .isEqualTo(200);
    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
  }

  @Test
  void an_event_lacking_what_herald_needs_is_answered_5xx_and_kept_for_a_retry() throws Exception {
    UUID payment = startCard(9_900);
    String body =
        event("checkout.session.completed", sessionOf(payment), payment, "paid")
            .replace("\"payment_status\": \"paid\",", "");
    assertThat(postStripe(operatorHook(), body, OPERATOR_SECRET, Instant.now()).statusCode())
        .isEqualTo(500);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM payment_event WHERE payload = ? AND processed_at IS NULL")
                .param(body)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(status(payment)).isEqualTo(PaymentStatus.PENDING);
    // Not left for this context's periodic sweep to retry while other tests watch the log.
    jdbc.sql("DELETE FROM payment_event WHERE payload = ?").param(body).update();
  }

  @Test
  void refresh_asks_stripe_for_the_session_and_applies_what_it_says() {
    UUID payment = startCard(9_900);
    String session = sessionOf(payment);
    stripe.stubFor(
        get(urlEqualTo("/v1/checkout/sessions/" + session))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"id": "%s", "object": "checkout.session", "mode": "payment",
                         "status": "complete", "payment_status": "paid", "currency": "dkk",
                         "amount_total": 9900, "livemode": false, "url": null}
                        """
                            .formatted(session))));

    assertThat(payments.refresh(tenant, payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(payments.refresh(tenant, payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
  }

  @Test
  void a_companys_own_account_takes_its_customers_payments_and_only_those() throws Exception {
    assertThat(accounts.takesOnlinePayments(tenant)).isFalse();
    store.store(tenant, "sk_test_company_abcdef1234", COMPANY_SECRET, "owner");
    assertThat(accounts.takesOnlinePayments(tenant)).isTrue();
    stubSession("sk_test_company_abcdef1234");
    UUID invoice =
        payments
            .startCheckout(
                new CheckoutRequest(
                    tenant,
                    Payee.company(tenant),
                    ReferenceKind.DOCUMENT_INVOICE,
                    UUID.randomUUID().toString(),
                    Money.of(125_000, "DKK"),
                    "Invoice INV-00001",
                    PaymentMethod.CARD,
                    "DK",
                    "",
                    Locale.ENGLISH,
                    URI.create("http://localhost/p/x"),
                    UUID.randomUUID().toString()))
            .paymentId();
    UUID operatorPayment = startCard(9_900);
    String companyHook = "http://localhost:" + port + "/webhooks/stripe/" + tenant.value();

    // The company's secret cannot move the operator's payment, nor sign for the operator's hook.
    String forged =
        event("checkout.session.completed", sessionOf(operatorPayment), operatorPayment, "paid");
    assertThat(postStripe(companyHook, forged, COMPANY_SECRET, Instant.now()).statusCode())
        .isEqualTo(200);
    assertThat(status(operatorPayment)).isEqualTo(PaymentStatus.PENDING);
    String paid = event("checkout.session.completed", sessionOf(invoice), invoice, "paid");
    assertThat(postStripe(operatorHook(), paid, COMPANY_SECRET, Instant.now()).statusCode())
        .isEqualTo(400);

    assertThat(postStripe(companyHook, paid, COMPANY_SECRET, Instant.now()).statusCode())
        .isEqualTo(200);
    assertThat(status(invoice)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(invoice)).isEqualTo(1);
    assertThat(counter.settled(operatorPayment)).isZero();
  }
}
