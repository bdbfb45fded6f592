package dev.herald.operator.web;

import dev.herald.billing.BillingAccount;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.SmsModel;
import dev.herald.billing.SmsSubscription;
import dev.herald.billing.SmsSubscriptions;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.CompanyCounts;
import dev.herald.tenant.CompanySettings;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.NewUser;
import dev.herald.tenant.Onboarding;
import dev.herald.tenant.Plan;
import dev.herald.tenant.Regions;
import dev.herald.tenant.Users;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
  private final Users users;
  private final OutboundMessages outbound;
  private final List<CompanyCounts> counts;
  private final Clock clock;
  private final BillingAccounts billingAccounts;
  private final SmsSubscriptions subscriptions;

  OperatorConsoleController(
      Companies companies,
      Onboarding onboarding,
      MessageSource messages,
      Users users,
      OutboundMessages outbound,
      List<CompanyCounts> counts,
      Clock clock,
      BillingAccounts billingAccounts,
      SmsSubscriptions subscriptions) {
    this.billingAccounts = billingAccounts;
    this.subscriptions = subscriptions;
    this.companies = companies;
    this.onboarding = onboarding;
    this.messages = messages;
    this.users = users;
    this.outbound = outbound;
    this.counts = counts;
    this.clock = clock;
  }

  /** A company's page: plan, SMS, users and figures, with the operator's confirmed actions. */
  @GetMapping("/companies/{id}")
  String company(@PathVariable UUID id, Model model) {
    TenantId tenant = existing(id);
    Company company = companies.require(tenant);
    model.addAttribute("company", company);
    model.addAttribute("plans", Plan.values());
    model.addAttribute("users", users.ofCompany(tenant));
    Map<String, Long> figures = new LinkedHashMap<>();
    counts.forEach(c -> figures.put(c.key(), c.count(tenant)));
    model.addAttribute("figures", figures);
    ZonedDateTime monthStart =
        ZonedDateTime.now(clock.withZone(company.timeZone()))
            .withDayOfMonth(1)
            .truncatedTo(ChronoUnit.DAYS);
    model.addAttribute("thisMonth", outbound.countsSince(tenant, monthStart.toInstant()));
    return "operator/company";
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
                  form.effectiveTimeZone(),
                  form.getLanguage(),
                  form.getSmsSenderName()),
              form.getPlan(),
              new NewUser(
                  form.getOwnerEmail(), form.getOwnerName(), "OWNER", form.getOwnerPassword()));
      redirect.addFlashAttribute("created", company.name());
      return "redirect:/operator/companies/" + company.id().value();
    } catch (InvalidInputException e) {
      response.setStatus(422);
      form.setOwnerPassword("");
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return newCompanyPage(model, locale);
    }
  }

  @PostMapping("/companies/{id}/sms")
  String sms(
      @PathVariable UUID id,
      @RequestParam boolean unlocked,
      Locale locale,
      RedirectAttributes redirect) {
    TenantId tenant = existing(id);
    if (unlocked) {
      // Every SMS is paid for: SMS opens only on a model (H5). Monthly blocks open with their
      // first period and its invoice, as from the billing console.
      Optional<SmsModel> model = billingAccounts.find(tenant).flatMap(BillingAccount::model);
      if (model.isEmpty()) {
        redirect.addFlashAttribute(
            "problem", messages.getMessage("operator.sms.needsModel", null, locale));
        return "redirect:/operator/companies/" + id;
      }
      boolean periodRunning = subscriptions.find(tenant).map(SmsSubscription::active).orElse(false);
      if (model.get() == SmsModel.BLOCKS && !periodRunning) {
        try {
          // The period starts first; only then is the operator's block lifted, so a refused
          // unlock (a first block awaiting its payment, ...) leaves the block as it was.
          subscriptions.unlock(tenant);
          companies.setSmsUnlockedByOperator(tenant, true);
        } catch (InvalidInputException e) {
          redirect.addFlashAttribute(
              "problem", FormErrors.message(e.problems().getFirst(), messages, locale));
          return "redirect:/operator/companies/" + id;
        }
        redirect.addFlashAttribute("smsChanged", true);
        return "redirect:/operator/companies/" + id;
      }
    }
    companies.setSmsUnlockedByOperator(tenant, unlocked);
    redirect.addFlashAttribute("smsChanged", unlocked);
    return "redirect:/operator/companies/" + id;
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
    redirect.addFlashAttribute("planChanged", checked.name());
    return "redirect:/operator/companies/" + id;
  }

  private TenantId existing(UUID id) {
    TenantId tenant = new TenantId(id);
    companies.require(tenant);
    return tenant;
  }

  private String newCompanyPage(Model model, Locale locale) {
    model.addAttribute("plans", Plan.values());
    model.addAttribute("countries", Regions.countries(locale));
    var form = (NewCompanyForm) model.getAttribute("form");
    model.addAttribute(
        "zoneGroups", Regions.commonZones(List.of(form.effectiveTimeZone()), locale));
    model.addAttribute("allZones", Regions.allZones(locale));
    return "operator/new-company";
  }
}
