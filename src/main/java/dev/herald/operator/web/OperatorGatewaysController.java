package dev.herald.operator.web;

import dev.herald.delivery.GatewayConsole;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator's "Gateways" page (G2): each SMS gateway's state over the cluster, its traffic and
 * last error; the routes, and forms to store a route per destination country or per company, or
 * remove one (after a confirmation).
 */
@Controller
@RequestMapping("/operator/gateways")
class OperatorGatewaysController {

  private final GatewayConsole gateways;
  private final Companies companies;
  private final MessageSource messages;

  OperatorGatewaysController(GatewayConsole gateways, Companies companies, MessageSource messages) {
    this.gateways = gateways;
    this.companies = companies;
    this.messages = messages;
  }

  @GetMapping
  String page(Model model, Locale locale) {
    model.addAttribute("gateways", gateways.gateways());
    model.addAttribute("defaultRoute", gateways.defaultRoute());
    model.addAttribute("routes", gateways.routes());
    Map<String, String> names = new LinkedHashMap<>();
    for (Company c : companies.all()) {
      names.put(c.id().value().toString(), c.name());
    }
    model.addAttribute("companyNames", names);
    model.addAttribute("gatewayNames", gateways.gateways().stream().map(g -> g.name()).toList());
    List<GatewayConsole.ConfiguredGateway> configured = gateways.configuredGateways();
    model.addAttribute("configured", configured);
    model.addAttribute("removalWaits", removalWaits(configured, locale));
    model.addAttribute("kinds", GatewayConsole.KINDS);
    if (!model.containsAttribute("countryForm")) {
      model.addAttribute("countryForm", Map.of("country", "", "gateways", ""));
    }
    if (!model.containsAttribute("companyForm")) {
      model.addAttribute("companyForm", Map.of("company", "", "gateways", ""));
    }
    return "operator/gateways";
  }

  /** For each gateway being removed, what it still waits for before it stops. */
  private Map<String, String> removalWaits(
      List<GatewayConsole.ConfiguredGateway> configured, Locale locale) {
    Map<String, String> waits = new LinkedHashMap<>();
    for (GatewayConsole.ConfiguredGateway c : configured) {
      if (c.state().equals("removing")) {
        gateways
            .removalImpact(c.name())
            .ifPresent(impact ->
                waits.put(
                    c.name(),
                    messages.getMessage(
                        "gateways.removing.waits",
                        new Object[] {
                          impact.unsettledMessages(),
                          impact.awaitingReceipts(),
                          latest(impact.receiptsUntil(), locale)
                        },
                        locale)));
      }
    }
    return waits;
  }

  /** A time the operator reads on the console: UTC, in the reader's language. */
  static String latest(java.time.Instant at, Locale locale) {
    return at == null
        ? ""
        : java.time.format.DateTimeFormatter.ofLocalizedDateTime(
                    java.time.format.FormatStyle.MEDIUM, java.time.format.FormatStyle.SHORT)
                .withLocale(locale)
                .withZone(java.time.ZoneOffset.UTC)
                .format(at)
            + " UTC";
  }

  static List<String> list(String gateways) {
    return gateways == null
        ? List.of()
        : Arrays.stream(gateways.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
  }

  @PostMapping("/routes/country")
  String countryRoute(
      @RequestParam(defaultValue = "") String country,
      @RequestParam(defaultValue = "") String gateways,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      this.gateways.setCountryRoute(country, list(gateways));
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("countryErrors", FormErrors.of(e.problems(), messages, locale));
      model.addAttribute("countryForm", Map.of("country", country, "gateways", gateways));
      return page(model, locale);
    }
    redirect.addFlashAttribute("notice", "routing.saved");
    return "redirect:/operator/gateways";
  }

  @PostMapping("/routes/company")
  String companyRoute(
      @RequestParam(defaultValue = "") String company,
      @RequestParam(defaultValue = "") String gateways,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    TenantId tenant = companyId(company);
    try {
      if (tenant == null) {
        throw new InvalidInputException(
            dev.herald.shared.FieldProblem.of("company", "routing.company.required"));
      }
      this.gateways.setCompanyRoute(tenant, list(gateways));
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("companyErrors", FormErrors.of(e.problems(), messages, locale));
      model.addAttribute("companyForm", Map.of("company", company, "gateways", gateways));
      return page(model, locale);
    }
    redirect.addFlashAttribute("notice", "routing.saved");
    return "redirect:/operator/gateways";
  }

  private TenantId companyId(String company) {
    try {
      UUID id = UUID.fromString(company.strip());
      return companies.all().stream()
          .map(Company::id)
          .filter(t -> t.value().equals(id))
          .findFirst()
          .orElse(null);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Removing a route changes where messages go: asked first. */
  @GetMapping("/routes/remove")
  String confirmRemove(
      @RequestParam(defaultValue = "") String scope,
      @RequestParam(defaultValue = "") String key,
      Model model,
      Locale locale) {
    String label = label(scope, key);
    if (label == null) {
      return "redirect:/operator/gateways";
    }
    model.addAttribute("title", messages.getMessage("routing.remove", null, locale));
    model.addAttribute(
        "text", messages.getMessage("routing.remove.confirm", new Object[] {label}, locale));
    model.addAttribute("action", "/operator/gateways/routes/remove");
    model.addAttribute("fields", Map.of("scope", scope, "key", key));
    model.addAttribute("cancel", "/operator/gateways");
    return "operator/billing/confirm";
  }

  @PostMapping("/routes/remove")
  String remove(
      @RequestParam(defaultValue = "") String scope,
      @RequestParam(defaultValue = "") String key,
      RedirectAttributes redirect) {
    boolean removed =
        switch (scope) {
          case "country" -> gateways.removeCountryRoute(key);
          case "company" -> {
            TenantId tenant = companyId(key);
            yield tenant != null && gateways.removeCompanyRoute(tenant);
          }
          default -> false;
        };
    redirect.addFlashAttribute("notice", removed ? "routing.removed" : "routing.notStored");
    return "redirect:/operator/gateways";
  }

  private String label(String scope, String key) {
    if (scope.equals("country") && key.matches("[A-Z]{2}")) {
      return key;
    }
    if (scope.equals("company")) {
      TenantId tenant = companyId(key);
      return tenant == null
          ? null
          : companies.all().stream()
              .filter(c -> c.id().equals(tenant))
              .map(Company::name)
              .findFirst()
              .orElse(null);
    }
    return null;
  }
}
