package dev.herald.portal.web;

import dev.herald.contact.Contact;
import dev.herald.contact.ContactPhone;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.contact.PhoneType;
import dev.herald.payment.Checkout;
import dev.herald.payment.CheckoutRequest;
import dev.herald.payment.Payee;
import dev.herald.payment.PaymentAccounts;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.Payments;
import dev.herald.payment.ReferenceKind;
import dev.herald.portal.PortalTokens;
import dev.herald.portal.PortalTokens.Visitor;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.Notices;
import dev.herald.tenant.PublicUrls;
import dev.herald.work.AnsweringQuotes;
import dev.herald.work.Document;
import dev.herald.work.DocumentKind;
import dev.herald.work.DocumentSheets;
import dev.herald.work.Documents;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The customer portal (E1, E2), opened by the link of an SMS or e-mail: the contact's documents
 * with this company, the one the link was sent for first; approving or declining a quote; the
 * contact's own notification preferences; paying an invoice through the payment module, with the
 * company as payee (its own provider account, or the sandbox in the embedded default). A wrong,
 * expired or foreign token gets one page that says nothing more.
 */
@Controller
@RequestMapping("/p/{token}")
class PortalController {

  private final PortalTokens tokens;
  private final PortalThrottle throttle;
  private final Documents documents;
  private final DocumentSheets sheets;
  private final AnsweringQuotes answering;
  private final Contacts contacts;
  private final OptOuts optOuts;
  private final Companies companies;
  private final MessageSource messages;
  private final Payments payments;
  private final PaymentAccounts paymentAccounts;
  private final PublicUrls urls;

  private final Notices notices;

  PortalController(
      PortalTokens tokens,
      PortalThrottle throttle,
      Documents documents,
      DocumentSheets sheets,
      AnsweringQuotes answering,
      Contacts contacts,
      OptOuts optOuts,
      Companies companies,
      MessageSource messages,
      Payments payments,
      PaymentAccounts paymentAccounts,
      PublicUrls urls,
      Notices notices) {
    this.notices = notices;
    this.tokens = tokens;
    this.throttle = throttle;
    this.documents = documents;
    this.sheets = sheets;
    this.answering = answering;
    this.contacts = contacts;
    this.optOuts = optOuts;
    this.companies = companies;
    this.messages = messages;
    this.payments = payments;
    this.paymentAccounts = paymentAccounts;
    this.urls = urls;
  }

  /** Who is visiting, with their company and contact, once the token is checked. */
  record Visit(Visitor visitor, Company company, Contact contact) {
    TenantId tenant() {
      return visitor.tenant();
    }
  }

  @GetMapping
  String home(
      @PathVariable String token,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<Visit> visit = visit(token, request);
    if (visit.isEmpty()) {
      return refused(request, response, model);
    }
    UUID first = visit.get().visitor().documentId();
    if (first != null) {
      return "redirect:/p/" + token + "/d/" + first;
    }
    return "redirect:/p/" + token + "/documents";
  }

  @GetMapping("/documents")
  String list(
      @PathVariable String token,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<Visit> visit = visit(token, request);
    if (visit.isEmpty()) {
      return refused(request, response, model);
    }
    Visit v = visit.get();
    portalModel(v, token, request, model);
    model.addAttribute("documents", documents.sentTo(v.tenant(), v.contact().id()));
    model.addAttribute("today", documents.today(v.tenant()));
    return "portal/documents";
  }

  @GetMapping("/d/{id}")
  @Transactional
  String document(
      @PathVariable String token,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "false") boolean returned,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<Visit> visit = visit(token, request);
    Optional<Document> doc = visit.flatMap(v -> customersDocument(v, id));
    if (doc.isEmpty()) {
      return refused(request, response, model);
    }
    Visit v = visit.get();
    documents.markViewed(v.tenant(), id);
    Document shown = documents.require(v.tenant(), id);
    Locale locale = portalModel(v, token, request, model);
    model.addAttribute("doc", shown);
    model.addAttribute("shownStatus", shown.shownStatus(documents.today(v.tenant())));
    model.addAttribute(
        "sheet",
        sheets.sheet(
            shown,
            v.company(),
            v.contact().emails().isEmpty() ? List.of() : List.of(v.contact().emails().get(0)),
            locale,
            documents.today(v.tenant())));
    model.addAttribute(
        "canPay",
        shown.kind() == DocumentKind.INVOICE
            && shown.status().waiting()
            && paymentAccounts.takesOnlinePayments(v.tenant()));
    model.addAttribute("payAttempt", UUID.randomUUID().toString());
    // Back from the checkout, not paid (yet): declined, cancelled, or money on its way.
    model.addAttribute(
        "backUnpaid", returned && shown.kind() == DocumentKind.INVOICE && shown.status().waiting());
    return "portal/document";
  }

  @GetMapping("/d/{id}/pdf")
  org.springframework.http.ResponseEntity<byte[]> pdf(
      @PathVariable String token,
      @PathVariable UUID id,
      HttpServletRequest request,
      HttpServletResponse response) {
    Optional<Visit> visit = visit(token, request);
    Optional<Document> doc = visit.flatMap(v -> customersDocument(v, id));
    if (doc.isEmpty()) {
      return org.springframework.http.ResponseEntity.notFound().build();
    }
    Visit v = visit.get();
    Locale locale = language(v, request).locale();
    byte[] pdf =
        sheets.pdf(
            sheets.sheet(
                doc.get(),
                v.company(),
                v.contact().emails().isEmpty() ? List.of() : List.of(v.contact().emails().get(0)),
                locale,
                documents.today(v.tenant())),
            locale);
    return org.springframework.http.ResponseEntity.ok()
        .contentType(org.springframework.http.MediaType.APPLICATION_PDF)
        .header(
            org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
            org.springframework.http.ContentDisposition.inline()
                .filename(DocumentSheets.filename(doc.get()))
                .build()
                .toString())
        .body(pdf);
  }

  @PostMapping("/d/{id}/answer")
  String answer(
      @PathVariable String token,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String decision,
      @RequestParam(defaultValue = "") String comment,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model,
      RedirectAttributes redirect) {
    Optional<Visit> visit = visit(token, request);
    Optional<Document> doc = visit.flatMap(v -> customersDocument(v, id));
    if (doc.isEmpty() || doc.get().kind() != DocumentKind.QUOTE) {
      return refused(request, response, model);
    }
    Visit v = visit.get();
    if (!decision.equals("approve") && !decision.equals("decline")) {
      redirect.addFlashAttribute("chooseAnswer", true);
      return "redirect:/p/" + token + "/d/" + id;
    }
    try {
      boolean answered =
          answering.answer(v.tenant(), v.contact().id(), id, decision.equals("approve"), comment);
      redirect.addFlashAttribute(answered ? "answered" : "alreadyAnswered", true);
      if (answered) {
        // D6: the company also sees it in the app (the e-mail goes from AnsweringQuotes).
        notices.raise(
            v.tenant(),
            decision.equals("approve") ? "portal.notice.approved" : "portal.notice.declined",
            java.util.List.of(doc.get().displayNumber(), v.contact().name()),
            "/documents/" + id,
            "quote-answered:" + id);
      }
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute("commentInvalid", true);
    }
    return "redirect:/p/" + token + "/d/" + id;
  }

  /**
   * Starts paying an invoice: a checkout with the company as payee, then the provider's page. The
   * form's attempt id is the idempotency key, so a double click opens one checkout.
   */
  @PostMapping("/d/{id}/pay")
  String pay(
      @PathVariable String token,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String attempt,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model,
      RedirectAttributes redirect) {
    Optional<Visit> visit = visit(token, request);
    Optional<Document> doc = visit.flatMap(v -> customersDocument(v, id));
    if (doc.isEmpty() || doc.get().kind() != DocumentKind.INVOICE) {
      return refused(request, response, model);
    }
    Visit v = visit.get();
    Document invoice = doc.get();
    if (!invoice.status().waiting()) {
      return "redirect:/p/" + token + "/d/" + id;
    }
    if (!paymentAccounts.takesOnlinePayments(v.tenant())) {
      redirect.addFlashAttribute("payUnavailable", true);
      return "redirect:/p/" + token + "/d/" + id;
    }
    String key;
    try {
      key = "portal:" + id + ":" + UUID.fromString(attempt);
    } catch (IllegalArgumentException e) {
      key = "portal:" + id + ":" + UUID.randomUUID();
    }
    Language language = language(v, request);
    URI back = URI.create(urls.base() + "/p/" + token + "/d/" + id + "?returned=true");
    try {
      Checkout checkout =
          payments.startCheckout(
              new CheckoutRequest(
                  v.tenant(),
                  Payee.company(v.tenant()),
                  ReferenceKind.DOCUMENT_INVOICE,
                  id.toString(),
                  invoice.total(),
                  messages.getMessage(
                      "payment.portal.description",
                      new Object[] {invoice.displayNumber(), v.company().name()},
                      language.locale()),
                  PaymentMethod.CARD,
                  v.company().country(),
                  v.contact().emails().isEmpty() ? null : v.contact().emails().get(0),
                  language.locale(),
                  back,
                  key));
      if (checkout instanceof Checkout.Redirect r) {
        String separator = r.url().getQuery() == null ? "?" : "&";
        // The sandbox page speaks the portal's language; a provider's page picks its own.
        return "redirect:"
            + r.url()
            + (r.url().getPath().startsWith("/pay/sandbox/")
                ? separator + "lang=" + language.code()
                : "");
      }
      redirect.addFlashAttribute("payUnavailable", true);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(PortalController.class)
          .warn("Could not start paying invoice {} of {}: {}", id, v.tenant(), e.toString());
      redirect.addFlashAttribute("payFailed", true);
    }
    return "redirect:/p/" + token + "/d/" + id;
  }

  @GetMapping("/preferences")
  String preferences(
      @PathVariable String token,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<Visit> visit = visit(token, request);
    if (visit.isEmpty()) {
      return refused(request, response, model);
    }
    Visit v = visit.get();
    portalModel(v, token, request, model);
    Optional<ContactPhone> mobile = mobile(v.contact());
    model.addAttribute("mobile", mobile.orElse(null));
    model.addAttribute(
        "smsOn", v.contact().preferences().sms() && mobile.isPresent() && !mobile.get().optedOut());
    return "portal/preferences";
  }

  /**
   * The customer's own choices: turning SMS off opts the mobile number out (consent log, source
   * "portal"), turning it on again lifts that opt-out.
   */
  @PostMapping("/preferences")
  @Transactional
  String savePreferences(
      @PathVariable String token,
      @RequestParam(defaultValue = "false") boolean email,
      @RequestParam(defaultValue = "false") boolean sms,
      @RequestParam(defaultValue = "false") boolean reminders,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model,
      RedirectAttributes redirect) {
    Optional<Visit> visit = visit(token, request);
    if (visit.isEmpty()) {
      return refused(request, response, model);
    }
    Visit v = visit.get();
    Optional<ContactPhone> mobile = mobile(v.contact());
    boolean smsWanted = sms && mobile.isPresent();
    contacts.setPreferences(
        v.tenant(), v.contact().id(), new Contact.Preferences(email, smsWanted, reminders));
    if (mobile.isPresent()) {
      if (smsWanted) {
        optOuts.optIn(v.tenant(), mobile.get().number(), "portal");
      } else {
        optOuts.optOut(v.tenant(), mobile.get().number(), "portal");
      }
    }
    redirect.addFlashAttribute("saved", true);
    return "redirect:/p/" + token + "/preferences";
  }

  private Optional<ContactPhone> mobile(Contact contact) {
    return contact.phones().stream().filter(p -> p.type() == PhoneType.MOBILE).findFirst();
  }

  private Optional<Document> customersDocument(Visit v, UUID id) {
    return documents
        .find(v.tenant(), id)
        .filter(d -> d.contactId().equals(v.contact().id()))
        .filter(d -> d.status() != dev.herald.work.DocumentStatus.DRAFT);
  }

  private Optional<Visit> visit(String token, HttpServletRequest request) {
    String address = request.getRemoteAddr();
    if (throttle.blocked(address)) {
      request.setAttribute("portalThrottled", true);
      return Optional.empty();
    }
    Optional<Visit> visit =
        tokens
            .resolve(token)
            .flatMap(visitor ->
                contacts
                    .find(visitor.tenant(), visitor.contactId())
                    .filter(c ->
                        !(c.emails().isEmpty()
                            && c.phones().isEmpty()
                            && "(deleted)".equals(c.name())))
                    .map(c -> new Visit(visitor, companies.require(visitor.tenant()), c)));
    if (visit.isEmpty()) {
      throttle.failed(address);
    }
    return visit;
  }

  /** The portal speaks the contact's language, unless the visitor picked another (?lang=). */
  private Language language(Visit v, HttpServletRequest request) {
    return Language.fromCode(request.getParameter("lang"))
        .orElse(v.contact().language() != null ? v.contact().language() : v.company().language());
  }

  private Locale portalModel(Visit v, String token, HttpServletRequest request, Model model) {
    Language language = language(v, request);
    request.setAttribute(CookieLocaleResolver.LOCALE_REQUEST_ATTRIBUTE_NAME, language.locale());
    model.addAttribute("uiLanguage", language);
    model.addAttribute("company", v.company());
    model.addAttribute("contact", v.contact());
    model.addAttribute("token", token);
    return language.locale();
  }

  private String refused(HttpServletRequest request, HttpServletResponse response, Model model) {
    boolean throttled = request.getAttribute("portalThrottled") != null;
    response.setStatus(throttled ? 429 : 404);
    if (throttled) {
      response.setHeader("Retry-After", String.valueOf(PortalThrottle.WINDOW.toSeconds()));
    }
    model.addAttribute("throttled", throttled);
    return "portal/invalid";
  }
}
