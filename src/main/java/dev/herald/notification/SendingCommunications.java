package dev.herald.notification;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundAttachment;
import dev.herald.delivery.OutboundAttachments;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.delivery.QueuedMessage;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Templated communications to a customer (a document sent, a reminder): renders the texts in the
 * contact's language with the merge values, checks the channels against the contact's preferences
 * and consent (C3 to C5), and queues them in the caller's transaction.
 */
@Service
public class SendingCommunications {

  private final Contacts contacts;
  private final Companies companies;
  private final SmsPreviews previews;
  private final MessageTemplates templates;
  private final OutboundMessages outbound;
  private final OutboundAttachments attachments;

  SendingCommunications(
      Contacts contacts,
      Companies companies,
      SmsPreviews previews,
      MessageTemplates templates,
      OutboundMessages outbound,
      OutboundAttachments attachments) {
    this.contacts = contacts;
    this.companies = companies;
    this.previews = previews;
    this.templates = templates;
    this.outbound = outbound;
    this.attachments = attachments;
  }

  /** A file for the e-mail (a document's PDF). */
  public record Attachment(String filename, String contentType, byte[] content) {}

  /**
   * What a person chose in a send window: the channels ticked and the texts as edited, with merge
   * fields still in them; values fill the fields; dedupeKey (optional) makes the queueing
   * idempotent.
   */
  public record Communication(
      UUID contactId,
      CommunicationKind kind,
      boolean sms,
      String smsText,
      boolean email,
      String emailSubject,
      String emailBody,
      MergeValues values,
      List<Attachment> attachments,
      String dedupeKey) {}

  /** What was queued: message ids (null for a channel not used) and the SMS's segments. */
  public record Queued(UUID smsMessageId, int smsSegments, UUID emailMessageId) {

    public boolean nothing() {
      return smsMessageId == null && emailMessageId == null;
    }
  }

  /**
   * Where a communication to this contact can go from a send window, and why the other channels
   * cannot; the contact's own boxes say which to pre-tick.
   */
  public ChannelChoice possibleChannels(TenantId tenant, UUID contactId) {
    return ChannelChoice.possible(companies.require(tenant), contact(tenant, contactId));
  }

  /** The language a contact's communications are written in: theirs, else the company's. */
  public Language languageOf(TenantId tenant, Contact contact) {
    return contact.language() != null ? contact.language() : companies.require(tenant).language();
  }

  /**
   * Queues the communication on the ticked channels, or refuses it with every problem at once: no
   * channel ticked, a ticked channel that cannot apply (with its reason), a blank text, an unknown
   * merge field, an SMS over the company's cap once rendered.
   */
  @Transactional
  public Queued send(TenantId tenant, Communication c) {
    Company company = companies.require(tenant);
    Contact contact = contact(tenant, c.contactId());
    ChannelChoice choice = ChannelChoice.possible(company, contact);
    Language language = languageOf(tenant, contact);
    List<FieldProblem> problems = new ArrayList<>();
    if (!c.sms() && !c.email()) {
      problems.add(FieldProblem.of("channels", "documents.send.noChannel"));
    }
    String sms = null;
    if (c.sms()) {
      if (choice.sms().isEmpty()) {
        problems.add(FieldProblem.of("sms", "notification.skip." + reason(choice, Channel.SMS)));
      }
      int before = problems.size();
      MessageTemplates.check(problems, "smsText", c.smsText(), true);
      if (problems.size() == before) {
        sms = MergeFields.render(c.smsText().strip(), c.values(), language);
        previews.preview(tenant, sms, null).problem("smsText").ifPresent(problems::add);
      }
    }
    if (c.email()) {
      if (choice.email().isEmpty()) {
        problems.add(
            FieldProblem.of("email", "notification.skip." + reason(choice, Channel.EMAIL)));
      }
      MessageTemplates.check(problems, "emailSubject", c.emailSubject(), false);
      MessageTemplates.check(problems, "emailBody", c.emailBody(), true);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    OutboundKind kind = c.kind().reminder() ? OutboundKind.REMINDER : OutboundKind.DOCUMENT;
    List<OutboundDraft> drafts = new ArrayList<>(2);
    if (c.sms()) {
      OutboundDraft draft =
          new OutboundDraft(
                  Channel.SMS,
                  contact.id(),
                  choice.sms().orElseThrow(),
                  null,
                  sms,
                  company.smsSmartEncoding())
              .withKind(kind)
              .withDedupeKey(c.dedupeKey());
      if (!c.email()) {
        draft = withFallback(draft, contact, fallbackTexts(tenant, c, language), c.values());
      }
      drafts.add(draft);
    }
    if (c.email()) {
      drafts.add(
          new OutboundDraft(
                  Channel.EMAIL,
                  contact.id(),
                  choice.email().orElseThrow(),
                  MergeFields.render(c.emailSubject().strip(), c.values(), language),
                  MergeFields.render(c.emailBody().strip(), c.values(), language),
                  false)
              .withKind(kind)
              .withDedupeKey(c.dedupeKey()));
    }
    return queue(tenant, drafts, c.attachments());
  }

  /**
   * An automatic communication (a reminder): the company's template in the contact's language, on
   * every channel the contact's preferences and consent allow; nothing when none does.
   */
  @Transactional
  public Queued sendAutomatic(
      TenantId tenant,
      UUID contactId,
      CommunicationKind kind,
      MergeValues values,
      List<Attachment> files,
      String dedupeKey) {
    contact(tenant, contactId);
    return sendAutomatic(tenant, List.of(new Automatic(contactId, kind, values, files, dedupeKey)))
        .getFirst();
  }

  /** One automatic communication of a batch: to whom, which kind, the values, the dedupe key. */
  public record Automatic(
      UUID contactId,
      CommunicationKind kind,
      MergeValues values,
      List<Attachment> attachments,
      String dedupeKey) {}

  /**
   * Automatic communications of one company in one go (the reminder run): the company, the contacts
   * and each kind's template in each language read once, and every message queued in one enqueue
   * (one credit reservation for all the SMS, in the batch's order). The answer has one entry per
   * communication, in order; a contact that is gone gets nothing.
   */
  @Transactional
  public List<Queued> sendAutomatic(TenantId tenant, List<Automatic> batch) {
    Company company = companies.require(tenant);
    Map<UUID, Contact> found =
        contacts.findAll(tenant, batch.stream().map(Automatic::contactId).distinct().toList());
    Map<String, MessageTemplate> templateCache = new HashMap<>();
    List<OutboundDraft> drafts = new ArrayList<>(batch.size() * 2);
    int[] firstDraft = new int[batch.size() + 1];
    for (int i = 0; i < batch.size(); i++) {
      firstDraft[i] = drafts.size();
      Automatic a = batch.get(i);
      Contact contact = found.get(a.contactId());
      if (contact == null) {
        continue;
      }
      Language wanted = contact.language() != null ? contact.language() : company.language();
      MessageTemplate template =
          templateCache.computeIfAbsent(
              a.kind() + "/" + wanted, k -> templates.get(tenant, a.kind(), wanted));
      drafts.addAll(drafts(company, contact, template, a));
    }
    firstDraft[batch.size()] = drafts.size();
    List<QueuedMessage> queued = drafts.isEmpty() ? List.of() : outbound.enqueue(tenant, drafts);
    // The answer: one entry per draft, then the fallback e-mails queued, in the order of the SMS
    // that went without credit and carried one.
    List<Integer> fallbackOwners = new ArrayList<>();
    for (int d = 0; d < drafts.size(); d++) {
      if (drafts.get(d).fallback() != null
          && queued.get(d).status() == dev.herald.delivery.MessageStatus.NO_CREDIT) {
        fallbackOwners.add(d);
      }
    }
    int fallbacks = queued.size() - drafts.size();
    Map<Integer, QueuedMessage> fallbackOf = new HashMap<>();
    if (fallbacks == fallbackOwners.size()) {
      for (int f = 0; f < fallbacks; f++) {
        fallbackOf.put(fallbackOwners.get(f), queued.get(drafts.size() + f));
      }
    }
    List<Queued> answers = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      UUID smsId = null;
      int segments = 0;
      UUID emailId = null;
      List<QueuedMessage> emails = new ArrayList<>();
      for (int d = firstDraft[i]; d < firstDraft[i + 1]; d++) {
        QueuedMessage m = queued.get(d);
        if (m.channel() == Channel.SMS) {
          smsId = m.id();
          segments = m.segments();
          QueuedMessage fallback = fallbackOf.get(d);
          if (fallback != null) {
            emails.add(fallback);
          }
        } else {
          emails.add(m);
        }
      }
      List<Attachment> files = batch.get(i).attachments();
      for (QueuedMessage email : emails) {
        emailId = email.id();
        if (files != null && !files.isEmpty()) {
          attachments.attach(
              tenant,
              email,
              files.stream()
                  .map(f -> new OutboundAttachment(f.filename(), f.contentType(), f.content()))
                  .toList());
        }
      }
      answers.add(new Queued(smsId, segments, emailId));
    }
    return answers;
  }

  /** The drafts of one automatic communication: the SMS (with its e-mail fallback) and e-mail. */
  private static List<OutboundDraft> drafts(
      Company company, Contact contact, MessageTemplate template, Automatic a) {
    ChannelChoice choice = ChannelChoice.of(company, contact);
    Language language = template.language();
    MergeValues values = a.values();
    OutboundKind outboundKind = a.kind().reminder() ? OutboundKind.REMINDER : OutboundKind.DOCUMENT;
    List<OutboundDraft> drafts = new ArrayList<>(2);
    choice
        .sms()
        .ifPresent(number -> {
          String text = MergeFields.render(template.smsText(), values, language);
          if (SmsPreviews.preview(company, text, null).problem("smsText").isEmpty()) {
            OutboundDraft draft =
                new OutboundDraft(
                        Channel.SMS, contact.id(), number, null, text, company.smsSmartEncoding())
                    .withKind(outboundKind)
                    .withDedupeKey(a.dedupeKey());
            if (choice.email().isEmpty()) {
              draft = withFallback(draft, contact, template, values);
            }
            drafts.add(draft);
          }
        });
    choice
        .email()
        .ifPresent(address ->
            drafts.add(
                new OutboundDraft(
                        Channel.EMAIL,
                        contact.id(),
                        address,
                        MergeFields.render(template.emailSubject(), values, language),
                        MergeFields.render(template.emailBody(), values, language),
                        false)
                    .withKind(outboundKind)
                    .withDedupeKey(a.dedupeKey())));
    return drafts;
  }

  private Queued queue(TenantId tenant, List<OutboundDraft> drafts, List<Attachment> files) {
    if (drafts.isEmpty()) {
      return new Queued(null, 0, null);
    }
    UUID smsId = null;
    int segments = 0;
    UUID emailId = null;
    for (QueuedMessage m : outbound.enqueue(tenant, drafts)) {
      if (m.channel() == Channel.SMS) {
        smsId = m.id();
        segments = m.segments();
      } else {
        emailId = m.id();
        if (files != null && !files.isEmpty()) {
          attachments.attach(
              tenant,
              m,
              files.stream()
                  .map(f -> new OutboundAttachment(f.filename(), f.contentType(), f.content()))
                  .toList());
        }
      }
    }
    return new Queued(smsId, segments, emailId);
  }

  /**
   * The SMS with the e-mail that goes instead when it finds no credit (H2: the communication must
   * arrive), where the contact has an e-mail address: the communication's e-mail texts, with the
   * same merge values (so the same portal link) and, when queued, the same attachments. Whether it
   * goes is the company's choice, read by the enqueue.
   */
  private static OutboundDraft withFallback(
      OutboundDraft sms, Contact contact, MessageTemplate texts, MergeValues values) {
    if (contact.emails().isEmpty()) {
      return sms;
    }
    Language language = texts.language();
    return sms.withFallback(
        new OutboundDraft.EmailFallback(
            contact.emails().get(0),
            MergeFields.render(texts.emailSubject(), values, language),
            MergeFields.render(texts.emailBody(), values, language)));
  }

  /**
   * The e-mail texts of a send window's SMS fallback: the window's own e-mail texts when they are
   * fit to send (the person may have edited them without ticking Email), else the template's.
   */
  private MessageTemplate fallbackTexts(TenantId tenant, Communication c, Language language) {
    MessageTemplate template = templates.get(tenant, c.kind(), language);
    List<FieldProblem> problems = new ArrayList<>();
    MessageTemplates.check(problems, "emailSubject", c.emailSubject(), false);
    MessageTemplates.check(problems, "emailBody", c.emailBody(), true);
    if (!problems.isEmpty()) {
      return template;
    }
    return new MessageTemplate(
        template.kind(),
        language,
        template.smsText(),
        c.emailSubject().strip(),
        c.emailBody().strip(),
        true);
  }

  private static String reason(ChannelChoice choice, Channel channel) {
    return choice.skipped().stream()
        .filter(s -> s.channel() == channel)
        .map(s -> s.reason().code())
        .findFirst()
        .orElse(SkipReason.PREFERENCE_OFF.code());
  }

  private Contact contact(TenantId tenant, UUID contactId) {
    Objects.requireNonNull(contactId, "contactId");
    return contacts.find(tenant, contactId).orElseThrow(() -> new NotFoundException("Contact"));
  }
}
