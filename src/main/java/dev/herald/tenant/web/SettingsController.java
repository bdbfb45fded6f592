package dev.herald.tenant.web;

import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.StaleEditException;
import dev.herald.tenant.ApiKeys;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import dev.herald.tenant.NewUser;
import dev.herald.tenant.PasswordResets;
import dev.herald.tenant.Regions;
import dev.herald.tenant.Users;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings for owners and admins: company (A3, B3), users (A2) and API keys (J1). */
@Controller
@RequestMapping("/settings")
class SettingsController {

  private final Companies companies;
  private final Users users;
  private final ApiKeys apiKeys;
  private final MessageSource messages;
  private final PasswordResets resets;
  private final dev.herald.tenant.ResetLinks resetLinks;
  private final dev.herald.tenant.CompanyContacts companyContacts;

  SettingsController(
      Companies companies,
      Users users,
      ApiKeys apiKeys,
      MessageSource messages,
      PasswordResets resets,
      dev.herald.tenant.ResetLinks resetLinks,
      dev.herald.tenant.CompanyContacts companyContacts) {
    this.companyContacts = companyContacts;
    this.companies = companies;
    this.users = users;
    this.apiKeys = apiKeys;
    this.messages = messages;
    this.resets = resets;
    this.resetLinks = resetLinks;
  }

  @GetMapping
  String settings() {
    return "redirect:/settings/company";
  }

  @GetMapping("/company")
  String company(@AuthenticationPrincipal HeraldUser user, Model model, Locale locale) {
    model.addAttribute("form", CompanySettingsForm.of(company(user)));
    return companyPage(model, locale);
  }

  @PostMapping("/company")
  String saveCompany(
      @AuthenticationPrincipal HeraldUser user,
      @ModelAttribute("form") CompanySettingsForm form,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      companies.updateSettings(user.tenantId(), form.getVersion(), form.toSettings());
      redirect.addFlashAttribute("saved", true);
      return "redirect:/settings/company";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
    } catch (StaleEditException e) {
      response.setStatus(409);
      model.addAttribute("errors", Map.of("form", messages.getMessage("edit.stale", null, locale)));
    }
    return companyPage(model, locale);
  }

  /** How customers reach the company: the answer to an SMS HELP (senders, issue 12). */
  @PostMapping("/company/contact")
  String saveContact(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String contactPhone,
      @RequestParam(defaultValue = "") String contactEmail,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      companyContacts.set(user.tenantId(), contactPhone, contactEmail);
      redirect.addFlashAttribute("contactSaved", true);
      return "redirect:/settings/company#company-contact";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("contactErrors", FormErrors.of(e.problems(), messages, locale));
      model.addAttribute("contactPhone", contactPhone);
      model.addAttribute("contactEmail", contactEmail);
      model.addAttribute("form", CompanySettingsForm.of(company(user)));
      return companyPage(model, locale);
    }
  }

  /** The B3 toggle: a default for new contacts, offered only once the operator unlocked SMS. */
  @PostMapping("/company/sms-default")
  String smsDefault(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam boolean on,
      RedirectAttributes redirect) {
    Company company = company(user);
    if (!company.smsAvailable()) {
      redirect.addFlashAttribute("smsLocked", true);
      return "redirect:/settings/company";
    }
    companies.setSmsDefaultOn(user.tenantId(), on);
    redirect.addFlashAttribute("smsDefaultChanged", on);
    return "redirect:/settings/company";
  }

  @GetMapping("/users")
  String users(@AuthenticationPrincipal HeraldUser user, Model model) {
    model.addAttribute("form", new NewUserForm());
    return usersPage(user, model);
  }

  @PostMapping("/users")
  String addUser(
      @AuthenticationPrincipal HeraldUser user,
      @ModelAttribute("form") NewUserForm form,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      users.add(
          user.tenantId(),
          new NewUser(form.getEmail(), form.getDisplayName(), form.getRole(), form.getPassword()),
          user.role());
      redirect.addFlashAttribute("added", form.getEmail());
      return "redirect:/settings/users";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      form.setPassword("");
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return usersPage(user, model);
    }
  }

  /** An owner edits a user: name and role (roles explained), a reset link, removal. */
  @GetMapping("/users/{id}")
  String user(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    HeraldUser edited =
        users.find(user.tenantId(), id).orElseThrow(() -> new NotFoundException("User"));
    model.addAttribute("edited", edited);
    if (!model.containsAttribute("displayName")) {
      model.addAttribute("displayName", edited.displayName());
      model.addAttribute("role", edited.role().name());
    }
    return "settings/user";
  }

  @PostMapping("/users/{id}")
  String updateUser(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String displayName,
      @RequestParam(defaultValue = "") String role,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      users.update(user.tenantId(), id, displayName, role, user.role());
      redirect.addFlashAttribute("userSaved", displayName.strip());
      return "redirect:/settings/users";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("displayName", displayName);
      model.addAttribute("role", role);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return user(user, id, model);
    }
  }

  @PostMapping("/users/{id}/remove")
  String removeUser(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      Locale locale,
      RedirectAttributes redirect) {
    HeraldUser removed =
        users.find(user.tenantId(), id).orElseThrow(() -> new NotFoundException("User"));
    try {
      users.remove(user.tenantId(), id, user);
      redirect.addFlashAttribute("userRemoved", removed.displayName());
      return "redirect:/settings/users";
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute(
          "userProblem", FormErrors.message(e.problems().get(0), messages, locale));
      return "redirect:/settings/users/" + id;
    }
  }

  /** Sends the user a link to choose a new password; nobody else ever sees a password. */
  @PostMapping("/users/{id}/reset")
  String resetUser(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      jakarta.servlet.http.HttpServletRequest request,
      RedirectAttributes redirect) {
    if (user.role() != dev.herald.tenant.Role.OWNER) {
      throw new NotFoundException("User");
    }
    HeraldUser target =
        users.find(user.tenantId(), id).orElseThrow(() -> new NotFoundException("User"));
    resets.send(target, resetLinks.resetPage());
    redirect.addFlashAttribute("resetSent", target.email());
    return "redirect:/settings/users/" + id;
  }

  @GetMapping("/api")
  String api(@AuthenticationPrincipal HeraldUser user, Model model) {
    model.addAttribute("keys", apiKeys.of(user.tenantId()));
    // One token per rendering of the form: posting it twice creates one key.
    model.addAttribute("formToken", UUID.randomUUID());
    return "settings/api";
  }

  @PostMapping("/api")
  String createKey(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(required = false) UUID formToken,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    if (name.isBlank()
        || name.strip().length() > 100
        || name.strip().codePointCount(0, name.strip().length()) > 100
        || dev.herald.shared.Text.problem(name, false).isPresent()) {
      response.setStatus(422);
      model.addAttribute("name", name);
      model.addAttribute(
          "errors", Map.of("name", messages.getMessage("apiKey.name.required", null, locale)));
      return api(user, model);
    }
    if (formToken == null) {
      return "redirect:/settings/api";
    }
    // Shown once, in the answer to this POST: a redirect would carry the secret through the
    // session table. Only its hash is stored, and the page must not be cached. The same POST again
    // (a reload) finds the key its form created and shows that it exists, not a second key.
    response.setHeader("Cache-Control", "no-store");
    apiKeys
        .issueOnce(user.tenantId(), name, formToken)
        .ifPresentOrElse(
            issued -> model.addAttribute("issued", issued),
            () ->
                model.addAttribute(
                    "alreadyCreated", apiKeys.createdBy(user.tenantId(), formToken).orElse(null)));
    return api(user, model);
  }

  @PostMapping("/api/{id}/revoke")
  String revokeKey(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      RedirectAttributes redirect) {
    if (!apiKeys.revoke(user.tenantId(), id)) {
      throw new NotFoundException("API key");
    }
    redirect.addFlashAttribute("revoked", true);
    return "redirect:/settings/api";
  }

  private String companyPage(Model model, Locale locale) {
    model.addAttribute("countries", Regions.countries(locale));
    if (!model.containsAttribute("contactErrors")) {
      var user =
          (HeraldUser)
              org.springframework.security.core.context.SecurityContextHolder.getContext()
                  .getAuthentication()
                  .getPrincipal();
      var details = companyContacts.of(user.tenantId());
      model.addAttribute("contactPhone", details.phone());
      model.addAttribute("contactEmail", details.email());
      model.addAttribute("contactErrors", Map.of());
    }
    var form = (CompanySettingsForm) model.getAttribute("form");
    model.addAttribute(
        "zoneGroups", Regions.commonZones(List.of(form.effectiveTimeZone()), locale));
    model.addAttribute("allZones", Regions.allZones(locale));
    return "settings/company";
  }

  private String usersPage(HeraldUser user, Model model) {
    model.addAttribute("users", users.ofCompany(user.tenantId()));
    return "settings/users";
  }

  private Company company(HeraldUser user) {
    return companies.require(user.tenantId());
  }
}
