package dev.herald.billing.web;

import dev.herald.billing.CreditAlert;
import dev.herald.billing.SmsBilling;
import dev.herald.tenant.HeraldUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Puts the credit alert on every page of a company on packs: a banner while credit is low or used
 * up, and once per log-in (the first page of a session) the "SMS package used up" popup, until
 * credit is added.
 */
@ControllerAdvice(annotations = Controller.class)
class CreditAlertAdvice {

  static final String POPUP_SEEN = "herald.billing.usedUpPopupSeen";

  private final SmsBilling billing;

  CreditAlertAdvice(SmsBilling billing) {
    this.billing = billing;
  }

  @ModelAttribute
  void creditAlert(Model model, HttpServletRequest request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null
        || !(auth.getPrincipal() instanceof HeraldUser user)
        || user.tenantId() == null) {
      return;
    }
    CreditAlert alert = billing.alert(user.tenantId()).orElse(null);
    HttpSession session = request.getSession(false);
    if (alert == null) {
      if (session != null) {
        session.removeAttribute(POPUP_SEEN);
      }
      return;
    }
    model.addAttribute("creditAlert", alert);
    model.addAttribute("creditAlertLinked", user.role().managesCompany());
    // An htmx fragment shows no layout, so it must not use up the popup of the page.
    boolean fullPage = !"true".equals(request.getHeader("HX-Request"));
    if (alert.usedUp() && fullPage && session != null && session.getAttribute(POPUP_SEEN) == null) {
      session.setAttribute(POPUP_SEEN, Boolean.TRUE);
      model.addAttribute("creditPopup", true);
    }
  }
}
