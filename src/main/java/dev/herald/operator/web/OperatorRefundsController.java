package dev.herald.operator.web;

import dev.herald.billing.InvoiceDocuments;
import dev.herald.billing.SmsOrderRefunds;
import dev.herald.billing.SmsOrderRefunds.Refund;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.HeraldUser;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Payments of SMS orders to refund (money that paid no order: paid twice, another amount, the
 * company on the other model by then): the operator refunds each at the provider or the bank, then
 * marks it refunded here, after a confirmation.
 */
@Controller
@RequestMapping("/operator/billing/refunds")
class OperatorRefundsController {

  private final SmsOrderRefunds refunds;
  private final Companies companies;
  private final MessageSource messages;

  OperatorRefundsController(SmsOrderRefunds refunds, Companies companies, MessageSource messages) {
    this.refunds = refunds;
    this.companies = companies;
    this.messages = messages;
  }

  @GetMapping
  String list(Model model, Locale locale) {
    java.util.List<Refund> all = refunds.list();
    model.addAttribute("open", all.stream().filter(Refund::open).map(r -> row(r, locale)).toList());
    model.addAttribute(
        "refunded", all.stream().filter(r -> !r.open()).map(r -> row(r, locale)).toList());
    return "operator/billing/refunds";
  }

  /** The confirmation: shown before anything is marked (a GET: no change). */
  @GetMapping("/{tenant}/{payment}")
  String confirm(
      @PathVariable UUID tenant, @PathVariable UUID payment, Model model, Locale locale) {
    Refund refund = require(tenant, payment);
    if (!refund.open()) {
      return "redirect:/operator/billing/refunds";
    }
    Map<String, Object> row = row(refund, locale);
    String title = messages.getMessage("refunds.mark", null, locale);
    model.addAttribute("title", title);
    model.addAttribute(
        "text",
        messages.getMessage(
            "refunds.mark.confirm", new Object[] {row.get("amount"), row.get("company")}, locale));
    model.addAttribute("action", "/operator/billing/refunds/" + tenant + "/" + payment);
    model.addAttribute("fields", Map.of());
    model.addAttribute("cancel", "/operator/billing/refunds");
    return "operator/billing/confirm";
  }

  @PostMapping("/{tenant}/{payment}")
  String markRefunded(
      @AuthenticationPrincipal HeraldUser operator,
      @PathVariable UUID tenant,
      @PathVariable UUID payment,
      Locale locale,
      RedirectAttributes redirect) {
    Refund refund = require(tenant, payment);
    Map<String, Object> row = row(refund, locale);
    boolean marked = refunds.markRefunded(new TenantId(tenant), payment, operator.getUsername());
    redirect.addFlashAttribute(
        "noticeText",
        messages.getMessage(
            marked ? "refunds.marked" : "refunds.markedBefore",
            new Object[] {row.get("amount"), row.get("company")},
            locale));
    return "redirect:/operator/billing/refunds";
  }

  private Refund require(UUID tenant, UUID payment) {
    return refunds
        .find(new TenantId(tenant), payment)
        .orElseThrow(() -> new NotFoundException("Refund"));
  }

  private Map<String, Object> row(Refund r, Locale locale) {
    Company company = companies.find(r.tenantId()).orElse(null);
    DateTimeFormatter dates =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(locale)
            .withZone(company == null ? ZoneId.of("UTC") : company.timeZone());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("tenant", r.tenantId().value());
    row.put("payment", r.paymentId());
    row.put("company", company == null ? "—" : company.name());
    row.put("amount", InvoiceDocuments.money(r.amount(), locale));
    row.put("reason", messages.getMessage("refunds.reason." + r.reason().name(), null, locale));
    row.put("noticed", dates.format(r.noticedAt()));
    row.put("refunded", r.refundedAt() == null ? "" : dates.format(r.refundedAt()));
    row.put("refundedBy", r.refundedBy() == null ? "" : r.refundedBy());
    return row;
  }
}
