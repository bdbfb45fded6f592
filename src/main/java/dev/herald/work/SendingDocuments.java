package dev.herald.work;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.notification.ChannelChoice;
import dev.herald.notification.CommunicationKind;
import dev.herald.notification.MergeFields;
import dev.herald.notification.MergeValues;
import dev.herald.notification.MessageTemplate;
import dev.herald.notification.MessageTemplates;
import dev.herald.notification.SendingCommunications;
import dev.herald.notification.SendingCommunications.Attachment;
import dev.herald.notification.SendingCommunications.Communication;
import dev.herald.notification.SendingCommunications.Queued;
import dev.herald.shared.Language;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sending a quote or invoice from the send window (D1): the window is filled from the contact's
 * preferences and the template in the contact's language; sending issues a portal link, queues the
 * SMS and the e-mail with the PDF, and marks the document sent, all in one transaction.
 */
@Service
public class SendingDocuments {

  /** What the send window shows before anything is changed. */
  public record Window(
      Document document,
      Contact contact,
      Language language,
      ChannelChoice channels,
      boolean smsTicked,
      boolean emailTicked,
      String smsText,
      String emailSubject,
      String emailBody) {}

  /** What the person sent: the ticked boxes and the texts as edited ({@code {link}} kept). */
  public record Request(
      boolean sms, String smsText, boolean email, String emailSubject, String emailBody) {}

  private final Documents documents;
  private final Contacts contacts;
  private final Companies companies;
  private final DocumentSettingsStore settings;
  private final DocumentSheets sheets;
  private final MessageTemplates templates;
  private final SendingCommunications sending;
  private final PortalLinks portalLinks;
  private final Clock clock;

  SendingDocuments(
      Documents documents,
      Contacts contacts,
      Companies companies,
      DocumentSettingsStore settings,
      DocumentSheets sheets,
      MessageTemplates templates,
      SendingCommunications sending,
      PortalLinks portalLinks,
      Clock clock) {
    this.documents = documents;
    this.contacts = contacts;
    this.companies = companies;
    this.settings = settings;
    this.sheets = sheets;
    this.templates = templates;
    this.sending = sending;
    this.portalLinks = portalLinks;
    this.clock = clock;
  }

  /**
   * The send window: each box ticked when the contact wants that channel and it can apply; the
   * template's texts with every merge field filled in except {@code {link}}, which each sending
   * fills with a new portal link.
   */
  public Window window(TenantId tenant, UUID documentId) {
    Document doc = documents.require(tenant, documentId);
    Contact contact = contact(tenant, doc);
    Language language = sending.languageOf(tenant, contact);
    ChannelChoice channels = sending.possibleChannels(tenant, contact.id());
    MessageTemplate template = templates.get(tenant, kindOf(doc), language);
    MergeValues values = values(tenant, doc, contact).withLink("{link}");
    return new Window(
        doc,
        contact,
        language,
        channels,
        contact.preferences().sms() && channels.sms().isPresent(),
        contact.preferences().email() && channels.email().isPresent(),
        MergeFields.render(template.smsText(), values, language),
        MergeFields.render(template.emailSubject(), values, language),
        MergeFields.render(template.emailBody(), values, language));
  }

  /**
   * Sends the document as the person chose, or refuses with every problem at once (nothing is
   * queued and the document stays as it was).
   */
  @Transactional
  public Queued send(TenantId tenant, UUID documentId, Request request, String sentBy) {
    Document doc = documents.require(tenant, documentId);
    Contact contact = contact(tenant, doc);
    DocumentSettings s = settings.of(tenant);
    String link =
        portalLinks.issue(
            tenant,
            contact.id(),
            doc.id(),
            clock.instant().plus(Duration.ofDays(s.portalLinkDays())));
    Language language = sending.languageOf(tenant, contact);
    // The PDF goes with the e-mail, and with the e-mail that goes instead of an SMS that finds no
    // credit (H2), which needs the contact's address.
    boolean mayEmail = request.email() || (request.sms() && !contact.emails().isEmpty());
    List<Attachment> files =
        mayEmail
            ? List.of(
                new Attachment(
                    DocumentSheets.filename(doc),
                    "application/pdf",
                    pdf(tenant, doc, contact, language)))
            : List.of();
    Queued queued =
        sending.send(
            tenant,
            new Communication(
                contact.id(),
                kindOf(doc),
                request.sms(),
                request.smsText(),
                request.email(),
                request.emailSubject(),
                request.emailBody(),
                values(tenant, doc, contact).withLink(link),
                files,
                null));
    documents.markSent(tenant, doc.id(), sentBy, queued.smsMessageId(), queued.emailMessageId());
    return queued;
  }

  /**
   * Sends with the contact's preferences and the templates as they are (the REST API): the same
   * checks as the window, so a channel that cannot apply is refused with its reason.
   */
  @Transactional
  public Queued sendWithTemplates(
      TenantId tenant, UUID documentId, Boolean sms, Boolean email, String sentBy) {
    Window w = window(tenant, documentId);
    return send(
        tenant,
        documentId,
        new Request(
            sms != null ? sms : w.smsTicked(),
            w.smsText(),
            email != null ? email : w.emailTicked(),
            w.emailSubject(),
            w.emailBody()),
        sentBy);
  }

  /** The document's PDF in the contact's language. */
  public byte[] pdf(TenantId tenant, UUID documentId, Language language) {
    Document doc = documents.require(tenant, documentId);
    return pdf(tenant, doc, contact(tenant, doc), language);
  }

  private byte[] pdf(TenantId tenant, Document doc, Contact contact, Language language) {
    Company company = companies.require(tenant);
    return sheets.pdf(
        sheets.sheet(
            doc,
            company,
            contact.emails().isEmpty() ? List.of() : List.of(contact.emails().get(0)),
            language.locale(),
            documents.today(tenant)),
        language.locale());
  }

  static CommunicationKind kindOf(Document doc) {
    return doc.kind() == DocumentKind.QUOTE
        ? CommunicationKind.QUOTE_SENT
        : CommunicationKind.INVOICE_SENT;
  }

  MergeValues values(TenantId tenant, Document doc, Contact contact) {
    return new MergeValues(
        contact.name(),
        companies.require(tenant).name(),
        doc.displayNumber(),
        doc.total(),
        doc.dueDate(),
        null);
  }

  private Contact contact(TenantId tenant, Document doc) {
    return contacts
        .find(tenant, doc.contactId())
        .orElseThrow(() -> new NotFoundException("Contact"));
  }
}
