package dev.herald.contact.web;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.contact.PhoneNumbers;
import dev.herald.contact.PhoneType;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.StaleEditException;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import dev.herald.tenant.Regions;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Contacts in the UI: list with search and paging, create, edit, delete (C1 to C4). */
@Controller
@RequestMapping("/contacts")
class ContactsController {

  private static final int PAGE_SIZE = 25;

  private final Contacts contacts;
  private final Companies companies;
  private final MessageSource messages;

  ContactsController(Contacts contacts, Companies companies, MessageSource messages) {
    this.contacts = contacts;
    this.companies = companies;
    this.messages = messages;
  }

  /**
   * Only the form's own fields bind: a forged {@code phones[300].number} or {@code emails[x]} would
   * otherwise make the binder throw (a 500) instead of being ignored.
   */
  @InitBinder("form")
  void onlyFormFields(WebDataBinder binder) {
    List<String> allowed =
        new ArrayList<>(
            List.of(
                "name",
                "language",
                "timeZone",
                "timeZoneSearch",
                "version",
                "email",
                "sms",
                "smsDefault",
                "reminders"));
    for (int i = 0; i < ContactForm.MAX_ROWS; i++) {
      allowed.add("emails[" + i + "]");
      allowed.add("phones[" + i + "].type");
      allowed.add("phones[" + i + "].number");
      allowed.add("phones[" + i + "].country");
    }
    binder.setAllowedFields(allowed.toArray(String[]::new));
  }

  @ModelAttribute("phoneTypes")
  PhoneType[] phoneTypes() {
    return PhoneType.values();
  }

  @ModelAttribute("countries")
  List<Regions.Country> countries(Locale locale) {
    return Regions.countries(locale);
  }

  @ModelAttribute("commonCountries")
  List<Regions.Country> commonCountries(Locale locale) {
    return Regions.commonCountries(PhoneNumbers.COMMON_COUNTRIES, locale);
  }

  @GetMapping
  String list(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String q,
      @RequestParam(defaultValue = "0") int page,
      Model model,
      Locale locale) {
    model.addAttribute("q", q);
    model.addAttribute(
        "result",
        contacts.search(
            user.tenantId(),
            q,
            Math.max(0, page),
            PAGE_SIZE,
            Language.fromCode(locale.getLanguage()).orElse(Language.EN)));
    return "contacts/list";
  }

  @GetMapping("/new")
  String newContact(@AuthenticationPrincipal HeraldUser user, Model model, Locale locale) {
    Company company = company(user);
    // The SMS default (B3) pre-ticks the box; a contact saved without a mobile number is told so.
    model.addAttribute(
        "form",
        ContactForm.blank(
            company.language().code(), company.smsAvailable() && company.smsDefaultOn()));
    return formPage(model, locale);
  }

  @PostMapping
  String create(
      @AuthenticationPrincipal HeraldUser user,
      @ModelAttribute("form") ContactForm form,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      Contact created = contacts.create(user.tenantId(), form.toInput());
      redirect.addFlashAttribute("saved", created.name());
      return "redirect:/contacts/" + created.id();
    } catch (InvalidInputException e) {
      return formWithErrors(
          form, FormErrors.of(e.problems(), messages, locale), model, locale, response, 422);
    }
  }

  @GetMapping("/{id}")
  String edit(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model, Locale locale) {
    Contact contact =
        contacts.find(user.tenantId(), id).orElseThrow(() -> new NotFoundException("Contact"));
    model.addAttribute("contact", contact);
    model.addAttribute("form", ContactForm.of(contact));
    // A warning, not a refusal: families and offices share numbers.
    model.addAttribute("sharedNumbers", contacts.sharedNumbers(user.tenantId(), id));
    return formPage(model, locale);
  }

  @PostMapping("/{id}")
  String update(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @ModelAttribute("form") ContactForm form,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    Contact contact =
        contacts.find(user.tenantId(), id).orElseThrow(() -> new NotFoundException("Contact"));
    model.addAttribute("contact", contact);
    try {
      Contact updated = contacts.update(user.tenantId(), id, form.getVersion(), form.toInput());
      redirect.addFlashAttribute("saved", updated.name());
      return "redirect:/contacts/" + id;
    } catch (InvalidInputException e) {
      return formWithErrors(
          form, FormErrors.of(e.problems(), messages, locale), model, locale, response, 422);
    } catch (StaleEditException e) {
      String stale = messages.getMessage("edit.stale", null, locale);
      return formWithErrors(form, Map.of("form", stale), model, locale, response, 409);
    }
  }

  @PostMapping("/{id}/delete")
  String delete(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      RedirectAttributes redirect) {
    Contact contact =
        contacts.find(user.tenantId(), id).orElseThrow(() -> new NotFoundException("Contact"));
    contacts.delete(user.tenantId(), id);
    redirect.addFlashAttribute("deleted", contact.name());
    return "redirect:/contacts";
  }

  private String formWithErrors(
      ContactForm form,
      Map<String, String> errors,
      Model model,
      Locale locale,
      HttpServletResponse response,
      int status) {
    response.setStatus(status);
    model.addAttribute("form", form.padded());
    model.addAttribute("errors", errors);
    return formPage(model, locale);
  }

  /** The contact form: the contact's own zone (if any) first in the short list of zones. */
  private String formPage(Model model, Locale locale) {
    ContactForm form = (ContactForm) model.getAttribute("form");
    String zone =
        form.getTimeZoneSearch() != null && !form.getTimeZoneSearch().isBlank()
            ? form.getTimeZoneSearch().strip()
            : form.getTimeZone();
    model.addAttribute("zoneGroups", Regions.commonZones(List.of(zone), locale));
    model.addAttribute("allZones", Regions.allZones(locale));
    return "contacts/form";
  }

  private Company company(HeraldUser user) {
    return companies.require(user.tenantId());
  }
}
