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
import dev.herald.tenant.Regions;
import dev.herald.tenant.Users;
import jakarta.servlet.http.HttpServletResponse;
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

  SettingsController(Companies companies, Users users, ApiKeys apiKeys, MessageSource messages) {
    this.companies = companies;
    this.users = users;
    this.apiKeys = apiKeys;
    this.messages = messages;
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

  @GetMapping("/api")
  String api(@AuthenticationPrincipal HeraldUser user, Model model) {
    model.addAttribute("keys", apiKeys.of(user.tenantId()));
    return "settings/api";
  }

  @PostMapping("/api")
  String createKey(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String name,
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
    // Shown once, in the answer to this POST: a redirect would carry the secret through the
    // session table. Only its hash is stored, and the page must not be cached.
    model.addAttribute("issued", apiKeys.issue(user.tenantId(), name));
    response.setHeader("Cache-Control", "no-store");
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
    model.addAttribute("zones", Regions.timeZones());
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
