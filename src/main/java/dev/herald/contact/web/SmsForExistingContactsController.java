package dev.herald.contact.web;

import dev.herald.contact.Contacts;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.HeraldUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * B3's one confirmed action: tick SMS for the existing contacts with a mobile number, after showing
 * how many; opted-out numbers are never touched.
 */
@Controller
@RequestMapping("/settings/company/sms-for-existing")
class SmsForExistingContactsController {

  private final Contacts contacts;
  private final Companies companies;

  SmsForExistingContactsController(Contacts contacts, Companies companies) {
    this.contacts = contacts;
    this.companies = companies;
  }

  @GetMapping
  String confirm(@AuthenticationPrincipal HeraldUser user, Model model) {
    Company company = companies.require(user.tenantId());
    model.addAttribute("smsAvailable", company.smsAvailable());
    model.addAttribute("count", contacts.countSmsDefaultCandidates(user.tenantId()));
    return "settings/sms-for-existing";
  }

  /**
   * Applies only what was confirmed: if the count changed meanwhile, the new count is shown again.
   */
  @PostMapping
  String apply(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "-1") long expected,
      Model model,
      RedirectAttributes redirect) {
    Company company = companies.require(user.tenantId());
    if (!company.smsAvailable()) {
      redirect.addFlashAttribute("smsLocked", true);
      return "redirect:/settings/company";
    }
    if (contacts.countSmsDefaultCandidates(user.tenantId()) != expected) {
      model.addAttribute("changed", true);
      return confirm(user, model);
    }
    redirect.addFlashAttribute("smsTicked", contacts.tickSmsForExistingContacts(user.tenantId()));
    return "redirect:/settings/company";
  }
}
