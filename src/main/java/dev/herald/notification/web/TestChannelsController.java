package dev.herald.notification.web;

import dev.herald.delivery.MailSink;
import dev.herald.delivery.SimulatorRecords;
import dev.herald.tenant.HeraldUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * What the embedded default "delivered": the SMS the built-in simulator received and the e-mails
 * the mail sink received, for the signed-in company, so nothing sent in a demo disappears unseen.
 */
@Controller
class TestChannelsController {

  private static final int PAGE_SIZE = 25;

  private final SimulatorRecords simulator;
  private final MailSink mailSink;

  TestChannelsController(SimulatorRecords simulator, MailSink mailSink) {
    this.simulator = simulator;
    this.mailSink = mailSink;
  }

  @GetMapping("/messages/simulator")
  String simulator(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    model.addAttribute("result", simulator.of(user.tenantId(), Math.max(0, page), PAGE_SIZE));
    return "messages/simulator";
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
