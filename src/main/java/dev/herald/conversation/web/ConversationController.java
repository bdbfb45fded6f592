package dev.herald.conversation.web;

import dev.herald.contact.Contact;
import dev.herald.contact.ContactPhone;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.contact.PhoneType;
import dev.herald.conversation.Conversations;
import dev.herald.notification.SendingMessages;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The thread with a contact (their replies and the SMS sent to them) with a reply box: on the
 * contact's page (loaded by htmx) and as a page of its own.
 */
@Controller
class ConversationController {

  private final Contacts contacts;
  private final Conversations conversations;
  private final SendingMessages sending;
  private final MessageSource messages;
  private final OptOuts optOuts;

  ConversationController(
      Contacts contacts,
      Conversations conversations,
      SendingMessages sending,
      MessageSource messages,
      OptOuts optOuts) {
    this.optOuts = optOuts;
    this.contacts = contacts;
    this.conversations = conversations;
    this.sending = sending;
    this.messages = messages;
  }

  @GetMapping("/contacts/{id}/conversation")
  String thread(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestHeader(value = "HX-Request", required = false) String htmx,
      Model model) {
    model(user.tenantId(), id, "", model);
    return "true".equals(htmx) ? "conversation/thread :: thread" : "conversation/page";
  }

  @PostMapping("/contacts/{id}/conversation")
  String reply(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String text,
      @RequestHeader(value = "HX-Request", required = false) String htmx,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    TenantId tenant = user.tenantId();
    Contact contact = model(tenant, id, text, model);
    boolean fragment = "true".equals(htmx);
    Optional<String> number = replyNumber(tenant, contact);
    try {
      if (number.isEmpty()) {
        throw new InvalidInputException(
            dev.herald.shared.FieldProblem.of("text", "conversation.reply.noNumber"));
      }
      sending.reply(tenant, id, number.get(), text);
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return fragment ? "conversation/thread :: thread" : "conversation/page";
    }
    if (fragment) {
      model(tenant, id, "", model);
      model.addAttribute("replied", true);
      return "conversation/thread :: thread";
    }
    redirect.addFlashAttribute("replied", true);
    return "redirect:/contacts/" + id + "/conversation";
  }

  /** Where a reply goes: the number the contact last wrote from, else their first mobile. */
  private Optional<String> replyNumber(TenantId tenant, Contact contact) {
    return conversations
        .lastNumber(tenant, contact.id())
        .or(() ->
            contact.phones().stream()
                .filter(p -> p.type() == PhoneType.MOBILE)
                .map(ContactPhone::number)
                .findFirst());
  }

  private Contact model(TenantId tenant, UUID id, String text, Model model) {
    Contact contact = contacts.find(tenant, id).orElseThrow(() -> new NotFoundException("Contact"));
    model.addAttribute("contact", contact);
    model.addAttribute("thread", conversations.thread(tenant, id));
    String number = replyNumber(tenant, contact).orElse(null);
    model.addAttribute("replyNumber", number);
    model.addAttribute("optedOut", number != null && optOuts.isOptedOut(tenant, number));
    model.addAttribute("text", text);
    if (!model.containsAttribute("errors")) {
      model.addAttribute("errors", Map.of());
    }
    return contact;
  }
}
