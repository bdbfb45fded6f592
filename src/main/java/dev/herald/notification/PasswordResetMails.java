package dev.herald.notification;

import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.Language;
import dev.herald.tenant.Companies;
import dev.herald.tenant.PasswordResetRequested;
import java.util.List;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends the "reset your password" e-mail through the company's e-mail queue (SMTP, or the mail sink
 * of the embedded default), in the transaction that stored the link's token.
 */
@Component
class PasswordResetMails {

  private final OutboundMessages outbound;
  private final Companies companies;
  private final MessageSource messages;

  PasswordResetMails(OutboundMessages outbound, Companies companies, MessageSource messages) {
    this.outbound = outbound;
    this.companies = companies;
    this.messages = messages;
  }

  @EventListener
  void on(PasswordResetRequested request) {
    Language language =
        request.language() != null
            ? request.language()
            : companies.require(request.tenantId()).language();
    var locale = language.locale();
    String subject = messages.getMessage("passwordReset.mail.subject", null, locale);
    String body =
        messages.getMessage(
            "passwordReset.mail.body",
            new Object[] {request.displayName(), request.link(), 60},
            locale);
    outbound.enqueue(
        request.tenantId(),
        List.of(
            new OutboundDraft(Channel.EMAIL, null, request.email(), subject, body, false)
                .withKind(dev.herald.delivery.OutboundKind.ACCOUNT)));
  }
}
