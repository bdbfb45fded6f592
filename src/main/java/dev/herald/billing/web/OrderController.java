package dev.herald.billing.web;

import dev.herald.billing.Credits;
import dev.herald.billing.InvoiceDocuments;
import dev.herald.billing.Invoices;
import dev.herald.billing.Orders;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsOrder;
import dev.herald.billing.SmsSubscription;
import dev.herald.billing.SmsSubscriptions;
import dev.herald.billing.VatNumbers;
import dev.herald.payment.Checkout;
import dev.herald.payment.PaymentMethod;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Buying SMS (H3): Settings &gt; Billing &gt; "Buy SMS plan" &gt; the pack &gt; billing details
 * &gt; payment method &gt; confirmation of the amount &gt; the checkout (or the bank transfer's
 * details) &gt; the result page. A redirect after every POST; each form keeps what was typed and
 * shows all its errors at once.
 */
@Controller
@RequestMapping("/settings/billing")
class OrderController {

  private final Orders orders;
  private final Credits credits;
  private final Invoices invoices;
  private final Companies companies;
  private final SmsSubscriptions subscriptions;
  private final MessageSource messages;

  OrderController(
      Orders orders,
      Credits credits,
      Invoices invoices,
      Companies companies,
      SmsSubscriptions subscriptions,
      MessageSource messages) {
    this.orders = orders;
    this.subscriptions = subscriptions;
    this.credits = credits;
    this.invoices = invoices;
    this.companies = companies;
    this.messages = messages;
  }

  // 1. The pack -----------------------------------------------------------------------------------

  @GetMapping("/buy")
  String packs(@AuthenticationPrincipal HeraldUser user, Model model, Locale locale) {
    return packsPage(user.tenantId(), model, locale, null);
  }

  private String packsPage(TenantId tenant, Model model, Locale locale, String chosen) {
    model.addAttribute("step", 1);
    Optional<String> refused = orders.refusal(tenant);
    Optional<String> subscriptionRefused = orders.subscriptionRefusal(tenant);
    boolean plan = refused.filter("orders.refused.plan"::equals).isPresent();
    model.addAttribute("planRefusal", plan ? refused.get() : null);
    model.addAttribute("packsRefusal", refused.orElse(null));
    // A company on packs is not offered the subscription, one on blocks no pack (the notes say so).
    boolean offerSubscription =
        !plan && !subscriptionRefused.filter("orders.refused.packs"::equals).isPresent();
    model.addAttribute("offerSubscription", offerSubscription);
    model.addAttribute("offerPacks", !plan && refused.isEmpty());
    model.addAttribute("subscriptionRefusal", subscriptionRefused.orElse(null));
    if (offerSubscription) {
      Pricing.BlockPrice block = orders.block(tenant);
      model.addAttribute("blockSize", block.size());
      model.addAttribute("blockPrice", InvoiceDocuments.money(block.price(), locale));
      model.addAttribute("perSms", perSms(block, locale));
      model.addAttribute("unlockOnPayment", orders.unlocksOnPayment());
      model.addAttribute("blockedByOperator", companies.smsBlockedByOperator(tenant));
      model.addAttribute(
          "waitingOrder", orders.waitingFirstBlock(tenant).map(SmsOrder::id).orElse(null));
    }
    model.addAttribute(
        "packs",
        refused.isPresent()
            ? List.of()
            : orders.packs(tenant).stream()
                .map(p ->
                    Map.of(
                        "id", p.id().toString(),
                        "sms", p.sms(),
                        "price", InvoiceDocuments.money(p.price(), locale)))
                .toList());
    model.addAttribute("chosen", chosen);
    return "billing/order-packs";
  }

  @PostMapping("/buy")
  String start(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String pack,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    try {
      SmsOrder order = orders.start(user.tenantId(), pack);
      return "redirect:/settings/billing/orders/" + order.id() + "/details";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return packsPage(user.tenantId(), model, locale, pack);
    }
  }

  /** The monthly subscription's first block: a draft, then the same steps as a pack. */
  @PostMapping("/buy/subscription")
  String startSubscription(
      @AuthenticationPrincipal HeraldUser user,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    try {
      SmsOrder order = orders.startSubscription(user.tenantId());
      return "redirect:/settings/billing/orders/" + order.id() + "/details";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return packsPage(user.tenantId(), model, locale, null);
    }
  }

  /** A block's price per SMS, to compare (the overage is billed per started block, H1). */
  static String perSms(Pricing.BlockPrice block, Locale locale) {
    int digits = Math.max(0, block.price().currency().getDefaultFractionDigits());
    BigDecimal each =
        block
            .price()
            .toDecimal()
            .divide(BigDecimal.valueOf(block.size()), digits + 2, RoundingMode.HALF_EVEN);
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(block.price().currency());
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits + 2);
    return format.format(each);
  }

  // 2. Billing details ----------------------------------------------------------------------------

  @GetMapping("/orders/{id}/details")
  String details(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model, Locale locale) {
    SmsOrder order = orders.require(user.tenantId(), id);
    if (!order.draft()) {
      return "redirect:/settings/billing/orders/" + id;
    }
    Orders.Details d =
        order.hasDetails()
            ? new Orders.Details(
                order.buyerName(),
                order.buyerAddress(),
                order.buyerCountry(),
                order.buyerVatNumber() == null ? "" : order.buyerVatNumber(),
                order.buyerEmail())
            : orders.lastDetails(user.tenantId());
    return detailsPage(order, d, model, locale);
  }

  private String detailsPage(SmsOrder order, Orders.Details d, Model model, Locale locale) {
    model.addAttribute("step", 2);
    model.addAttribute("order", order);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", nullToEmpty(d.name()));
    form.put("address", nullToEmpty(d.address()));
    form.put("country", nullToEmpty(d.country()));
    form.put("vatNumber", nullToEmpty(d.vatNumber()));
    form.put("email", nullToEmpty(d.email()));
    model.addAttribute("form", form);
    model.addAttribute("countries", countries(locale));
    model.addAttribute(
        "vatExample", VatNumbers.example(d.country()).orElse(VatNumbers.example("DK").get()));
    return "billing/order-details";
  }

  @PostMapping("/orders/{id}/details")
  String saveDetails(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String address,
      @RequestParam(defaultValue = "") String country,
      @RequestParam(defaultValue = "") String vatNumber,
      @RequestParam(defaultValue = "") String email,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    Orders.Details typed = new Orders.Details(name, address, country, vatNumber, email);
    try {
      orders.saveDetails(user.tenantId(), id, typed);
      return "redirect:/settings/billing/orders/" + id + "/method";
    } catch (InvalidInputException e) {
      SmsOrder order = orders.require(user.tenantId(), id);
      if (!order.draft()) {
        return "redirect:/settings/billing/orders/" + id;
      }
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return detailsPage(order, typed, model, locale);
    }
  }

  // 3. Payment method -----------------------------------------------------------------------------

  @GetMapping("/orders/{id}/method")
  String method(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    SmsOrder order = orders.require(user.tenantId(), id);
    if (!order.draft()) {
      return "redirect:/settings/billing/orders/" + id;
    }
    if (!order.hasDetails()) {
      return "redirect:/settings/billing/orders/" + id + "/details";
    }
    return methodPage(order, order.method().map(Enum::name).orElse(null), model);
  }

  private String methodPage(SmsOrder order, String chosen, Model model) {
    model.addAttribute("step", 3);
    model.addAttribute("order", order);
    model.addAttribute("methods", orders.methodsFor(order).stream().map(Enum::name).toList());
    model.addAttribute("chosen", chosen);
    return "billing/order-method";
  }

  @PostMapping("/orders/{id}/method")
  String chooseMethod(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String method,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    try {
      orders.chooseMethod(user.tenantId(), id, method);
      return "redirect:/settings/billing/orders/" + id + "/confirm";
    } catch (InvalidInputException e) {
      SmsOrder order = orders.require(user.tenantId(), id);
      if (!order.draft()) {
        return "redirect:/settings/billing/orders/" + id;
      }
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return methodPage(order, method, model);
    }
  }

  // 4. Confirmation of the amount ----------------------------------------------------------------

  @GetMapping("/orders/{id}/confirm")
  String confirm(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model, Locale locale) {
    SmsOrder order = orders.require(user.tenantId(), id);
    if (!order.draft()) {
      return "redirect:/settings/billing/orders/" + id;
    }
    if (!order.hasDetails()) {
      return "redirect:/settings/billing/orders/" + id + "/details";
    }
    if (order.method().isEmpty()) {
      return "redirect:/settings/billing/orders/" + id + "/method";
    }
    Invoices.Quote quote;
    try {
      quote = orders.quote(order);
    } catch (InvalidInputException e) {
      model.addAttribute("problem", FormErrors.message(e.problems().getFirst(), messages, locale));
      return packsPage(user.tenantId(), model, locale, null);
    }
    model.addAttribute("step", 4);
    model.addAttribute("order", order);
    // Shown before the Pay button is pressed (another tab may have placed an order meanwhile).
    Optional<String> refused =
        order.firstBlock()
            ? orders.subscriptionRefusal(user.tenantId())
            : orders.refusal(user.tenantId());
    model.addAttribute(
        "refusal", refused.map(code -> messages.getMessage(code, null, locale)).orElse(null));
    model.addAttribute("countryName", countryName(order.buyerCountry(), locale));
    model.addAttribute("subtotal", InvoiceDocuments.money(quote.subtotal(), locale));
    model.addAttribute(
        "taxes",
        quote.taxes().stream()
            .map(t ->
                Map.of(
                    "name", t.name(),
                    "rate", t.rate().toPlainString(),
                    "amount", InvoiceDocuments.money(t.amount(), locale)))
            .toList());
    model.addAttribute("reverseCharge", quote.reverseCharge());
    model.addAttribute("total", InvoiceDocuments.money(quote.total(), locale));
    return "billing/order-confirm";
  }

  @PostMapping("/orders/{id}/place")
  String place(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      Locale locale,
      HttpServletRequest request,
      RedirectAttributes redirect) {
    URI back =
        ServletUriComponentsBuilder.fromContextPath(request)
            .path("/settings/billing/orders/{id}")
            .buildAndExpand(id)
            .toUri();
    try {
      Orders.Placed placed = orders.place(user.tenantId(), id, locale, back);
      if (placed.checkout() instanceof Checkout.Redirect r) {
        return "redirect:" + r.url();
      }
      return "redirect:/settings/billing/orders/" + id;
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute(
          "problem", FormErrors.message(e.problems().getFirst(), messages, locale));
      // A draft refused goes back to its confirmation, where the reason is shown (the result
      // page would send a draft on there and the message would be lost on the way).
      boolean draft = orders.find(user.tenantId(), id).map(SmsOrder::draft).orElse(false);
      return "redirect:/settings/billing/orders/" + id + (draft ? "/confirm" : "");
    }
  }

  /** The confirmation before an order is given up (a GET: nothing changes). */
  @GetMapping("/orders/{id}/cancel")
  String confirmCancel(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model, Locale locale) {
    SmsOrder order = orders.require(user.tenantId(), id);
    if (!order.draft() && !order.awaitingPayment()) {
      return "redirect:/settings/billing/orders/" + id;
    }
    String title = messages.getMessage("orders.cancel", null, locale);
    model.addAttribute("title", title);
    model.addAttribute(
        "text",
        order.awaitingPayment() && order.byBankTransfer()
            ? messages.getMessage(
                order.firstBlock()
                    ? "orders.cancel.transferConfirmSubscription"
                    : "orders.cancel.transferConfirm",
                new Object[] {order.total().map(t -> InvoiceDocuments.money(t, locale)).orElse("")},
                locale)
            : messages.getMessage("orders.cancel.confirm", null, locale));
    model.addAttribute("action", "/settings/billing/orders/" + id + "/cancel");
    model.addAttribute("cancel", "/settings/billing/orders/" + id);
    return "billing/confirm";
  }

  @PostMapping("/orders/{id}/cancel")
  String cancel(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      RedirectAttributes redirect) {
    orders.cancel(user.tenantId(), id);
    redirect.addFlashAttribute("notice", "orders.cancelled");
    return "redirect:/settings/billing";
  }

  /** Try again after a failure: a new order of the same pack, with the details kept. */
  @PostMapping("/orders/{id}/retry")
  String retry(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      Locale locale,
      RedirectAttributes redirect) {
    SmsOrder failed = orders.require(user.tenantId(), id);
    try {
      SmsOrder again =
          failed.firstBlock()
              ? orders.startSubscription(user.tenantId())
              : orders.start(user.tenantId(), String.valueOf(failed.packId()));
      orders.saveDetails(user.tenantId(), again.id(), orders.lastDetails(user.tenantId()));
      return "redirect:/settings/billing/orders/" + again.id() + "/method";
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute(
          "problem", FormErrors.message(e.problems().getFirst(), messages, locale));
      return "redirect:/settings/billing/buy";
    }
  }

  // 5. The result ---------------------------------------------------------------------------------

  @GetMapping("/orders/{id}")
  String result(
      @AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model, Locale locale) {
    TenantId tenant = user.tenantId();
    SmsOrder order = orders.require(tenant, id);
    if (order.draft()) {
      return "redirect:/settings/billing/orders/" + id + "/confirm";
    }
    Company company = companies.require(tenant);
    model.addAttribute("order", order);
    model.addAttribute("status", order.status().code());
    order.total().ifPresent(t -> model.addAttribute("total", InvoiceDocuments.money(t, locale)));
    model.addAttribute("balance", credits.balance(tenant));
    model.addAttribute("smsAvailable", company.smsAvailable());
    model.addAttribute(
        "subscriptionActive",
        order.firstBlock()
            && subscriptions.find(tenant).map(SmsSubscription::active).orElse(false));
    model.addAttribute("blockedByOperator", companies.smsBlockedByOperator(tenant));
    if (order.invoiceId() != null) {
      invoices
          .find(tenant, order.invoiceId())
          .ifPresent(i -> {
            model.addAttribute("invoiceId", i.id());
            model.addAttribute("invoiceNumber", i.number());
            model.addAttribute("invoiceStatus", i.status());
          });
    }
    if (order.bank() != null) {
      SmsOrder.BankDetails b = order.bank();
      model.addAttribute("bank", b);
      model.addAttribute(
          "expectedBy",
          DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
              .withLocale(locale)
              .format(b.expectedBy()));
      model.addAttribute("reference", spaced(b.creditorReference()));
      model.addAttribute("iban", spaced(b.iban()));
    }
    if (order.failureReason() != null) {
      String code = "orders.failure." + order.failureReason();
      model.addAttribute(
          "failure",
          messages.getMessage(
              code, null, messages.getMessage("orders.failure.other", null, locale), locale));
    }
    return "billing/order-result";
  }

  /** A reference or IBAN in groups of four, as banks print them. */
  static String spaced(String s) {
    return s == null ? "" : s.replaceAll("\\s+", "").replaceAll("(.{4})(?=.)", "$1 ");
  }

  static List<Map<String, String>> countries(Locale locale) {
    return Arrays.stream(Locale.getISOCountries())
        .map(c -> Map.of("code", c, "name", countryName(c, locale)))
        .sorted(Comparator.comparing(m -> m.get("name")))
        .toList();
  }

  static String countryName(String code, Locale locale) {
    return code == null ? "" : Locale.of("", code).getDisplayCountry(locale);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static boolean isBankTransfer(String method) {
    return PaymentMethod.BANK_TRANSFER.name().equals(method);
  }
}
