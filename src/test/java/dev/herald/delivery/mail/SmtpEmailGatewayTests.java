package dev.herald.delivery.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.gateway.EmailSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.shared.TenantId;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** A mail the dispatcher gave up on while it waited for an SMTP connection is never sent later. */
class SmtpEmailGatewayTests {

  /** An SMTP server that holds every connection until told to answer. */
  static final class SlowServer extends JavaMailSenderImpl {
    final CountDownLatch answer = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();

    @Override
    public void send(MimeMessage message) {
      started.incrementAndGet();
      try {
        answer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sent.incrementAndGet();
    }
  }

  static EmailSubmission mail(int n) {
    return new EmailSubmission(
        new TenantId(UUID.randomUUID()),
        UUID.randomUUID(),
        1,
        "from@herald.test",
        "to" + n + "@example.dk",
        "Subject",
        "Body");
  }

  @Test
  void a_mail_cancelled_while_waiting_for_a_connection_is_not_sent() {
    SlowServer server = new SlowServer();
    SmtpEmailGateway gateway = new SmtpEmailGateway(server);
    List<CompletableFuture<SubmitResult>> busy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      busy.add(gateway.send(mail(i)));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.started.get() == 4);

    CompletableFuture<SubmitResult> waiting = gateway.send(mail(5));
    waiting.cancel(false); // what the dispatcher does when its submit timeout passes
    server.answer.countDown();

    busy.forEach(CompletableFuture::join);
    assertThat(busy)
        .allSatisfy(f -> assertThat(f.join()).isInstanceOf(SubmitResult.Accepted.class));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.sent.get() == 4);
    assertThat(server.started.get()).as("the cancelled mail never reached the server").isEqualTo(4);
  }
}
