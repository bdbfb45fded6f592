package dev.herald.billing.web;

import dev.herald.billing.BillingAccount;
import dev.herald.billing.BillingAccounts;
import dev.herald.billing.Invoice;
import dev.herald.billing.InvoiceDocuments;
import dev.herald.billing.Invoices;
import dev.herald.billing.Orders;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsBilling;
import dev.herald.billing.SmsBillingStatus;
import dev.herald.billing.SmsOrder;
import dev.herald.billing.SmsSubscriptions;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
 * Settings &gt; Billing (H1, H2, H4): the model, the balance or this period's usage, the low-credit
 * threshold, the SMS request, billing details and invoices with their PDFs. Owners and admins only.
 */
@Controller
@RequestMapping("/settings/billing")
class BillingSettingsController {

  private final SmsBilling billing;
  private final BillingAccounts accounts;
  private final SmsSubscriptions subscriptions;
  private final Invoices invoices;
  private final Pricing pricing;
  private final Companies companies;
  private final InvoiceDocuments documents;
  private final MessageSource messages;
  private final Orders orders;

  BillingSettingsController(
      SmsBilling billing,
      BillingAccounts accounts,
      SmsSubscriptions subscriptions,
      Invoices invoices,
      Pricing pricing,
      Companies companies,
      InvoiceDocuments documents,
      MessageSource messages,
      Orders orders) {
    this.orders = orders;
    this.billing = billing;
    this.accounts = accounts;
    this.subscriptions = subscriptions;
    this.invoices = invoices;
    this.pricing = pricing;
    this.companies = companies;
    this.documents = documents;
    this.messages = messages;
  }

  @GetMapping
  String show(@AuthenticationPrincipal HeraldUser user, Model model, Locale locale) {
    return page(user.tenantId(), model, locale, null, null);
  }

  private String page(
      TenantId tenant,
      Model model,
      Locale locale,
      Map<String, String> thresholdForm,
      Map<String, String> buyerForm) {
    Company company = companies.require(tenant);
    SmsBillingStatus status = billing.status(tenant);
    ZoneId zone = company.timeZone();
    DateTimeFormatter dates =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
    model.addAttribute("status", status);
    model.addAttribute("company", company);
    model.addAttribute("blockPrice", InvoiceDocuments.money(status.blockPrice(), locale));
    model.addAttribute("overageSoFar", InvoiceDocuments.money(status.overageSoFar(), locale));
    model.addAttribute("estimate", InvoiceDocuments.money(status.nextInvoiceEstimate(), locale));
    if (status.periodStart() != null) {
      model.addAttribute("periodStart", dates.format(status.periodStart().atZone(zone)));
      model.addAttribute("periodEnd", dates.format(status.periodEnd().atZone(zone)));
    }
    status
        .subscription()
        .ifPresent(s -> {
          if (s.requestedAt() != null) {
            model.addAttribute("requestedAt", dates.format(s.requestedAt().atZone(zone)));
          }
        });
    // The subscription bought through the checkout: its order awaiting payment, or its paid
    // first month waiting for the operator's unlock.
    model.addAttribute(
        "waitingOrder", orders.waitingFirstBlock(tenant).map(SmsOrder::id).orElse(null));
    model.addAttribute(
        "firstBlockPaid",
        orders
            .subscriptionRefusal(tenant)
            .filter("orders.refused.firstBlockPaid"::equals)
            .isPresent());
    model.addAttribute(
        "packs",
        pricing.packs(Currency.getInstance(status.currency())).stream()
            .map(p -> Map.of("sms", p.sms(), "price", InvoiceDocuments.money(p.price(), locale)))
            .toList());
    model.addAttribute(
        "invoices", invoices.of(tenant).stream().map(i -> row(i, locale, zone)).toList());
    BillingAccount account = accounts.find(tenant).orElse(null);
    model.addAttribute("emailFallback", account == null || account.emailFallback());
    if (!model.containsAttribute("thresholdValue")) {
      model.addAttribute(
          "thresholdValue",
          thresholdForm != null
              ? thresholdForm.get("threshold")
              : String.valueOf(status.lowCreditThreshold()));
    }
    Map<String, String> buyer = new LinkedHashMap<>();
    if (buyerForm != null) {
      buyer.putAll(buyerForm);
    } else {
      buyer.put(
          "buyerName",
          account == null || account.buyerName() == null ? company.name() : account.buyerName());
      buyer.put("buyerAddress", account == null ? "" : nullToEmpty(account.buyerAddress()));
      buyer.put("buyerSubdivision", account == null ? "" : nullToEmpty(account.buyerSubdivision()));
      buyer.put("buyerVatNumber", account == null ? "" : nullToEmpty(account.buyerVatNumber()));
    }
    model.addAttribute("buyer", buyer);
    model.addAttribute("maxThreshold", BillingAccounts.MAX_THRESHOLD);
    return "billing/settings";
  }

  static Map<String, Object> row(Invoice i, Locale locale, ZoneId zone) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", i.id());
    row.put("number", i.number());
    row.put(
        "date",
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(locale)
            .format(i.issuedAt().atZone(zone)));
    row.put("total", InvoiceDocuments.money(i.total(), locale));
    row.put("status", i.status());
    return row;
  }

  @PostMapping("/threshold")
  String threshold(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String threshold,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      accounts.setLowCreditThreshold(user.tenantId(), threshold);
      redirect.addFlashAttribute("notice", "billing.threshold.saved");
      return "redirect:/settings/billing";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      model.addAttribute("thresholdValue", threshold);
      return page(user.tenantId(), model, locale, null, null);
    }
  }

  @PostMapping("/fallback")
  String fallback(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "false") boolean emailFallback,
      RedirectAttributes redirect) {
    accounts.setEmailFallback(user.tenantId(), emailFallback);
    redirect.addFlashAttribute("notice", "billing.fallback.saved");
    return "redirect:/settings/billing";
  }

  @PostMapping("/buyer")
  String buyer(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String buyerName,
      @RequestParam(defaultValue = "") String buyerAddress,
      @RequestParam(defaultValue = "") String buyerSubdivision,
      @RequestParam(defaultValue = "") String buyerVatNumber,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      accounts.setBuyerDetails(
          user.tenantId(), buyerName, buyerAddress, buyerSubdivision, buyerVatNumber);
      redirect.addFlashAttribute("notice", "billing.buyer.saved");
      return "redirect:/settings/billing";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return page(
          user.tenantId(),
          model,
          locale,
          null,
          Map.of(
              "buyerName", buyerName,
              "buyerAddress", buyerAddress,
              "buyerSubdivision", buyerSubdivision,
              "buyerVatNumber", buyerVatNumber));
    }
  }

  @GetMapping("/request")
  String confirmRequest(@AuthenticationPrincipal HeraldUser user, Model model, Locale locale) {
    SmsBillingStatus status = billing.status(user.tenantId());
    model.addAttribute("title", messages.getMessage("billing.request.button", null, locale));
    model.addAttribute(
        "text",
        messages.getMessage(
            "billing.request.confirm",
            new Object[] {InvoiceDocuments.money(status.blockPrice(), locale)},
            locale));
    model.addAttribute("action", "/settings/billing/request");
    return "billing/confirm";
  }

  @PostMapping("/request")
  String request(
      @AuthenticationPrincipal HeraldUser user, Locale locale, RedirectAttributes redirect) {
    try {
      subscriptions.request(user.tenantId());
      redirect.addFlashAttribute("notice", "billing.request.done");
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute(
          "problem", FormErrors.message(e.problems().getFirst(), messages, locale));
    }
    return "redirect:/settings/billing";
  }

  @GetMapping("/stop")
  String confirmStop(@AuthenticationPrincipal HeraldUser user, Model model, Locale locale) {
    Company company = companies.require(user.tenantId());
    SmsBillingStatus status = billing.status(user.tenantId());
    String end =
        status.periodEnd() == null
            ? ""
            : DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
                .withLocale(locale)
                .format(status.periodEnd().atZone(company.timeZone()));
    model.addAttribute("title", messages.getMessage("billing.stop.button", null, locale));
    model.addAttribute(
        "text", messages.getMessage("billing.stop.confirm", new Object[] {end}, locale));
    model.addAttribute("action", "/settings/billing/stop");
    return "billing/confirm";
  }

  @PostMapping("/stop")
  String stop(@AuthenticationPrincipal HeraldUser user, RedirectAttributes redirect) {
    subscriptions.requestStop(user.tenantId());
    redirect.addFlashAttribute("notice", "billing.stop.done");
    return "redirect:/settings/billing";
  }

  @GetMapping("/invoices/{id}")
  String invoice(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model, Locale locale) {
    Invoice invoice = invoices.require(user.tenantId(), id);
    Company company = companies.require(user.tenantId());
    model.addAttribute("doc", documents.document(invoice, locale, company.timeZone()));
    model.addAttribute("invoiceId", invoice.id());
    return "billing/invoice";
  }

  @GetMapping("/invoices/{id}/pdf")
  ResponseEntity<byte[]> pdf(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Locale locale) {
    Invoice invoice = invoices.require(user.tenantId(), id);
    Company company = companies.require(user.tenantId());
    return pdfResponse(invoice, documents.pdf(invoice, locale, company.timeZone()));
  }

  static ResponseEntity<byte[]> pdfResponse(Invoice invoice, byte[] pdf) {
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("invoice-" + invoice.number() + ".pdf")
                .build()
                .toString())
        .body(pdf);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
