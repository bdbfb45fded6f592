package dev.herald.work.web;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.PageOf;
import dev.herald.shared.StaleEditException;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import dev.herald.work.Document;
import dev.herald.work.DocumentKind;
import dev.herald.work.DocumentReminders;
import dev.herald.work.DocumentSheets;
import dev.herald.work.DocumentStatus;
import dev.herald.work.Documents;
import dev.herald.work.SendingDocuments;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Quotes and invoices the company sends its customers: list, create, edit (drafts), view, PDF and
 * recording a payment. Not Herald's own invoices to the company (Settings &gt; Billing).
 */
@Controller
@RequestMapping("/documents")
class DocumentsController {

  private static final int PAGE_SIZE = 25;

  private final Documents documents;
  private final DocumentReminders reminders;
  private final DocumentSheets sheets;
  private final SendingDocuments sending;
  private final Contacts contacts;
  private final Companies companies;
  private final MessageSource messages;

  DocumentsController(
      Documents documents,
      DocumentReminders reminders,
      DocumentSheets sheets,
      SendingDocuments sending,
      Contacts contacts,
      Companies companies,
      MessageSource messages) {
    this.documents = documents;
    this.reminders = reminders;
    this.sheets = sheets;
    this.sending = sending;
    this.contacts = contacts;
    this.companies = companies;
    this.messages = messages;
  }

  /** Only the form's own fields bind, so a forged {@code lines[5000]} is ignored, not a 500. */
  @InitBinder("form")
  void onlyFormFields(WebDataBinder binder) {
    List<String> allowed =
        new ArrayList<>(List.of("kind", "contactId", "issueDate", "dueDate", "note", "version"));
    for (int i = 0; i < DocumentForm.MAX_ROWS; i++) {
      for (String field : List.of("description", "quantity", "unitPrice", "taxRate")) {
        allowed.add("lines[" + i + "]." + field);
      }
    }
    binder.setAllowedFields(allowed.toArray(String[]::new));
  }

  @GetMapping
  String list(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    DocumentKind kindFilter = DocumentKind.fromCode(kind).orElse(null);
    DocumentStatus statusFilter = DocumentStatus.fromCode(status).orElse(null);
    PageOf<Document> result =
        documents.search(user.tenantId(), kindFilter, statusFilter, Math.max(0, page), PAGE_SIZE);
    model.addAttribute("result", result);
    model.addAttribute("kind", kindFilter);
    model.addAttribute("status", statusFilter);
    model.addAttribute("kinds", DocumentKind.values());
    model.addAttribute("statuses", DocumentStatus.values());
    model.addAttribute("today", documents.today(user.tenantId()));
    return "documents/list";
  }

  @GetMapping("/new")
  String newForm(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "invoice") String kind,
      @RequestParam(required = false) UUID contactId,
      Model model) {
    String k = DocumentKind.fromCode(kind).orElse(DocumentKind.INVOICE).code();
    model.addAttribute(
        "form",
        DocumentForm.empty(k, contactId, defaultTaxRate(companies.require(user.tenantId()))));
    return form(user, null, model);
  }

  @PostMapping
  String create(
      @AuthenticationPrincipal HeraldUser user,
      @ModelAttribute("form") DocumentForm form,
      BindingResult binding,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      if (binding.hasFieldErrors("contactId")) {
        form.setContactId(null);
      }
      Document doc = documents.create(user.tenantId(), form.toInput());
      redirect.addFlashAttribute("saved", true);
      return "redirect:/documents/" + doc.id();
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      form.withSpareRows("");
      return form(user, null, model);
    }
  }

  @GetMapping("/{id}")
  String view(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    Document doc = documents.require(user.tenantId(), id);
    Company company = companies.require(user.tenantId());
    Language language = Language.fromCode(LocaleHolder.language()).orElse(company.language());
    model.addAttribute("doc", doc);
    model.addAttribute(
        "sheet",
        sheets.sheet(
            doc,
            company,
            buyerDetails(user, doc),
            language.locale(),
            documents.today(user.tenantId())));
    model.addAttribute("shownStatus", doc.shownStatus(documents.today(user.tenantId())));
    model.addAttribute("sendings", documents.sendings(user.tenantId(), id));
    model.addAttribute("reminders", reminders.of(user.tenantId(), id));
    return "documents/view";
  }

  @GetMapping("/{id}/edit")
  String edit(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    Document doc = documents.require(user.tenantId(), id);
    if (!doc.editable()) {
      return "redirect:/documents/" + id;
    }
    model.addAttribute("form", DocumentForm.of(doc));
    return form(user, doc, model);
  }

  @PostMapping("/{id}")
  String update(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @ModelAttribute("form") DocumentForm form,
      BindingResult binding,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    Document doc = documents.require(user.tenantId(), id);
    try {
      if (binding.hasFieldErrors("contactId")) {
        form.setContactId(null);
      }
      documents.update(user.tenantId(), id, form.getVersion(), form.toInput());
      redirect.addFlashAttribute("saved", true);
      return "redirect:/documents/" + id;
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
    } catch (StaleEditException e) {
      response.setStatus(409);
      model.addAttribute(
          "errors", Map.of("form", messages.getMessage("documents.stale", null, locale)));
    }
    form.withSpareRows("");
    return form(user, doc, model);
  }

  /** The PDF, in the language of the page (the customer gets theirs with the e-mail). */
  @GetMapping("/{id}/pdf")
  ResponseEntity<byte[]> pdf(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Locale locale) {
    Document doc = documents.require(user.tenantId(), id);
    Language language =
        Language.fromCode(locale.getLanguage())
            .orElse(companies.require(user.tenantId()).language());
    byte[] pdf = sending.pdf(user.tenantId(), id, language);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.inline().filename(DocumentSheets.filename(doc)).build().toString())
        .body(pdf);
  }

  /** Asks before recording a payment: it stops the reminders and cannot be undone here. */
  @GetMapping("/{id}/paid")
  String confirmPaid(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    Document doc = documents.require(user.tenantId(), id);
    model.addAttribute("doc", doc);
    return "documents/confirm-paid";
  }

  @PostMapping("/{id}/paid")
  String markPaid(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      RedirectAttributes redirect) {
    documents.require(user.tenantId(), id);
    redirect.addFlashAttribute(
        documents.markPaid(user.tenantId(), id) ? "markedPaid" : "notPayable", true);
    return "redirect:/documents/" + id;
  }

  private String form(HeraldUser user, Document doc, Model model) {
    model.addAttribute("doc", doc);
    model.addAttribute("contactOptions", contacts.search(user.tenantId(), "", 0, 500).items());
    model.addAttribute("currency", currencyNote(user));
    return "documents/form";
  }

  private String currencyNote(HeraldUser user) {
    return documents.currency(user.tenantId()).getCurrencyCode();
  }

  private List<String> buyerDetails(HeraldUser user, Document doc) {
    return contacts
        .find(user.tenantId(), doc.contactId())
        .map(Contact::emails)
        .filter(e -> !e.isEmpty())
        .map(e -> List.of(e.get(0)))
        .orElse(List.of());
  }

  /** The standard VAT of the company's country, to pre-fill new lines; blank when not known. */
  static String defaultTaxRate(Company company) {
    return switch (company.country()) {
      case "DK" -> "25";
      case "FR", "GB" -> "20";
      case "DE" -> "19";
      default -> "";
    };
  }

  /** The language of the current request, as LocaleContextHolder has it. */
  static final class LocaleHolder {
    private LocaleHolder() {}

    static String language() {
      return org.springframework.context.i18n.LocaleContextHolder.getLocale().getLanguage();
    }
  }
}
