package dev.herald.operator.web;

import dev.herald.delivery.SenderNumbers;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.Regions;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The numbers the operator holds (long numbers and short codes), the gateway of each and the
 * companies that send from it: add a number, assign it to a company, take it back (confirmed).
 */
@Controller
@RequestMapping("/operator/numbers")
class SenderNumbersController {

  private final SenderNumbers numbers;
  private final Companies companies;
  private final MessageSource messages;

  SenderNumbersController(SenderNumbers numbers, Companies companies, MessageSource messages) {
    this.numbers = numbers;
    this.companies = companies;
    this.messages = messages;
  }

  @GetMapping
  String list(Model model, Locale locale) {
    model.addAttribute("number", "");
    model.addAttribute("country", "");
    model.addAttribute("gateway", "");
    return page(model, locale);
  }

  @PostMapping
  String add(
      @RequestParam(defaultValue = "") String number,
      @RequestParam(defaultValue = "") String country,
      @RequestParam(defaultValue = "") String gateway,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      SenderNumbers.SenderNumber added = numbers.add(number, country, gateway);
      redirect.addFlashAttribute("added", added.number());
      return "redirect:/operator/numbers";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      model.addAttribute("number", number);
      model.addAttribute("country", country);
      model.addAttribute("gateway", gateway);
      return page(model, locale);
    }
  }

  @PostMapping("/{id}/companies")
  String assign(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String company,
      RedirectAttributes redirect) {
    SenderNumbers.SenderNumber n = existing(id);
    TenantId tenant = companyOf(company);
    if (tenant == null) {
      redirect.addFlashAttribute("problemFor", id);
      return "redirect:/operator/numbers";
    }
    numbers.assign(n.id(), tenant);
    redirect.addFlashAttribute("assigned", n.number());
    return "redirect:/operator/numbers";
  }

  /** The confirmation before a company stops sending from (and hearing) the number. */
  @GetMapping("/{id}/companies/{company}/remove")
  String confirmRemove(@PathVariable UUID id, @PathVariable UUID company, Model model) {
    SenderNumbers.SenderNumber n = existing(id);
    Company c = companies.require(new TenantId(company));
    if (!n.companies().contains(c.id())) {
      throw new NotFoundException("assignment");
    }
    model.addAttribute("n", n);
    model.addAttribute("company", c);
    return "operator/number-remove";
  }

  @PostMapping("/{id}/companies/{company}/remove")
  String remove(@PathVariable UUID id, @PathVariable UUID company, RedirectAttributes redirect) {
    SenderNumbers.SenderNumber n = existing(id);
    numbers.unassign(n.id(), new TenantId(company));
    redirect.addFlashAttribute("removed", n.number());
    return "redirect:/operator/numbers";
  }

  private String page(Model model, Locale locale) {
    model.addAttribute("numbers", numbers.all());
    Map<TenantId, Company> byId =
        companies.all().stream().collect(Collectors.toMap(Company::id, Function.identity()));
    model.addAttribute("companiesById", byId);
    model.addAttribute("allCompanies", companies.all());
    model.addAttribute("countries", Regions.countries(locale));
    if (!model.containsAttribute("errors")) {
      model.addAttribute("errors", Map.of());
    }
    return "operator/numbers";
  }

  private SenderNumbers.SenderNumber existing(UUID id) {
    return numbers.find(id).orElseThrow(() -> new NotFoundException("number"));
  }

  private TenantId companyOf(String id) {
    try {
      TenantId tenant = new TenantId(UUID.fromString(id.strip()));
      return companies.find(tenant).isPresent() ? tenant : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
