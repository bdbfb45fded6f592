package dev.herald.notification.web;

import dev.herald.contact.Contacts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundMessages;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.HeraldUser;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The start page of a company's users: shortcuts, and per day of the last 30 the SMS and e-mails
 * sent and failed, with the last failures. Operators start in their console.
 */
@Controller
class DashboardController {

  static final int DAYS = 30;

  private final Companies companies;
  private final OutboundMessages outbound;
  private final Contacts contacts;
  private final Clock clock;

  DashboardController(
      Companies companies, OutboundMessages outbound, Contacts contacts, Clock clock) {
    this.companies = companies;
    this.outbound = outbound;
    this.contacts = contacts;
    this.clock = clock;
  }

  @GetMapping("/")
  String dashboard(@AuthenticationPrincipal HeraldUser user, Model model) {
    if (user == null || user.isOperator()) {
      return "redirect:/operator";
    }
    Company company = companies.require(user.tenantId());
    LocalDate today = LocalDate.now(clock.withZone(company.timeZone()));
    LocalDate first = today.minusDays(DAYS - 1L);
    var counts =
        outbound.dailyCounts(
            user.tenantId(),
            company.timeZone(),
            first.atStartOfDay(company.timeZone()).toInstant());
    model.addAttribute(
        "charts",
        List.of(
            DeliveryChart.of(Channel.SMS, counts, today, DAYS),
            DeliveryChart.of(Channel.EMAIL, counts, today, DAYS)));
    var failures = outbound.lastFailures(user.tenantId(), 5);
    model.addAttribute("failures", failures);
    model.addAttribute(
        "contactNames",
        contacts.names(
            user.tenantId(),
            failures.stream()
                .map(m -> m.contactId())
                .filter(Objects::nonNull)
                .collect(Collectors.toSet())));
    model.addAttribute("reasons", new StatusReasons.ForTemplates());
    return "dashboard";
  }
}
