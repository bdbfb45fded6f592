package dev.herald.notification;

import dev.herald.contact.ContactDeleted;
import dev.herald.delivery.OutboundMessages;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A deleted contact receives nothing more, and its message history keeps only masked recipients.
 */
@Component
class ContactDeletions {

  private final OutboundMessages outbound;

  ContactDeletions(OutboundMessages outbound) {
    this.outbound = outbound;
  }

  @EventListener
  void on(ContactDeleted deleted) {
    outbound.forgetContact(deleted.tenantId(), deleted.contactId());
  }
}
