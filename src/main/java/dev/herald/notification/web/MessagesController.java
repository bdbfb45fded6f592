package dev.herald.notification.web;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageFilter;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.OutboundMessages;
import dev.herald.notification.ChannelChoice;
import dev.herald.notification.SendingMessages;
import dev.herald.notification.SendingMessages.Sent;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.tenant.Companies;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Writing a message on a contact's page, and the Sent messages pages (C3, G1). */
@Controller
class MessagesController {

  private static final int PAGE_SIZE = 25;

  private final SendingMessages sending;
  private final OutboundMessages outbound;
  private final Contacts contacts;
  private final Companies companies;
  private final MessageSource messages;

  MessagesController(
      SendingMessages sending,
      OutboundMessages outbound,
      Contacts contacts,
      Companies companies,
      MessageSource messages) {
    this.sending = sending;
    this.outbound = outbound;
    this.contacts = contacts;
    this.companies = companies;
    this.messages = messages;
  }

  /**
   * The compose box on a contact's page, loaded by htmx: where the message would go, and the
   * counter.
   */
  @GetMapping("/contacts/{id}/compose")
  String compose(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    composeModel(user, id, "", model);
    return "messages/compose :: compose";
  }

  @PostMapping("/contacts/{id}/messages")
  String send(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String text,
      @RequestHeader(name = "HX-Request", required = false) String htmx,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    boolean fragment = "true".equals(htmx);
    try {
      Sent sent = sending.send(user.tenantId(), id, text);
      if (sent.messages().isEmpty()) {
        // No channel open: nothing was queued, and the text stays for when one is.
        response.setStatus(422);
        composeModel(user, id, text, model);
        model.addAttribute(
            "errors", Map.of("form", messages.getMessage("compose.nothingSent", null, locale)));
        return fragment ? "messages/compose :: compose" : "messages/compose-page";
      }
      if (!fragment) {
        // Flash attributes live in the JDBC session, so only a plain number goes there.
        redirect.addFlashAttribute("queuedCount", sent.messages().size());
        return "redirect:/messages?contactId=" + id;
      }
      composeModel(user, id, "", model);
      model.addAttribute("sent", sent);
    } catch (InvalidInputException e) {
      response.setStatus(422);
      composeModel(user, id, text, model);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      // With htmx the live counter says why the text cannot go; without, the error says it.
      model.addAttribute("counterSaysIt", fragment);
      if (!fragment) {
        return "messages/compose-page";
      }
    }
    return "messages/compose :: compose";
  }

  @GetMapping("/messages")
  String list(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String channel,
      @RequestParam(required = false) UUID contactId,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    MessageStatus statusFilter =
        status == null ? null : MessageStatus.fromCode(status).orElse(null);
    Channel channelFilter = Channel.parse(channel).orElse(null);
    model.addAttribute("statuses", MessageStatus.values());
    model.addAttribute("channels", Channel.values());
    model.addAttribute("status", statusFilter);
    model.addAttribute("channel", channelFilter);
    model.addAttribute("contactId", contactId);
    if (contactId != null) {
      contacts.find(user.tenantId(), contactId).ifPresent(c -> model.addAttribute("contact", c));
    }
    var result =
        outbound.search(
            user.tenantId(),
            new MessageFilter(statusFilter, channelFilter, contactId),
            Math.max(0, page),
            PAGE_SIZE);
    model.addAttribute("result", result);
    model.addAttribute(
        "contactNames",
        contacts.names(
            user.tenantId(),
            result.items().stream()
                .map(m -> m.contactId())
                .filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toSet())));
    model.addAttribute("reasons", new StatusReasons.ForTemplates());
    return "messages/list";
  }

  @GetMapping("/messages/{id}")
  String detail(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id, Model model) {
    var message =
        outbound.find(user.tenantId(), id).orElseThrow(() -> new NotFoundException("Message"));
    model.addAttribute("message", message);
    model.addAttribute("reasons", new StatusReasons.ForTemplates());
    if (message.contactId() != null) {
      contacts
          .find(user.tenantId(), message.contactId())
          .ifPresent(c -> model.addAttribute("contact", c));
    }
    return "messages/detail";
  }

  private void composeModel(HeraldUser user, UUID contactId, String text, Model model) {
    Contact contact =
        contacts
            .find(user.tenantId(), contactId)
            .orElseThrow(() -> new NotFoundException("Contact"));
    var company = companies.require(user.tenantId());
    model.addAttribute("contact", contact);
    model.addAttribute("choice", ChannelChoice.of(company, contact));
    model.addAttribute("text", text);
  }
}
