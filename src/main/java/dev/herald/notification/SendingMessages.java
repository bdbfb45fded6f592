package dev.herald.notification;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.EnqueuePreview;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final OptOuts optOuts;

  SendingMessages(
      Contacts contacts,
      Companies companies,
      SmsPreviews previews,
      OutboundMessages outbound,
      MessageSource messages,
      OptOuts optOuts) {
    this.optOuts = optOuts;
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
    List<OutboundDraft> drafts = drafts(company, contact, choice, text, OutboundKind.DIRECT, null);
    List<QueuedMessage> queued = drafts.isEmpty() ? List.of() : outbound.enqueue(tenant, drafts);
    return new Sent(contactId, queued, choice.skipped());
  }

  /**
   * A reply by SMS to the number a customer wrote from (kind REPLY: it goes before mass messages,
   * from one of the company's numbers). Refused, before anything is queued, when the text is empty
   * or over the segment cap, when SMS is off for the company or when the number opted out.
   */
  @Transactional
  public QueuedMessage reply(TenantId tenant, UUID contactId, String number, String text) {
    Company company = companies.require(tenant);
    previews.requireSendable(tenant, "text", text);
    if (!company.smsAvailable()) {
      throw new InvalidInputException(FieldProblem.of("text", "conversation.reply.smsLocked"));
    }
    if (optOuts.isOptedOut(tenant, number)) {
      throw new InvalidInputException(FieldProblem.of("text", "conversation.reply.optedOut"));
    }
    return outbound
        .enqueue(
            tenant,
            List.of(
                new OutboundDraft(
                        Channel.SMS, contactId, number, null, text, company.smsSmartEncoding())
                    .withKind(OutboundKind.REPLY)))
        .getFirst();
  }

  /** Most contacts one bulk message goes to. */
  public static final int MAX_BULK_CONTACTS = 1_000;

  /**
   * One text to many contacts (a mass message), each on the channels their preferences allow: the
   * drafts in the contacts' order, what each left out, and the contacts found.
   */
  public record BulkPlan(
      List<Contact> contacts,
      List<OutboundDraft> drafts,
      Map<ChannelChoice.Skipped, Integer> skipped,
      int unreachable) {}

  /**
   * Plans a mass message: the text is checked as for one contact (empty, over the cap), the list
   * must hold 1 to {@link #MAX_BULK_CONTACTS} of the company's contacts (another company's ids and
   * repeats are dropped). batch makes each draft's dedupe key, so the same form sent twice queues
   * once.
   */
  public BulkPlan planBulk(TenantId tenant, List<UUID> contactIds, String text, String batch) {
    List<FieldProblem> problems = new ArrayList<>();
    try {
      previews.requireSendable(tenant, "text", text);
    } catch (InvalidInputException e) {
      problems.addAll(e.problems());
    }
    List<UUID> unique = contactIds == null ? List.of() : contactIds.stream().distinct().toList();
    if (unique.isEmpty()) {
      problems.add(FieldProblem.of("contacts", "bulk.contacts.none"));
    } else if (unique.size() > MAX_BULK_CONTACTS) {
      problems.add(FieldProblem.of("contacts", "bulk.contacts.tooMany", MAX_BULK_CONTACTS));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    Company company = companies.require(tenant);
    List<Contact> found = new ArrayList<>();
    List<OutboundDraft> drafts = new ArrayList<>();
    Map<ChannelChoice.Skipped, Integer> skipped = new java.util.LinkedHashMap<>();
    int unreachable = 0;
    for (UUID id : unique) {
      Optional<Contact> contact = contacts.find(tenant, id);
      if (contact.isEmpty()) {
        continue;
      }
      found.add(contact.get());
      ChannelChoice choice = ChannelChoice.of(company, contact.get());
      choice.skipped().forEach(s -> skipped.merge(s, 1, Integer::sum));
      List<OutboundDraft> own =
          drafts(
              company,
              contact.get(),
              choice,
              text,
              OutboundKind.BULK,
              batch == null ? null : "bulk:" + batch + ":" + id);
      if (own.isEmpty()) {
        unreachable++;
      }
      drafts.addAll(own);
    }
    if (found.isEmpty()) {
      throw new InvalidInputException(FieldProblem.of("contacts", "bulk.contacts.none"));
    }
    return new BulkPlan(
        List.copyOf(found),
        List.copyOf(drafts),
        java.util.Collections.unmodifiableMap(skipped),
        unreachable);
  }

  /** What the mass message would use now: SMS, credit, e-mails instead (H2). Queues nothing. */
  public EnqueuePreview preview(TenantId tenant, BulkPlan plan) {
    return outbound.preview(tenant, plan.drafts());
  }

  /** Queues a planned mass message in one call: one reservation for all of its SMS. */
  @Transactional
  public List<QueuedMessage> sendBulk(TenantId tenant, BulkPlan plan) {
    return plan.drafts().isEmpty() ? List.of() : outbound.enqueue(tenant, plan.drafts());
  }

  /**
   * The drafts of one communication to one contact: the SMS (with, where the contact has an e-mail
   * address that is not already chosen, the e-mail that goes instead when it finds no credit: the
   * communication must arrive, H2) and the e-mail.
   */
  private List<OutboundDraft> drafts(
      Company company,
      Contact contact,
      ChannelChoice choice,
      String text,
      OutboundKind kind,
      String dedupeKey) {
    List<OutboundDraft> drafts = new ArrayList<>(2);
    choice
        .sms()
        .ifPresent(number -> {
          OutboundDraft sms =
              new OutboundDraft(
                      Channel.SMS, contact.id(), number, null, text, company.smsSmartEncoding())
                  .withKind(kind)
                  .withDedupeKey(dedupeKey);
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
                        Channel.EMAIL,
                        contact.id(),
                        address,
                        subject(company, contact),
                        text,
                        false)
                    .withKind(kind)
                    .withDedupeKey(dedupeKey)));
    return drafts;
  }

  private String subject(Company company, Contact contact) {
    return messages.getMessage(
        "notification.email.subject", new Object[] {company.name()}, contact.language().locale());
  }
}
