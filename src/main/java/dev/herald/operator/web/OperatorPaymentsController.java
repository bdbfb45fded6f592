package dev.herald.operator.web;

import dev.herald.billing.InvoiceDocuments;
import dev.herald.billing.PaymentMethodChoices;
import dev.herald.billing.Pricing;
import dev.herald.payment.BankTransfers;
import dev.herald.payment.PaymentMethod;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator's side of payments (H3, I1): bank transfers Herald waits for, recording one that
 * arrived (after a confirmation: it moves money), the flagged ones to settle by hand, and the
 * payment methods offered per country.
 */
@Controller
@RequestMapping("/operator/billing")
class OperatorPaymentsController {

  private final BankTransfers transfers;
  private final PaymentMethodChoices methods;
  private final Pricing pricing;
  private final Companies companies;
  private final MessageSource messages;
  private final Clock clock;

  OperatorPaymentsController(
      BankTransfers transfers,
      PaymentMethodChoices methods,
      Pricing pricing,
      Companies companies,
      MessageSource messages,
      Clock clock) {
    this.transfers = transfers;
    this.methods = methods;
    this.pricing = pricing;
    this.companies = companies;
    this.messages = messages;
    this.clock = clock;
  }

  /** A received transfer as the operator typed it, checked. */
  record Received(String reference, Money amount, LocalDate receivedOn) {}

  @GetMapping("/transfers")
  @SuppressWarnings("unchecked")
  String transfers(Model model, Locale locale) {
    if (model.getAttribute("form") instanceof Map<?, ?> kept) {
      // Back from a refused record (its errors came along): the values as they were typed.
      return transfersPage(model, locale, (Map<String, String>) kept);
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("reference", "");
    form.put("amount", "");
    form.put("currency", "");
    form.put("receivedOn", LocalDate.now(clock).toString());
    return transfersPage(model, locale, form);
  }

  private String transfersPage(Model model, Locale locale, Map<String, String> form) {
    DateTimeFormatter dates =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
    model.addAttribute(
        "expected",
        transfers.expected().stream()
            .map(e ->
                Map.of(
                    "company",
                    companies.find(e.tenantId()).map(Company::name).orElse("—"),
                    "reference",
                    e.creditorReference(),
                    "amount",
                    InvoiceDocuments.money(e.amount(), locale),
                    "expectedBy",
                    e.expectedBy() == null ? "—" : dates.format(e.expectedBy()),
                    "status",
                    e.status().name()))
            .toList());
    model.addAttribute(
        "flagged",
        transfers.flagged().stream()
            .map(f ->
                Map.of(
                    "reference", f.reference(),
                    "amount", InvoiceDocuments.money(f.amount(), locale),
                    "receivedOn", dates.format(f.receivedOn()),
                    "reason", f.reason()))
            .toList());
    model.addAttribute("form", form);
    model.addAttribute("currencies", currencies());
    return "operator/billing/transfers";
  }

  /** The confirmation of a transfer to record: shown before anything moves (a GET: no change). */
  @GetMapping("/transfers/record")
  String confirmRecord(
      @RequestParam(defaultValue = "") String reference,
      @RequestParam(defaultValue = "") String amount,
      @RequestParam(defaultValue = "") String currency,
      @RequestParam(defaultValue = "") String receivedOn,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("reference", reference);
    form.put("amount", amount);
    form.put("currency", currency);
    form.put("receivedOn", receivedOn);
    try {
      Received r = check(reference, amount, currency, receivedOn);
      String title = messages.getMessage("orders.operator.record", null, locale);
      model.addAttribute("title", title);
      model.addAttribute(
          "text",
          messages.getMessage(
              "orders.operator.record.confirm",
              new Object[] {
                InvoiceDocuments.money(r.amount(), locale),
                r.reference(),
                DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
                    .withLocale(locale)
                    .format(r.receivedOn())
              },
              locale));
      model.addAttribute("action", "/operator/billing/transfers/record");
      model.addAttribute("fields", form);
      model.addAttribute("cancel", "/operator/billing/transfers");
      return "operator/billing/confirm";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return transfersPage(model, locale, form);
    }
  }

  @PostMapping("/transfers/record")
  String record(
      @AuthenticationPrincipal HeraldUser operator,
      @RequestParam(defaultValue = "") String reference,
      @RequestParam(defaultValue = "") String amount,
      @RequestParam(defaultValue = "") String currency,
      @RequestParam(defaultValue = "") String receivedOn,
      Locale locale,
      RedirectAttributes redirect) {
    try {
      Received r = check(reference, amount, currency, receivedOn);
      BankTransfers.Outcome outcome =
          transfers.record(r.reference(), r.amount(), r.receivedOn(), operator.getUsername());
      redirect.addFlashAttribute(
          "noticeText",
          messages.getMessage(
              "orders.operator.outcome." + outcome.name(),
              new Object[] {InvoiceDocuments.money(r.amount(), locale), r.reference()},
              locale));
    } catch (InvalidInputException e) {
      // Only a form changed after its confirmation gets here: every error at once, values kept.
      Map<String, String> form = new LinkedHashMap<>();
      form.put("reference", reference);
      form.put("amount", amount);
      form.put("currency", currency);
      form.put("receivedOn", receivedOn);
      redirect.addFlashAttribute("form", form);
      redirect.addFlashAttribute("errors", FormErrors.of(e.problems(), messages, locale));
    }
    return "redirect:/operator/billing/transfers";
  }

  private Received check(String reference, String amount, String currency, String receivedOn) {
    List<FieldProblem> problems = new ArrayList<>();
    String ref = reference.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
    if (ref.isEmpty() || ref.length() > 35) {
      problems.add(FieldProblem.of("reference", "orders.operator.reference.required"));
    }
    Currency cur = null;
    try {
      cur = Currency.getInstance(currency.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(FieldProblem.of("currency", "billing.currency.unknown"));
    }
    Money money = null;
    try {
      BigDecimal value = new BigDecimal(amount.strip().replace(',', '.'));
      int digits = cur == null ? 2 : Math.max(0, cur.getDefaultFractionDigits());
      if (value.signum() <= 0 || value.scale() > digits) {
        throw new NumberFormatException();
      }
      if (cur != null) {
        money = new Money(value.movePointRight(digits).longValueExact(), cur);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      problems.add(FieldProblem.of("amount", "orders.operator.amount.invalid"));
    }
    LocalDate date = null;
    try {
      date = LocalDate.parse(receivedOn.strip());
      if (date.isAfter(LocalDate.now(clock))) {
        problems.add(FieldProblem.of("receivedOn", "orders.operator.date.future"));
      }
    } catch (DateTimeParseException e) {
      problems.add(FieldProblem.of("receivedOn", "orders.operator.date.invalid"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new Received(ref, money, date);
  }

  private List<String> currencies() {
    List<String> all = new ArrayList<>(pricing.currencies());
    if (all.isEmpty()) {
      all.add("DKK");
    }
    return all;
  }

  // Payment methods per country
  // --------------------------------------------------------------------

  @GetMapping("/payment-methods")
  String paymentMethods(Model model) {
    model.addAttribute("countries", methods.countries());
    model.addAttribute(
        "allMethods", Arrays.stream(PaymentMethod.values()).map(Enum::name).toList());
    model.addAttribute("defaults", PaymentMethodChoices.DEFAULT.stream().map(Enum::name).toList());
    if (!model.containsAttribute("formCountry")) {
      model.addAttribute("formCountry", "");
      model.addAttribute("formMethods", List.of());
    }
    return "operator/billing/payment-methods";
  }

  @PostMapping("/payment-methods")
  String setPaymentMethods(
      @RequestParam(defaultValue = "") String country,
      @RequestParam(name = "method", required = false) List<String> chosen,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      methods.set(country, chosen);
      redirect.addFlashAttribute("notice", "orders.operator.methods.saved");
      return "redirect:/operator/billing/payment-methods";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      model.addAttribute("formCountry", country);
      model.addAttribute("formMethods", chosen == null ? List.of() : chosen);
      return paymentMethods(model);
    }
  }

  @PostMapping("/payment-methods/{country}/reset")
  String resetPaymentMethods(@PathVariable String country, RedirectAttributes redirect) {
    methods.reset(country);
    redirect.addFlashAttribute("notice", "orders.operator.methods.saved");
    return "redirect:/operator/billing/payment-methods";
  }
}
