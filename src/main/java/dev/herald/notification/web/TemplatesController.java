package dev.herald.notification.web;

import dev.herald.notification.CommunicationKind;
import dev.herald.notification.MergeFields;
import dev.herald.notification.MessageTemplate;
import dev.herald.notification.MessageTemplates;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.NotFoundException;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
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
 * Settings &gt; Templates (F1): each communication kind in each language, with the merge fields
 * listed, the live counter and a preview on sample values; an unknown merge field is refused.
 */
@Controller
@RequestMapping("/settings/templates")
class TemplatesController {

  private final MessageTemplates templates;
  private final MessageSource messages;

  TemplatesController(MessageTemplates templates, MessageSource messages) {
    this.templates = templates;
    this.messages = messages;
  }

  @GetMapping
  String list(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(required = false) String language,
      Model model,
      Locale locale) {
    Language shown =
        Language.fromCode(language)
            .orElse(Language.fromCode(locale.getLanguage()).orElse(Language.EN));
    model.addAttribute("language", shown);
    model.addAttribute("templates", templates.all(user.tenantId(), shown));
    return "settings/templates";
  }

  @GetMapping("/{kind}/{language}")
  String edit(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable String kind,
      @PathVariable String language,
      Model model) {
    MessageTemplate template = templates.get(user.tenantId(), kind(kind), language(language));
    model.addAttribute("template", template);
    model.addAttribute("smsText", template.smsText());
    model.addAttribute("emailSubject", template.emailSubject());
    model.addAttribute("emailBody", template.emailBody());
    return editModel(model);
  }

  @PostMapping("/{kind}/{language}")
  String save(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable String kind,
      @PathVariable String language,
      @RequestParam(defaultValue = "") String smsText,
      @RequestParam(defaultValue = "") String emailSubject,
      @RequestParam(defaultValue = "") String emailBody,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    CommunicationKind k = kind(kind);
    Language l = language(language);
    try {
      templates.save(user.tenantId(), k, l, smsText, emailSubject, emailBody);
      redirect.addFlashAttribute("saved", true);
      return "redirect:/settings/templates/" + k.code() + "/" + l.code();
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("template", templates.get(user.tenantId(), k, l));
      model.addAttribute("smsText", smsText);
      model.addAttribute("emailSubject", emailSubject);
      model.addAttribute("emailBody", emailBody);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return editModel(model);
    }
  }

  /** Back to Herald's text; asked for on the page with a confirmation. */
  @PostMapping("/{kind}/{language}/reset")
  String reset(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable String kind,
      @PathVariable String language,
      RedirectAttributes redirect) {
    CommunicationKind k = kind(kind);
    Language l = language(language);
    templates.reset(user.tenantId(), k, l);
    redirect.addFlashAttribute("wasReset", true);
    return "redirect:/settings/templates/" + k.code() + "/" + l.code();
  }

  private String editModel(Model model) {
    model.addAttribute("fields", MergeFields.NAMES);
    return "settings/template";
  }

  private static CommunicationKind kind(String code) {
    return CommunicationKind.fromCode(code).orElseThrow(() -> new NotFoundException("Template"));
  }

  private static Language language(String code) {
    return Language.fromCode(code).orElseThrow(() -> new NotFoundException("Template"));
  }
}
