package dev.herald.web;

import dev.herald.tenant.HeraldUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The log-in page and the dashboard shell. */
@Controller
class PagesController {

  @GetMapping("/login")
  String login() {
    return "login";
  }

  @GetMapping("/")
  String dashboard(@AuthenticationPrincipal HeraldUser user) {
    if (user != null && user.isOperator()) {
      return "redirect:/operator";
    }
    return "dashboard";
  }
}
