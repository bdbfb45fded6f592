package dev.herald.work.web;

import dev.herald.shared.InvalidInputException;
import dev.herald.shared.StaleEditException;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import dev.herald.work.DocumentSettings;
import dev.herald.work.DocumentSettingsStore;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
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
 * Settings &gt; Documents: currency, payment terms, how long portal links last, and the overdue
 * reminders (D3). Owners and admins only (SecurityConfiguration guards /settings/**).
 */
@Controller
@RequestMapping("/settings/documents")
class DocumentSettingsController {

  private final DocumentSettingsStore settings;
  private final MessageSource messages;

  DocumentSettingsController(DocumentSettingsStore settings, MessageSource messages) {
    this.settings = settings;
    this.messages = messages;
  }

  @GetMapping
  String show(@AuthenticationPrincipal HeraldUser user, Model model) {
    DocumentSettings s = settings.of(user.tenantId());
    model.addAttribute("version", s.version());
    model.addAttribute(
        "input",
        new DocumentSettingsStore.Input(
            s.currency().getCurrencyCode(),
            String.valueOf(s.paymentDays()),
            String.valueOf(s.portalLinkDays()),
            s.remindersEnabled(),
            s.reminderDays().stream().map(String::valueOf).collect(Collectors.joining(", ")),
            String.valueOf(s.maxReminders()),
            String.valueOf(s.reminderHour())));
    return "settings/documents";
  }

  @PostMapping
  String save(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "0") int version,
      @RequestParam(defaultValue = "") String currency,
      @RequestParam(defaultValue = "") String paymentDays,
      @RequestParam(defaultValue = "") String portalLinkDays,
      @RequestParam(defaultValue = "false") boolean remindersEnabled,
      @RequestParam(defaultValue = "") String reminderDays,
      @RequestParam(defaultValue = "") String maxReminders,
      @RequestParam(defaultValue = "") String reminderHour,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    var input =
        new DocumentSettingsStore.Input(
            currency,
            paymentDays,
            portalLinkDays,
            remindersEnabled,
            reminderDays,
            maxReminders,
            reminderHour);
    try {
      settings.update(user.tenantId(), version, input);
      redirect.addFlashAttribute("saved", true);
      return "redirect:/settings/documents";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
    } catch (StaleEditException e) {
      response.setStatus(409);
      model.addAttribute(
          "errors", Map.of("form", messages.getMessage("documents.stale", null, locale)));
    }
    model.addAttribute("version", version);
    model.addAttribute("input", input);
    return "settings/documents";
  }
}
