package dev.herald.work.web;

import dev.herald.shared.InvalidInputException;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import dev.herald.work.SendingDocuments;
import dev.herald.work.SendingDocuments.Request;
import dev.herald.work.SendingDocuments.Window;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
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

/**
 * The send window (D1): the recipient, Email and SMS boxes pre-ticked from the contact's
 * preferences (a box that cannot apply is disabled with its reason), the SMS text from the template
 * with the live counter, and the e-mail's subject and body.
 */
@Controller
@RequestMapping("/documents/{id}/send")
class SendWindowController {

  private final SendingDocuments sending;
  private final MessageSource messages;

  SendWindowController(SendingDocuments sending, MessageSource messages) {
    this.sending = sending;
    this.messages = messages;
  }

  @GetMapping
  String window(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    Window w = sending.window(user.tenantId(), id);
    model.addAttribute("w", w);
    model.addAttribute(
        "request",
        new Request(w.smsTicked(), w.smsText(), w.emailTicked(), w.emailSubject(), w.emailBody()));
    return "documents/send";
  }

  @PostMapping
  String send(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "false") boolean sms,
      @RequestParam(defaultValue = "") String smsText,
      @RequestParam(defaultValue = "false") boolean email,
      @RequestParam(defaultValue = "") String emailSubject,
      @RequestParam(defaultValue = "") String emailBody,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    Request request = new Request(sms, smsText, email, emailSubject, emailBody);
    try {
      var queued = sending.send(user.tenantId(), id, request, user.displayName());
      String channels =
          queued.smsMessageId() != null && queued.emailMessageId() != null
              ? "both"
              : queued.smsMessageId() != null ? "sms" : "email";
      redirect.addFlashAttribute(
          "sentNow",
          messages.getMessage(
              "documents.sent." + channels, new Object[] {queued.smsSegments()}, locale));
      return "redirect:/documents/" + id;
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("w", sending.window(user.tenantId(), id));
      model.addAttribute("request", request);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return "documents/send";
    }
  }
}
