package dev.herald.operator.web;

import dev.herald.billing.BillingAccounts;
import dev.herald.billing.BillingRuns;
import dev.herald.billing.Credits;
import dev.herald.billing.Invoice;
import dev.herald.billing.InvoiceDocuments;
import dev.herald.billing.Invoices;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsBilling;
import dev.herald.billing.SmsOrderRefunds;
import dev.herald.billing.SmsSubscription;
import dev.herald.billing.SmsSubscriptions;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator's billing console (H5, I1): pending SMS requests, companies with model, balance or
 * usage, billing runs, pricing, invoices (mark paid, void) and each company's model and credit.
 */
@Controller
@RequestMapping("/operator/billing")
class OperatorBillingController {

  private static final Set<String> STATUSES = Set.of("open", "paid", "void");

  private final Companies companies;
  private final BillingAccounts accounts;
  private final SmsBilling billing;
  private final SmsSubscriptions subscriptions;
  private final Credits credits;
  private final Invoices invoices;
  private final Pricing pricing;
  private final BillingRuns runs;
  private final InvoiceDocuments documents;
  private final SmsOrderRefunds refunds;
  private final MessageSource messages;

  OperatorBillingController(
      Companies companies,
      BillingAccounts accounts,
      SmsBilling billing,
      SmsSubscriptions subscriptions,
      Credits credits,
      Invoices invoices,
      Pricing pricing,
      BillingRuns runs,
      InvoiceDocuments documents,
      SmsOrderRefunds refunds,
      MessageSource messages) {
    this.companies = companies;
    this.accounts = accounts;
    this.billing = billing;
    this.subscriptions = subscriptions;
    this.credits = credits;
    this.invoices = invoices;
    this.pricing = pricing;
    this.runs = runs;
    this.documents = documents;
    this.refunds = refunds;
    this.messages = messages;
  }

  @GetMapping
  String overview(Model model, Locale locale) {
    DateTimeFormatter when =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale);
    List<Map<String, Object>> requests = new ArrayList<>();
    for (SmsSubscription s : subscriptions.pending()) {
      Company c = companies.require(s.tenantId());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", c.id().value());
      row.put("name", c.name());
      row.put("stopping", s.stopping());
      row.put(
          "since",
          when.format((s.stopping() ? s.stopRequestedAt() : s.requestedAt()).atZone(c.timeZone())));
      Invoice first =
          s.firstInvoiceId() == null
              ? null
              : invoices.find(c.id(), s.firstInvoiceId()).orElse(null);
      row.put("firstInvoice", first == null ? null : first.number());
      row.put("firstInvoiceStatus", first == null ? null : first.status());
      row.put("model", accounts.find(c.id()).flatMap(a -> a.model()).map(m -> m.code()).orElse(""));
      requests.add(row);
    }
    model.addAttribute("requests", requests);
    model.addAttribute("companies", companies.all());
    model.addAttribute("billingOf", billing.overview());
    model.addAttribute(
        "runs",
        runs.recent(30).stream()
            .map(r ->
                Map.of(
                    "started", when.format(r.startedAt().atZone(ZoneId.systemDefault())),
                    "node", r.node(),
                    "companies", r.companies(),
                    "invoices", r.invoices(),
                    "failures", r.failures()))
            .toList());
    model.addAttribute("unlockOnPayment", pricing.seller().unlockOnPayment());
    model.addAttribute("refundsOpen", refunds.openCount());
    return "operator/billing/overview";
  }

  @PostMapping("/run")
  String run(RedirectAttributes redirect) {
    BillingRuns.Run run = runs.run();
    redirect.addFlashAttribute("ranInvoices", run.invoices());
    return "redirect:/operator/billing";
  }

  // --- One company: model and currency, credit, unlock ---

  @GetMapping("/companies/{id}")
  String company(@PathVariable UUID id, Model model, Locale locale) {
    TenantId tenant = existing(id);
    return companyPage(tenant, model, locale);
  }

  private String companyPage(TenantId tenant, Model model, Locale locale) {
    Company company = companies.require(tenant);
    model.addAttribute("company", company);
    model.addAttribute("status", billing.status(tenant));
    if (!model.containsAttribute("modelValue")) {
      var account = accounts.find(tenant);
      model.addAttribute(
          "modelValue", account.flatMap(a -> a.model()).map(m -> m.code()).orElse(""));
      model.addAttribute(
          "currencyValue",
          account
              .map(a -> a.currency().getCurrencyCode())
              .orElse(BillingAccounts.defaultCurrency(company.country()).getCurrencyCode()));
    }
    model.addAttribute(
        "invoices", invoices.of(tenant).stream().map(i -> invoiceRow(i, company, locale)).toList());
    model.addAttribute("subscription", subscriptions.find(tenant).orElse(null));
    return "operator/billing/company";
  }

  @PostMapping("/companies/{id}/model")
  String choose(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String model,
      @RequestParam(defaultValue = "") String currency,
      Model page,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    TenantId tenant = existing(id);
    try {
      accounts.choose(tenant, model, currency);
      redirect.addFlashAttribute("notice", "operator.billing.choose.saved");
      return "redirect:/operator/billing/companies/" + id;
    } catch (InvalidInputException e) {
      response.setStatus(422);
      page.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      page.addAttribute("modelValue", model);
      page.addAttribute("currencyValue", currency);
      return companyPage(tenant, page, locale);
    }
  }

  @GetMapping("/companies/{id}/grant")
  String confirmGrant(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String units,
      @RequestParam(defaultValue = "") String reason,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    TenantId tenant = existing(id);
    long n = parseUnits(units);
    if (n <= 0) {
      response.setStatus(422);
      model.addAttribute(
          "errors",
          FormErrors.of(
              List.of(FieldProblem.of("units", "billing.count.range", 1, 10_000_000)),
              messages,
              locale));
      return companyPage(tenant, model, locale);
    }
    model.addAttribute("title", messages.getMessage("operator.billing.grant", null, locale));
    model.addAttribute(
        "text", messages.getMessage("operator.billing.grant.confirm", new Object[] {n}, locale));
    model.addAttribute("action", "/operator/billing/companies/" + id + "/grant");
    model.addAttribute(
        "fields",
        Map.of("units", String.valueOf(n), "reason", reason, "key", UUID.randomUUID().toString()));
    model.addAttribute("cancel", "/operator/billing/companies/" + id);
    return "operator/billing/confirm";
  }

  @PostMapping("/companies/{id}/grant")
  String grant(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String units,
      @RequestParam(defaultValue = "") String reason,
      @RequestParam(defaultValue = "") String key,
      Locale locale,
      RedirectAttributes redirect) {
    TenantId tenant = existing(id);
    long n = parseUnits(units);
    if (n <= 0 || key.isBlank() || key.length() > 100) {
      redirect.addFlashAttribute(
          "problem",
          messages.getMessage("billing.count.range", new Object[] {1, 10_000_000}, locale));
    } else {
      try {
        // The key comes from the confirmation page, so a double submit adds the credit once.
        credits.grant(tenant, n, "operator:" + key, reason.isBlank() ? "operator" : reason.strip());
        redirect.addFlashAttribute("notice", "operator.billing.grant.done");
      } catch (IllegalStateException e) {
        redirect.addFlashAttribute(
            "problem", messages.getMessage("operator.billing.grant.packsOnly", null, locale));
      }
    }
    return "redirect:/operator/billing/companies/" + id;
  }

  @PostMapping("/companies/{id}/unlock")
  String unlock(@PathVariable UUID id, Locale locale, RedirectAttributes redirect) {
    TenantId tenant = existing(id);
    try {
      Invoice first = subscriptions.unlock(tenant);
      redirect.addFlashAttribute(
          "noticeText",
          messages.getMessage(
              "operator.billing.unlocked",
              new Object[] {companies.require(tenant).name(), first.number()},
              locale));
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute(
          "problem", FormErrors.message(e.problems().getFirst(), messages, locale));
    }
    return "redirect:/operator/billing";
  }

  @PostMapping("/companies/{id}/invoice-ahead")
  String invoiceAhead(@PathVariable UUID id, Locale locale, RedirectAttributes redirect) {
    TenantId tenant = existing(id);
    try {
      Invoice first = subscriptions.invoiceAhead(tenant);
      redirect.addFlashAttribute(
          "noticeText",
          messages.getMessage("operator.billing.invoiced", new Object[] {first.number()}, locale));
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute(
          "problem", FormErrors.message(e.problems().getFirst(), messages, locale));
    }
    return "redirect:/operator/billing";
  }

  // --- Pricing ---

  @GetMapping("/pricing")
  String pricing(Model model, Locale locale) {
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (String code : pricing.currencies()) {
      Pricing.BlockPrice b = pricing.block(Currency.getInstance(code));
      blocks.add(
          Map.of(
              "currency", code,
              "size", b.size(),
              "price", b.price().toDecimal().toPlainString(),
              "shown", InvoiceDocuments.money(b.price(), locale)));
    }
    model.addAttribute("blocks", blocks);
    model.addAttribute(
        "packs",
        pricing.allPacks().stream()
            .map(p ->
                Map.of(
                    "id", p.id(),
                    "currency", p.price().currency().getCurrencyCode(),
                    "sms", p.sms(),
                    "price", InvoiceDocuments.money(p.price(), locale)))
            .toList());
    model.addAttribute("taxes", pricing.taxRates());
    if (!model.containsAttribute("seller")) {
      model.addAttribute("seller", pricing.seller());
    }
    return "operator/billing/pricing";
  }

  @PostMapping("/pricing/block")
  String block(
      @RequestParam(defaultValue = "") String currency,
      @RequestParam(defaultValue = "") String blockSize,
      @RequestParam(defaultValue = "") String blockPrice,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    return pricingChange(
        () -> pricing.setBlock(currency, blockSize, blockPrice), model, locale, response, redirect);
  }

  @PostMapping("/pricing/packs")
  String addPack(
      @RequestParam(defaultValue = "") String currency,
      @RequestParam(defaultValue = "") String packSms,
      @RequestParam(defaultValue = "") String packPrice,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    return pricingChange(
        () -> pricing.addPack(currency, packSms, packPrice), model, locale, response, redirect);
  }

  @PostMapping("/pricing/packs/{id}/remove")
  String removePack(@PathVariable UUID id, RedirectAttributes redirect) {
    pricing.removePack(id);
    redirect.addFlashAttribute("notice", "operator.billing.pricing.saved");
    return "redirect:/operator/billing/pricing";
  }

  @PostMapping("/pricing/taxes")
  String addTax(
      @RequestParam(defaultValue = "") String taxRegion,
      @RequestParam(defaultValue = "") String taxName,
      @RequestParam(defaultValue = "") String taxRate,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    return pricingChange(
        () -> pricing.addTaxRate(taxRegion, taxName, taxRate), model, locale, response, redirect);
  }

  @PostMapping("/pricing/taxes/{id}/remove")
  String removeTax(@PathVariable UUID id, RedirectAttributes redirect) {
    pricing.removeTaxRate(id);
    redirect.addFlashAttribute("notice", "operator.billing.pricing.saved");
    return "redirect:/operator/billing/pricing";
  }

  @PostMapping("/pricing/seller")
  String seller(
      @RequestParam(defaultValue = "") String sellerName,
      @RequestParam(defaultValue = "") String sellerAddress,
      @RequestParam(defaultValue = "") String sellerCountry,
      @RequestParam(defaultValue = "") String sellerTaxNumbers,
      @RequestParam(defaultValue = "") String sellerEmail,
      @RequestParam(defaultValue = "") String invoicePrefix,
      @RequestParam(defaultValue = "false") boolean unlockOnPayment,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    Pricing.Seller seller =
        new Pricing.Seller(
            sellerName,
            sellerAddress,
            sellerCountry,
            sellerTaxNumbers,
            sellerEmail,
            invoicePrefix,
            unlockOnPayment);
    model.addAttribute("seller", seller);
    return pricingChange(() -> pricing.updateSeller(seller), model, locale, response, redirect);
  }

  private String pricingChange(
      Runnable change,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      change.run();
      redirect.addFlashAttribute("notice", "operator.billing.pricing.saved");
      return "redirect:/operator/billing/pricing";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return pricing(model, locale);
    }
  }

  // --- Invoices ---

  @GetMapping("/invoices")
  String invoices(@RequestParam(required = false) String status, Model model, Locale locale) {
    String filter = status != null && STATUSES.contains(status) ? status : null;
    Map<TenantId, Company> byId = new LinkedHashMap<>();
    companies.all().forEach(c -> byId.put(c.id(), c));
    model.addAttribute("status", filter);
    model.addAttribute(
        "invoices",
        invoices.all(filter, 200).stream()
            .map(i -> invoiceRow(i, byId.get(i.tenantId()), locale))
            .toList());
    return "operator/billing/invoices";
  }

  private static Map<String, Object> invoiceRow(Invoice i, Company company, Locale locale) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("tenant", i.tenantId().value());
    row.put("id", i.id());
    row.put("number", i.number());
    row.put("company", company == null ? "" : company.name());
    row.put(
        "date",
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(locale)
            .format(i.issuedAt().atZone(company == null ? ZoneId.of("UTC") : company.timeZone())));
    row.put("total", InvoiceDocuments.money(i.total(), locale));
    row.put("status", i.status());
    return row;
  }

  @GetMapping("/invoices/{tenant}/{id}")
  String invoice(@PathVariable UUID tenant, @PathVariable UUID id, Model model, Locale locale) {
    TenantId t = existing(tenant);
    Invoice invoice = invoices.require(t, id);
    model.addAttribute("doc", documents.document(invoice, locale, companies.require(t).timeZone()));
    model.addAttribute("invoiceId", invoice.id());
    model.addAttribute("back", "/operator/billing/invoices");
    model.addAttribute("pdfLink", "/operator/billing/invoices/" + tenant + "/" + id + "/pdf");
    return "operator/billing/invoice";
  }

  @GetMapping("/invoices/{tenant}/{id}/pdf")
  ResponseEntity<byte[]> pdf(@PathVariable UUID tenant, @PathVariable UUID id, Locale locale) {
    TenantId t = existing(tenant);
    Invoice invoice = invoices.require(t, id);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("invoice-" + invoice.number() + ".pdf")
                .build()
                .toString())
        .body(documents.pdf(invoice, locale, companies.require(t).timeZone()));
  }

  @GetMapping("/invoices/{tenant}/{id}/{action:paid|void}")
  String confirmInvoice(
      @PathVariable UUID tenant,
      @PathVariable UUID id,
      @PathVariable String action,
      Model model,
      Locale locale) {
    Invoice invoice = invoices.require(existing(tenant), id);
    String key = action.equals("paid") ? "operator.billing.markPaid" : "operator.billing.void";
    model.addAttribute("title", messages.getMessage(key, null, locale));
    model.addAttribute(
        "text", messages.getMessage(key + ".confirm", new Object[] {invoice.number()}, locale));
    model.addAttribute("action", "/operator/billing/invoices/" + tenant + "/" + id + "/" + action);
    model.addAttribute("fields", Map.of());
    model.addAttribute("cancel", "/operator/billing/invoices");
    return "operator/billing/confirm";
  }

  @PostMapping("/invoices/{tenant}/{id}/{action:paid|void}")
  String changeInvoice(
      @PathVariable UUID tenant,
      @PathVariable UUID id,
      @PathVariable String action,
      Locale locale,
      RedirectAttributes redirect) {
    TenantId t = existing(tenant);
    Invoice invoice = invoices.require(t, id);
    boolean changed =
        action.equals("paid") ? invoices.markPaid(t, id) : invoices.voidInvoice(t, id);
    if (changed) {
      String key =
          action.equals("paid") ? "operator.billing.markPaid.done" : "operator.billing.void.done";
      redirect.addFlashAttribute(
          "noticeText", messages.getMessage(key, new Object[] {invoice.number()}, locale));
    }
    return "redirect:/operator/billing/invoices";
  }

  private TenantId existing(UUID id) {
    TenantId tenant = new TenantId(id);
    companies.require(tenant);
    return tenant;
  }

  private static long parseUnits(String units) {
    try {
      long n = Long.parseLong(units.strip());
      return n >= 1 && n <= 10_000_000 ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
