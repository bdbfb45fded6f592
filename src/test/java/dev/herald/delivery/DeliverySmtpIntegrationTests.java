package dev.herald.delivery;

import static dev.herald.delivery.DeliveryFixtures.anEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * G7: with spring.mail.host set, e-mail goes out by SMTP (a GreenMail server here), not to the
 * sink.
 */
@SpringBootTest(properties = "herald.delivery.email.from=notifications@herald.test")
class DeliverySmtpIntegrationTests {

  static final int SMTP_PORT = freePort();

  @RegisterExtension
  static GreenMailExtension smtp =
      new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
          .withPerMethodLifecycle(false);

  @DynamicPropertySource
  static void mail(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP_PORT);
  }

  @Autowired OutboundMessages messages;
  @Autowired MailSink mailSink;
  @Autowired TestCompanies companies;

  @Test
  void an_email_is_delivered_to_the_smtp_server() throws Exception {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    UUID id =
        messages
            .enqueue(
                tenant,
                List.of(
                    anEmail("bo@example.dk", "Faktura 1042", "Hej Bo – din faktura er klar. 🌿")))
            .getFirst()
            .id();

    MessageView sent =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> messages.find(tenant, id).orElseThrow(),
                m -> m.status() == MessageStatus.SENT);

    assertThat(sent.attemptHistory())
        .singleElement()
        .extracting(AttemptView::gateway)
        .isEqualTo("smtp");
    // The server is shared by this class's tests: only this test's mail counts.
    MimeMessage[] received =
        java.util.Arrays.stream(smtp.getReceivedMessages())
            .filter(m -> {
              try {
                return m.getAllRecipients()[0].toString().equals("bo@example.dk");
              } catch (jakarta.mail.MessagingException e) {
                return false;
              }
            })
            .toArray(MimeMessage[]::new);
    assertThat(received).hasSize(1);
    assertThat(received[0].getSubject()).isEqualTo("Faktura 1042");
    assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("bo@example.dk");
    assertThat(received[0].getFrom()[0].toString()).isEqualTo("notifications@herald.test");
    assertThat(received[0].getHeader("X-Herald-Message-Id")[0]).isEqualTo(id.toString());
    assertThat(((String) received[0].getContent()).strip())
        .isEqualTo("Hej Bo – din faktura er klar. 🌿");
    assertThat(GreenMailUtil.getBody(received[0])).isNotBlank();
    assertThat(mailSink.of(tenant, 0, 10).total()).as("not the sink").isZero();
  }

  @Test
  void an_email_with_an_attachment_arrives_as_a_multipart_with_the_file() throws Exception {
    TenantId tenant = companies.aDanishCompany(true, true).id();
    byte[] pdf = "%PDF-1.4 a tiny test file".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    UUID id =
        tx.execute(s -> {
          QueuedMessage queued =
              messages
                  .enqueue(
                      tenant, List.of(anEmail("liv@example.dk", "Faktura INV-00007", "Hej Liv")))
                  .getFirst();
          attachments.attach(
              tenant,
              queued,
              List.of(new OutboundAttachment("INV-00007.pdf", "application/pdf", pdf)));
          return queued.id();
        });

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> messages.find(tenant, id).orElseThrow().status() == MessageStatus.SENT);

    MimeMessage received =
        java.util.Arrays.stream(smtp.getReceivedMessages())
            .filter(m -> {
              try {
                return "Faktura INV-00007".equals(m.getSubject());
              } catch (jakarta.mail.MessagingException e) {
                return false;
              }
            })
            .findFirst()
            .orElseThrow();
    var multipart = (jakarta.mail.internet.MimeMultipart) received.getContent();
    assertThat(multipart.getCount()).isEqualTo(2);
    var file = multipart.getBodyPart(1);
    assertThat(file.getFileName()).isEqualTo("INV-00007.pdf");
    assertThat(file.getContentType()).startsWith("application/pdf");
    assertThat(file.getInputStream().readAllBytes()).isEqualTo(pdf);
  }

  @Autowired OutboundAttachments attachments;
  @Autowired org.springframework.transaction.support.TransactionTemplate tx;

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
