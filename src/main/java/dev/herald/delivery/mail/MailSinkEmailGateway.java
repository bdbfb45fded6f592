package dev.herald.delivery.mail;

import dev.herald.delivery.gateway.EmailGateway;
import dev.herald.delivery.gateway.EmailSubmission;
import dev.herald.delivery.gateway.SubmitResult;
import dev.herald.shared.Ids;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded default's e-mail gateway when no SMTP server is configured: every e-mail is stored
 * in {@code mail_sink}, where the UI shows it (MailSink), so nothing is silently dropped.
 */
public class MailSinkEmailGateway implements EmailGateway {

  public static final String NAME = "mail-sink";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final String node;

  public MailSinkEmailGateway(JdbcClient jdbc, Clock clock, String node) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.node = node;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletableFuture<SubmitResult> send(EmailSubmission email) {
    try {
      UUID id = Ids.next();
      jdbc.sql(
              """
              INSERT INTO mail_sink (tenant_id, id, message_id, node, sender, recipient, subject, body, received_at)
              VALUES (:tenant, :id, :message, :node, :sender, :recipient, :subject, :body, :now)
              """)
          .param("tenant", email.tenant().value())
          .param("id", id)
          .param("message", email.messageId())
          .param("node", node)
          .param("sender", email.from())
          .param("recipient", email.to())
          .param("subject", email.subject(), java.sql.Types.VARCHAR)
          .param("body", email.body())
          .param("now", Timestamp.from(clock.instant()))
          .update();
      return CompletableFuture.completedFuture(
          new SubmitResult.Accepted(List.of("<" + id + "@mail-sink>")));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new SubmitResult.TransientFailure("SINK_UNAVAILABLE", e.getClass().getSimpleName()));
    }
  }
}
