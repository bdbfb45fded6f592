package dev.herald.notification;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A direct message from the business to a contact: the text is the SMS and the e-mail body. The
 * messages are queued in the caller's transaction, so they exist exactly when the action does.
 */
@Service
public class SendingMessages {

  private final Contacts contacts;
  private final Companies companies;
  private final SmsPreviews previews;
  private final OutboundMessages outbound;
  private final MessageSource messages;

  SendingMessages(
      Contacts contacts,
      Companies companies,
      SmsPreviews previews,
      OutboundMessages outbound,
      MessageSource messages) {
    this.contacts = contacts;
    this.companies = companies;
    this.previews = previews;
    this.outbound = outbound;
    this.messages = messages;
  }

  /** What was queued, and each channel left out with its reason. */
  public record Sent(
      UUID contactId, List<QueuedMessage> messages, List<ChannelChoice.Skipped> skipped) {}

  /**
   * Queues the message on the channels the contact's preferences and consent allow. A text that is
   * empty or over the company's segment cap (F4) is refused before anything is queued.
   */
  @Transactional
  public Sent send(TenantId tenant, UUID contactId, String text) {
    Contact contact =
        contacts.find(tenant, contactId).orElseThrow(() -> new NotFoundException("Contact"));
    Company company = companies.require(tenant);
    previews.requireSendable(tenant, "text", text);

    ChannelChoice choice = ChannelChoice.of(company, contact);
    List<OutboundDraft> drafts = new ArrayList<>(2);
    choice
        .sms()
        .ifPresent(number -> {
          OutboundDraft sms =
              new OutboundDraft(
                  Channel.SMS, contactId, number, null, text, company.smsSmartEncoding());
          // The communication must arrive: when the SMS finds no credit, it goes by e-mail instead
          // (H2), also where the contact's Email box is unticked, if the company keeps that on.
          if (choice.email().isEmpty() && !contact.emails().isEmpty()) {
            sms =
                sms.withFallback(
                    new OutboundDraft.EmailFallback(
                        contact.emails().get(0), subject(company, contact), text));
          }
          drafts.add(sms);
        });
    choice
        .email()
        .ifPresent(address ->
            drafts.add(
                new OutboundDraft(
                    Channel.EMAIL, contactId, address, subject(company, contact), text, false)));
    List<QueuedMessage> queued = drafts.isEmpty() ? List.of() : outbound.enqueue(tenant, drafts);
    return new Sent(contactId, queued, choice.skipped());
  }

  private String subject(Company company, Contact contact) {
    return messages.getMessage(
        "notification.email.subject", new Object[] {company.name()}, contact.language().locale());
  }
}
