package dev.herald.operator.web;

import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.CompanySettings;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.NewUser;
import dev.herald.tenant.Onboarding;
import dev.herald.tenant.Plan;
import dev.herald.tenant.Regions;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The operator console: companies with plan and SMS state, onboarding, SMS lock (A1, B1, I1). */
@Controller
@RequestMapping("/operator")
class OperatorConsoleController {

  private final Companies companies;
  private final Onboarding onboarding;
  private final MessageSource messages;

  OperatorConsoleController(Companies companies, Onboarding onboarding, MessageSource messages) {
    this.companies = companies;
    this.onboarding = onboarding;
    this.messages = messages;
  }

  @GetMapping
  String companies(Model model) {
    model.addAttribute("companies", companies.all());
    model.addAttribute("plans", Plan.values());
    return "operator/companies";
  }

  @GetMapping("/companies/new")
  String newCompany(Model model, Locale locale) {
    model.addAttribute("form", new NewCompanyForm());
    return newCompanyPage(model, locale);
  }

  @PostMapping("/companies")
  String create(
      @ModelAttribute("form") NewCompanyForm form,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      var company =
          onboarding.onboard(
              new CompanySettings(
                  form.getName(),
                  form.getCountry(),
                  form.getTimeZone(),
                  form.getLanguage(),
                  form.getSmsSenderName()),
              form.getPlan(),
              new NewUser(
                  form.getOwnerEmail(), form.getOwnerName(), "OWNER", form.getOwnerPassword()));
      redirect.addFlashAttribute("created", company.name());
      return "redirect:/operator";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      form.setOwnerPassword("");
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return newCompanyPage(model, locale);
    }
  }

  @PostMapping("/companies/{id}/sms")
  String sms(@PathVariable UUID id, @RequestParam boolean unlocked, RedirectAttributes redirect) {
    TenantId tenant = existing(id);
    companies.setSmsUnlocked(tenant, unlocked);
    redirect.addFlashAttribute("changed", companies.find(tenant).orElseThrow().name());
    return "redirect:/operator";
  }

  @PostMapping("/companies/{id}/plan")
  String plan(@PathVariable UUID id, @RequestParam String plan, RedirectAttributes redirect) {
    TenantId tenant = existing(id);
    Plan checked =
        Stream.of(Plan.values())
            .filter(p -> p.name().equals(plan))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("Plan"));
    companies.changePlan(tenant, checked);
    redirect.addFlashAttribute("changed", companies.find(tenant).orElseThrow().name());
    return "redirect:/operator";
  }

  private TenantId existing(UUID id) {
    TenantId tenant = new TenantId(id);
    companies.require(tenant);
    return tenant;
  }

  private String newCompanyPage(Model model, Locale locale) {
    model.addAttribute("plans", Plan.values());
    model.addAttribute("countries", Regions.countries(locale));
    model.addAttribute("zones", Regions.timeZones());
    return "operator/new-company";
  }
}
