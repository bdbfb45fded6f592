package dev.herald.notification.web;

import dev.herald.shared.InvalidInputException;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings &gt; SMS text (F3, F4): smart encoding and the segment cap, with a text area and the
 * live counter to try them on. Owners and admins only (SecurityConfiguration guards /settings/**).
 */
@Controller
@RequestMapping("/settings/sms-text")
class SmsTextSettingsController {

  private final Companies companies;
  private final MessageSource messages;

  SmsTextSettingsController(Companies companies, MessageSource messages) {
    this.companies = companies;
    this.messages = messages;
  }

  @ModelAttribute("capMin")
  int capMin() {
    return Company.MIN_SMS_SEGMENT_CAP;
  }

  @ModelAttribute("capMax")
  int capMax() {
    return Company.MAX_SMS_SEGMENT_CAP;
  }

  @GetMapping
  String show(@AuthenticationPrincipal HeraldUser user, Model model) {
    Company company = companies.require(user.tenantId());
    model.addAttribute("form", SmsTextSettingsForm.of(company));
    return "settings/sms-text";
  }

  @PostMapping
  String save(
      @AuthenticationPrincipal HeraldUser user,
      @ModelAttribute("form") SmsTextSettingsForm form,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      companies.updateSmsTextSettings(
          user.tenantId(), form.isSmartEncoding(), form.segmentCapValue());
      redirect.addFlashAttribute("saved", true);
      return "redirect:/settings/sms-text";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return "settings/sms-text";
    }
  }
}
