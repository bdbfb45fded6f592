package dev.herald.payment;

import static dev.herald.payment.PaymentFixtures.SANDBOX_SECRET;
import static dev.herald.payment.PaymentFixtures.anSmsOrder;
import static dev.herald.payment.PaymentFixtures.postSandbox;
import static dev.herald.payment.PaymentFixtures.sandboxEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The webhook inbox and the state machine through HTTP, with sandbox events signed in the test:
 * exactly once under repeats and concurrency, out of order, refused when badly signed, processed
 * again when processing failed.
 */
@Import(SettledCounter.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "herald.payment.sandbox.webhook-secret=" + SANDBOX_SECRET)
class PaymentInboxIntegrationTests {

  @LocalServerPort int port;
  @Autowired Payments payments;
  @Autowired TestCompanies companies;
  @Autowired JdbcClient jdbc;
  @Autowired SettledCounter counter;
  @Autowired dev.herald.payment.internal.PaymentInbox inbox;

  TenantId tenant;

  @BeforeEach
  void aCompany() {
    tenant = companies.aDanishCompany(false, false).id();
  }

  String base() {
    return "http://localhost:" + port;
  }

  String session(UUID payment) {
    return jdbc.sql("SELECT provider_session_id FROM payment WHERE tenant_id = ? AND id = ?")
        .params(tenant.value(), payment)
        .query(String.class)
        .single();
  }

  PaymentStatus status(UUID payment) {
    return payments.find(tenant, payment).orElseThrow().status();
  }

  long transitionsTo(UUID payment, String status) {
    return jdbc.sql(
            "SELECT count(*) FROM payment_transition WHERE tenant_id = ? AND payment_id = ? AND to_status = ?")
        .params(tenant.value(), payment, status)
        .query(Long.class)
        .single();
  }

  @Test
  void a_repeated_idempotency_key_answers_the_same_checkout_and_stores_one_payment() {
    CheckoutRequest request = anSmsOrder(tenant, 12_500, PaymentMethod.CARD);
    Checkout first = payments.startCheckout(request);
    Checkout again = payments.startCheckout(request);

    assertThat(again).isEqualTo(first);
    assertThat(first).isInstanceOf(Checkout.Redirect.class);
    assertThat(((Checkout.Redirect) first).url().toString())
        .matches("http://localhost:\\d+/pay/sandbox/sbx_[0-9a-f]{32}");
    assertThat(
            jdbc.sql("SELECT count(*) FROM payment WHERE tenant_id = ?")
                .param(tenant.value())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    PaymentView view = payments.find(tenant, first.paymentId()).orElseThrow();
    assertThat(view.status()).isEqualTo(PaymentStatus.PENDING);
    assertThat(view.provider()).isEqualTo("sandbox");
    assertThat(view.payee()).isEqualTo(Payee.operator());
    assertThat(payments.find(companies.aDanishCompany(false, false).id(), first.paymentId()))
        .isEmpty();
  }

  @Test
  void the_same_signed_event_delivered_100_times_from_10_threads_settles_once() throws Exception {
    UUID payment =
        payments.startCheckout(anSmsOrder(tenant, 9_900, PaymentMethod.CARD)).paymentId();
    String body =
        sandboxEvent(
            "evt_" + UUID.randomUUID(), "checkout.completed", session(payment), payment, "paid");
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(
          pool.submit(() -> {
            start.await();
            return postSandbox(base(), body, SANDBOX_SECRET, Instant.now()).statusCode();
          }));
    }
    start.countDown();
    for (Future<Integer> answer : answers) {
      assertThat(answer.get()).isEqualTo(200);
    }
    pool.shutdown();

    assertThat(counter.settled(payment)).isEqualTo(1);
    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(transitionsTo(payment, "settled")).isEqualTo(1);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM payment_event WHERE payload = ? AND processed_at IS NOT NULL")
                .param(body)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void a_bad_signature_or_an_old_timestamp_is_refused_and_changes_nothing() throws Exception {
    UUID payment =
        payments.startCheckout(anSmsOrder(tenant, 9_900, PaymentMethod.CARD)).paymentId();
    String eventId = "evt_" + UUID.randomUUID();
    String body = sandboxEvent(eventId, "checkout.completed", session(payment), payment, "paid");

    HttpResponse<String> wrongSecret = postSandbox(base(), body, "not-the-secret", Instant.now());
    HttpResponse<String> tooOld =
        postSandbox(base(), body, SANDBOX_SECRET, Instant.now().minusSeconds(600));
    HttpResponse<String> unsigned =
        PaymentFixtures.post(base() + "/webhooks/sandbox", body, "X-Nothing", "1");
    String tampered = body.replace("\"paid\"", "\"paid\" ");
    long t = Instant.now().getEpochSecond();
    HttpResponse<String> changedBody =
        PaymentFixtures.post(
            base() + "/webhooks/sandbox",
            tampered,
            "Herald-Signature",
            "t=" + t + ",v1=" + PaymentFixtures.hmac(SANDBOX_SECRET, t + "." + body));

    for (HttpResponse<String> refused : List.of(wrongSecret, tooOld, unsigned, changedBody)) {
      assertThat(refused.statusCode()).isEqualTo(400);
    }
    assertThat(status(payment)).isEqualTo(PaymentStatus.PENDING);
    assertThat(counter.settled(payment)).isZero();
    assertThat(
            jdbc.sql("SELECT count(*) FROM payment_event WHERE event_id = ?")
                .param(eventId)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void out_of_order_events_settle_once_and_a_settled_payment_never_moves_back() throws Exception {
    UUID payment =
        payments.startCheckout(anSmsOrder(tenant, 5_000, PaymentMethod.CARD)).paymentId();
    String s = session(payment);

    assertThat(
            postSandbox(
                    base(),
                    sandboxEvent(
                        "evt_a_" + payment, "checkout.async_succeeded", s, payment, "paid"),
                    SANDBOX_SECRET,
                    Instant.now())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            postSandbox(
                    base(),
                    sandboxEvent("evt_b_" + payment, "checkout.completed", s, payment, "unpaid"),
                    SANDBOX_SECRET,
                    Instant.now())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            postSandbox(
                    base(),
                    sandboxEvent("evt_c_" + payment, "checkout.failed", s, payment, null),
                    SANDBOX_SECRET,
                    Instant.now())
                .statusCode())
        .isEqualTo(200);

    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
    assertThat(counter.failed(payment)).isZero();
    assertThat(transitionsTo(payment, "settled")).isEqualTo(1);
    assertThat(transitionsTo(payment, "processing")).isZero();
  }

  @Test
  void an_event_whose_processing_failed_is_processed_again_when_repeated() throws Exception {
    CheckoutRequest order = anSmsOrder(tenant, 5_000, PaymentMethod.CARD);
    UUID payment = payments.startCheckout(order).paymentId();
    String body =
        sandboxEvent(
            "evt_" + UUID.randomUUID(), "checkout.completed", session(payment), payment, "paid");
    counter.failOnce.add(order.reference());

    HttpResponse<String> failed = postSandbox(base(), body, SANDBOX_SECRET, Instant.now());
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(status(payment)).isEqualTo(PaymentStatus.PENDING);
    assertThat(
            jdbc.sql(
                    "SELECT attempts FROM payment_event WHERE payload = ? AND processed_at IS NULL")
                .param(body)
                .query(Integer.class)
                .single())
        .isEqualTo(1);

    assertThat(postSandbox(base(), body, SANDBOX_SECRET, Instant.now()).statusCode())
        .isEqualTo(200);
    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
  }

  @Test
  void an_event_left_unprocessed_and_not_repeated_is_finished_once_by_the_sweep() throws Exception {
    CheckoutRequest order = anSmsOrder(tenant, 5_000, PaymentMethod.CARD);
    UUID payment = payments.startCheckout(order).paymentId();
    String body =
        sandboxEvent(
            "evt_" + UUID.randomUUID(), "checkout.completed", session(payment), payment, "paid");
    counter.failOnce.add(order.reference());
    assertThat(postSandbox(base(), body, SANDBOX_SECRET, Instant.now()).statusCode())
        .isEqualTo(500);

    assertThat(inbox.processUnfinished(java.time.Duration.ZERO)).isGreaterThanOrEqualTo(1);
    assertThat(inbox.processUnfinished(java.time.Duration.ZERO)).isZero();

    assertThat(status(payment)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(payment)).isEqualTo(1);
    assertThat(postSandbox(base(), body, SANDBOX_SECRET, Instant.now()).body())
        .contains("\"duplicate\":true");
    assertThat(counter.settled(payment)).isEqualTo(1);
  }

  @Test
  void ten_concurrent_checkouts_with_one_key_make_one_payment() throws Exception {
    CheckoutRequest order = anSmsOrder(tenant, 7_500, PaymentMethod.CARD);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Checkout>> answers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add(
          pool.submit(() -> {
            start.await();
            return payments.startCheckout(order);
          }));
    }
    start.countDown();
    Checkout first = answers.get(0).get();
    for (Future<Checkout> answer : answers) {
      assertThat(answer.get()).isEqualTo(first);
    }
    pool.shutdown();
    assertThat(
            jdbc.sql("SELECT count(*) FROM payment WHERE tenant_id = ?")
                .param(tenant.value())
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void a_cancelled_checkout_still_settles_when_the_money_arrives_but_a_failed_one_does_not()
      throws Exception {
    UUID cancelled =
        payments.startCheckout(anSmsOrder(tenant, 5_000, PaymentMethod.CARD)).paymentId();
    payments.cancel(tenant, cancelled);
    assertThat(status(cancelled)).isEqualTo(PaymentStatus.CANCELLED);
    postSandbox(
        base(),
        sandboxEvent(
            "evt_" + UUID.randomUUID(),
            "checkout.completed",
            session(cancelled),
            cancelled,
            "paid"),
        SANDBOX_SECRET,
        Instant.now());
    assertThat(status(cancelled)).isEqualTo(PaymentStatus.SETTLED);
    assertThat(counter.settled(cancelled)).isEqualTo(1);

    UUID declined =
        payments.startCheckout(anSmsOrder(tenant, 5_000, PaymentMethod.CARD)).paymentId();
    postSandbox(
        base(),
        sandboxEvent(
            "evt_" + UUID.randomUUID(), "checkout.failed", session(declined), declined, null),
        SANDBOX_SECRET,
        Instant.now());
    postSandbox(
        base(),
        sandboxEvent(
            "evt_" + UUID.randomUUID(), "checkout.completed", session(declined), declined, "paid"),
        SANDBOX_SECRET,
        Instant.now());
    PaymentView view = payments.find(tenant, declined).orElseThrow();
    assertThat(view.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(view.failureReason()).contains("declined");
    assertThat(counter.failed(declined)).isEqualTo(1);
    assertThat(counter.settled(declined)).isZero();
  }
}
