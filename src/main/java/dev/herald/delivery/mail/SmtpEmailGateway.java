package dev.herald.delivery.mail;

import dev.herald.delivery.gateway.EmailGateway;
import dev.herald.delivery.gateway.EmailSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * E-mail by SMTP through Spring Mail ({@code spring.mail.host}, {@code port}, {@code username},
 * {@code password}, from the environment). Each mail is sent on a virtual thread; the socket
 * timeouts are {@code spring.mail.properties.mail.smtp.*timeout}. A 5xx answer is a permanent
 * failure with the SMTP code; everything else (4xx, no connection, authentication) is transient.
 */
public class SmtpEmailGateway implements EmailGateway {

  public static final String NAME = "smtp";
  private static final Executor executor = Executors.newVirtualThreadPerTaskExecutor();

  /** At most this many SMTP conversations at once, whatever the batch size. */
  private static final int CONNECTIONS = 4;

  private final JavaMailSender sender;
  private final Semaphore connections = new Semaphore(CONNECTIONS);

  public SmtpEmailGateway(JavaMailSender sender) {
    this.sender = sender;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletableFuture<SubmitResult> send(EmailSubmission email) {
    CompletableFuture<SubmitResult> answer = new CompletableFuture<>();
    executor.execute(() -> sendNow(email, answer));
    return answer;
  }

  /**
   * Sends unless the dispatcher gave up on this answer while the mail waited for a connection: it
   * has then recorded a timeout and will retry, and sending now would be a second copy.
   */
  private void sendNow(EmailSubmission email, CompletableFuture<SubmitResult> answer) {
    try {
      connections.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.complete(new SubmitResult.TransientFailure("SMTP_INTERRUPTED", "interrupted"));
      return;
    }
    try {
      if (!answer.isDone()) {
        answer.complete(deliver(email));
      }
    } finally {
      connections.release();
    }
  }

  private SubmitResult deliver(EmailSubmission email) {
    try {
      MimeMessage mime = sender.createMimeMessage();
      MimeMessageHelper helper =
          new MimeMessageHelper(mime, !email.attachments().isEmpty(), "UTF-8");
      helper.setFrom(email.from());
      helper.setTo(email.to());
      helper.setSubject(email.subject() == null ? "" : email.subject());
      helper.setText(email.body(), false);
      for (var file : email.attachments()) {
        helper.addAttachment(
            file.filename(),
            new org.springframework.core.io.ByteArrayResource(file.content()),
            file.contentType());
      }
      mime.addHeader("X-Herald-Message-Id", email.messageId().toString());
      sender.send(mime);
      String id = mime.getMessageID();
      return new SubmitResult.Accepted(List.of(id == null ? email.messageId().toString() : id));
    } catch (MailAuthenticationException e) {
      return new SubmitResult.TransientFailure("SMTP_AUTH", "SMTP authentication failed");
    } catch (MailException | MessagingException e) {
      int code = smtpCode(e);
      if (code >= 500) {
        return new SubmitResult.PermanentFailure("SMTP_" + code, firstLine(e));
      }
      return new SubmitResult.TransientFailure(
          code > 0 ? "SMTP_" + code : "SMTP_ERROR", firstLine(e));
    }
  }

  /** The SMTP reply code buried in the cause chain (Angus Mail's exceptions carry it), or 0. */
  private static int smtpCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      int code = returnCode(t);
      if (code > 0) {
        return code;
      }
      if (t instanceof MessagingException m
          && m.getNextException() != null
          && m.getNextException() != t) {
        int nested = smtpCode(m.getNextException());
        if (nested > 0) {
          return nested;
        }
      }
      if (t instanceof org.springframework.mail.MailSendException send) {
        for (Exception failed : send.getFailedMessages().values()) {
          int nested = failed == t ? 0 : smtpCode(failed);
          if (nested > 0) {
            return nested;
          }
        }
      }
    }
    return 0;
  }

  /**
   * Angus Mail's SMTPAddressFailedException and SMTPSendFailedException carry getReturnCode(); the
   * implementation is a runtime dependency only, so the method is looked up rather than compiled
   * in.
   */
  private static int returnCode(Throwable t) {
    if (!t.getClass().getName().startsWith("org.eclipse.angus.mail.smtp.")) {
      return 0;
    }
    try {
      return (int) t.getClass().getMethod("getReturnCode").invoke(t);
    } catch (ReflectiveOperationException | ClassCastException e) {
      return 0;
    }
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }
}
