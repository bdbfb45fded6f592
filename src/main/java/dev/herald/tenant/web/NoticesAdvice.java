package dev.herald.tenant.web;

import dev.herald.tenant.HeraldUser;
import dev.herald.tenant.Notices;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The bell in the page header: how many of the company's notices are unread. */
@ControllerAdvice(annotations = Controller.class)
class NoticesAdvice {

  private final Notices notices;

  NoticesAdvice(Notices notices) {
    this.notices = notices;
  }

  @ModelAttribute
  void unreadNotices(Model model) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof HeraldUser user && user.tenantId() != null) {
      model.addAttribute("unreadNotices", notices.unreadCount(user.tenantId()));
    }
  }
}
