package dev.herald.payment.web;

import dev.herald.payment.internal.PaymentAccountStore;
import dev.herald.payment.internal.ProviderRegistry;
import dev.herald.shared.InvalidInputException;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import dev.herald.tenant.PublicUrls;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings &gt; Payments: the company's own Stripe account, through which its customers pay its
 * invoices in the portal. The keys are stored sealed and never shown again (only how they end).
 * Owners and admins only (SecurityConfiguration guards /settings/**).
 */
@Controller
@RequestMapping("/settings/payments")
class PaymentSettingsController {

  private final PaymentAccountStore accounts;
  private final ProviderRegistry registry;
  private final PublicUrls urls;
  private final MessageSource messages;

  PaymentSettingsController(
      PaymentAccountStore accounts,
      ProviderRegistry registry,
      PublicUrls urls,
      MessageSource messages) {
    this.accounts = accounts;
    this.registry = registry;
    this.urls = urls;
    this.messages = messages;
  }

  @GetMapping
  String show(@AuthenticationPrincipal HeraldUser user, Model model) {
    fill(user, model);
    return "settings/payments";
  }

  @PostMapping
  String save(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String secretKey,
      @RequestParam(defaultValue = "") String webhookSecret,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      accounts.save(user.tenantId(), secretKey, webhookSecret, user.email());
      redirect.addFlashAttribute("saved", true);
      return "redirect:/settings/payments";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
    }
    fill(user, model);
    return "settings/payments";
  }

  @PostMapping("/remove")
  String remove(@AuthenticationPrincipal HeraldUser user, RedirectAttributes redirect) {
    if (accounts.remove(user.tenantId())) {
      redirect.addFlashAttribute("removed", true);
    }
    return "redirect:/settings/payments";
  }

  private void fill(HeraldUser user, Model model) {
    model.addAttribute("account", accounts.summary(user.tenantId()).orElse(null));
    model.addAttribute("canStore", accounts.canStore());
    model.addAttribute("sandbox", registry.sandboxActive());
    model.addAttribute("webhookUrl", urls.base() + "/webhooks/stripe/" + user.tenantId().value());
  }
}
