package dev.herald.notification.web;

import dev.herald.delivery.EnqueuePreview;
import dev.herald.delivery.QueuedMessage;
import dev.herald.notification.SendingMessages;
import dev.herald.notification.SendingMessages.BulkPlan;
import dev.herald.shared.InvalidInputException;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * One message to the contacts chosen on the Contacts page (a mass message): write it, see before
 * sending what it will use (SMS, credit left, e-mails instead when credit runs short: H2), then
 * confirm. The preview changes nothing; the send is answered by a redirect, and sending the same
 * confirmed form twice queues once (its batch id makes the dedupe keys).
 */
@Controller
@RequestMapping("/messages/bulk")
class BulkMessagesController {

  private final SendingMessages sending;
  private final MessageSource messages;

  BulkMessagesController(SendingMessages sending, MessageSource messages) {
    this.sending = sending;
    this.messages = messages;
  }

  @RequestMapping(method = {RequestMethod.GET, RequestMethod.POST})
  String write(
      @RequestParam(name = "contact", required = false) List<UUID> contacts,
      @RequestParam(defaultValue = "") String text,
      Model model) {
    model.addAttribute("contactIds", contacts == null ? List.of() : contacts);
    model.addAttribute("text", text);
    return "messages/bulk";
  }

  /** A POST: a thousand ids and a long text do not fit a URL. It changes nothing. */
  @PostMapping("/preview")
  String preview(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(name = "contact", required = false) List<UUID> contacts,
      @RequestParam(defaultValue = "") String text,
      Model model,
      Locale locale,
      HttpServletResponse response) {
    String batch = UUID.randomUUID().toString();
    try {
      BulkPlan plan = sending.planBulk(user.tenantId(), contacts, text, batch);
      EnqueuePreview preview = sending.preview(user.tenantId(), plan);
      model.addAttribute("plan", plan);
      model.addAttribute("preview", preview);
      model.addAttribute("batch", batch);
      model.addAttribute("text", text);
      model.addAttribute("contactIds", plan.contacts().stream().map(c -> c.id()).toList());
      return "messages/bulk-preview";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return write(contacts, text, model);
    }
  }

  @PostMapping("/send")
  String send(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(name = "contact", required = false) List<UUID> contacts,
      @RequestParam(defaultValue = "") String text,
      @RequestParam(defaultValue = "") String batch,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      UUID.fromString(batch); // made by the preview; anything else is not a confirmed form
    } catch (IllegalArgumentException e) {
      return preview(user, contacts, text, model, locale, response);
    }
    try {
      BulkPlan plan = sending.planBulk(user.tenantId(), contacts, text, batch);
      List<QueuedMessage> queued = sending.sendBulk(user.tenantId(), plan);
      redirect.addFlashAttribute("queuedCount", queued.size());
      return "redirect:/messages";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return write(contacts, text, model);
    }
  }
}
