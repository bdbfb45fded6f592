package dev.herald.payment.web;

import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentStatus;
import dev.herald.payment.internal.PaymentRow;
import dev.herald.payment.internal.SandboxCheckouts;
import dev.herald.payment.internal.SandboxCheckouts.CardOutcome;
import dev.herald.shared.Language;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;

/**
 * The sandbox's hosted checkout page (public, no log-in; the session id of 128 random bits is the
 * credential): the amount and description, a card form with test cards, wallet and PayPal buttons
 * as the method says. Paying posts a signed event to Herald's webhook, then sends the buyer back.
 */
@Controller
class SandboxCheckoutController {

  private final SandboxCheckouts checkouts;
  private final MessageSource messages;
  private final Clock clock;

  SandboxCheckoutController(SandboxCheckouts checkouts, MessageSource messages, Clock clock) {
    this.checkouts = checkouts;
    this.messages = messages;
    this.clock = clock;
  }

  @GetMapping("/pay/sandbox/{session}")
  String page(
      @PathVariable String session,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<PaymentRow> payment = checkouts.session(session);
    if (payment.isEmpty()) {
      response.setStatus(404);
      language(null, request, model);
      return "payment/sandbox-unknown";
    }
    fill(payment.get(), request, model);
    return "payment/sandbox";
  }

  @PostMapping("/pay/sandbox/{session}")
  String pay(
      @PathVariable String session,
      @RequestParam(defaultValue = "") String card,
      @RequestParam(defaultValue = "") String expiry,
      @RequestParam(defaultValue = "") String cvc,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String wallet,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<PaymentRow> found = checkouts.session(session);
    if (found.isEmpty()) {
      response.setStatus(404);
      language(null, request, model);
      return "payment/sandbox-unknown";
    }
    PaymentRow payment = found.get();
    if (payment.status() != PaymentStatus.PENDING) {
      return "redirect:/pay/sandbox/" + session;
    }
    Locale locale = language(payment, request, model);
    CardOutcome outcome;
    if (!wallet.isEmpty()) {
      if (!wallets(payment.method()).contains(wallet)) {
        return "redirect:/pay/sandbox/" + session;
      }
      outcome = CardOutcome.SUCCEEDS;
    } else {
      Map<String, String> errors = new LinkedHashMap<>();
      String digits = card.replaceAll("[\\s-]", "");
      Optional<CardOutcome> test = SandboxCheckouts.testCard(digits);
      if (payment.method() == PaymentMethod.PAYPAL) {
        return "redirect:/pay/sandbox/" + session;
      }
      if (!digits.matches("[0-9]{12,19}")) {
        errors.put("card", msg("payment.sandbox.card.invalid", locale));
      } else if (test.isEmpty()) {
        errors.put("card", msg("payment.sandbox.card.unknown", locale));
      }
      if (!validExpiry(expiry.strip())) {
        errors.put("expiry", msg("payment.sandbox.expiry.invalid", locale));
      }
      if (!cvc.strip().matches("[0-9]{3,4}")) {
        errors.put("cvc", msg("payment.sandbox.cvc.invalid", locale));
      }
      if (name.isBlank() || name.strip().length() > 100) {
        errors.put("name", msg("payment.sandbox.name.invalid", locale));
      }
      if (!errors.isEmpty()) {
        response.setStatus(422);
        fill(payment, request, model);
        model.addAttribute("errors", errors);
        model.addAttribute("card", card);
        model.addAttribute("expiry", expiry);
        model.addAttribute("cvc", "");
        model.addAttribute("name", name);
        return "payment/sandbox";
      }
      outcome = test.orElseThrow();
    }
    if (!checkouts.pay(payment, outcome)) {
      response.setStatus(503);
      fill(payment, request, model);
      model.addAttribute("unavailable", true);
      return "payment/sandbox";
    }
    if (payment.returnUrl() == null) {
      return "redirect:/pay/sandbox/" + session;
    }
    return "redirect:" + payment.returnUrl();
  }

  private boolean validExpiry(String expiry) {
    var m = java.util.regex.Pattern.compile("(\\d{1,2})\\s*/\\s*(\\d{2})").matcher(expiry);
    if (!m.matches()) {
      return false;
    }
    int month = Integer.parseInt(m.group(1));
    if (month < 1 || month > 12) {
      return false;
    }
    YearMonth card = YearMonth.of(2000 + Integer.parseInt(m.group(2)), month);
    return !card.isBefore(YearMonth.now(clock.withZone(ZoneOffset.UTC)));
  }

  private static java.util.List<String> wallets(PaymentMethod method) {
    return switch (method) {
      case CARD -> java.util.List.of("apple_pay", "google_pay");
      case APPLE_PAY -> java.util.List.of("apple_pay");
      case GOOGLE_PAY -> java.util.List.of("google_pay");
      case PAYPAL -> java.util.List.of("paypal");
      case BANK_TRANSFER -> java.util.List.of();
    };
  }

  private void fill(PaymentRow payment, HttpServletRequest request, Model model) {
    Locale locale = language(payment, request, model);
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(payment.amount().currency());
    format.setMaximumFractionDigits(payment.amount().currency().getDefaultFractionDigits());
    format.setMinimumFractionDigits(payment.amount().currency().getDefaultFractionDigits());
    model.addAttribute("payment", payment);
    model.addAttribute("amount", format.format(payment.amount().toDecimal()));
    model.addAttribute("wallets", wallets(payment.method()));
    model.addAttribute("cardForm", payment.method() != PaymentMethod.PAYPAL);
    model.addAttribute("open", payment.status() == PaymentStatus.PENDING);
    model.addAttribute("status", payment.status().name().toLowerCase(Locale.ROOT));
    model.addAttribute("errors", Map.of());
  }

  /** The payment's language, unless the visitor picked another (?lang=). */
  private Locale language(PaymentRow payment, HttpServletRequest request, Model model) {
    Language language =
        Language.fromCode(request.getParameter("lang"))
            .or(() ->
                payment == null
                    ? Optional.empty()
                    : Language.fromCode(payment.locale().getLanguage()))
            .orElse(Language.fromCode("en").orElseThrow());
    request.setAttribute(CookieLocaleResolver.LOCALE_REQUEST_ATTRIBUTE_NAME, language.locale());
    model.addAttribute("uiLanguage", language);
    return language.locale();
  }

  private String msg(String key, Locale locale) {
    return messages.getMessage(key, null, locale);
  }
}
