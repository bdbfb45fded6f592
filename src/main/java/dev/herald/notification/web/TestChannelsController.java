package dev.herald.notification.web;

import dev.herald.delivery.MailSink;
import dev.herald.delivery.SimulatedReplies;
import dev.herald.delivery.SimulatorRecords;
import dev.herald.shared.InvalidInputException;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What the embedded default "delivered": the SMS the built-in simulator received and the e-mails
 * the mail sink received, for the signed-in company, so nothing sent in a demo disappears unseen.
 */
@Controller
class TestChannelsController {

  private static final int PAGE_SIZE = 25;

  private final SimulatorRecords simulator;
  private final MailSink mailSink;
  private final SimulatedReplies replies;
  private final MessageSource messages;

  TestChannelsController(
      SimulatorRecords simulator,
      MailSink mailSink,
      SimulatedReplies replies,
      MessageSource messages) {
    this.simulator = simulator;
    this.mailSink = mailSink;
    this.replies = replies;
    this.messages = messages;
  }

  @GetMapping("/messages/simulator")
  String simulator(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    model.addAttribute("result", simulator.of(user.tenantId(), Math.max(0, page), PAGE_SIZE));
    return "messages/simulator";
  }

  /**
   * "Reply as this customer": the text goes in as an SMS from the recipient of simulated SMS {@code
   * id} to the address it came from, through the inbound path a carrier's reply takes.
   */
  @PostMapping("/messages/simulator/{id}/reply")
  String reply(
      @AuthenticationPrincipal HeraldUser user,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String text,
      Locale locale,
      RedirectAttributes redirect) {
    try {
      replies.reply(user.tenantId(), id, text);
      redirect.addFlashAttribute("repliedTo", id);
    } catch (InvalidInputException e) {
      redirect.addFlashAttribute("replyErrorFor", id);
      redirect.addFlashAttribute(
          "replyError", FormErrors.message(e.problems().getFirst(), messages, locale));
      redirect.addFlashAttribute("replyText", text);
    }
    return "redirect:/messages/simulator";
  }

  @GetMapping("/messages/mail-sink")
  String mailSink(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    model.addAttribute("result", mailSink.of(user.tenantId(), Math.max(0, page), PAGE_SIZE));
    return "messages/mail-sink";
  }
}
