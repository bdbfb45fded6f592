package dev.herald.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The log-in page (the dashboard is the notification module's: it shows messages). */
@Controller
class PagesController {

  /** Session attribute: the e-mail of a failed log-in, shown once in the form again. */
  static final String LAST_EMAIL = "herald.login.email";

  @GetMapping("/login")
  String login(
      jakarta.servlet.http.HttpServletRequest request, org.springframework.ui.Model model) {
    var session = request.getSession(false);
    if (session != null && session.getAttribute(LAST_EMAIL) instanceof String email) {
      session.removeAttribute(LAST_EMAIL);
      model.addAttribute("email", email);
    }
    return "login";
  }

  /** What was typed as e-mail, fit to show again: no control characters, not endless. */
  static String typedEmail(String typed) {
    String s = dev.herald.shared.Text.withoutControlCharacters(typed == null ? "" : typed).strip();
    if (dev.herald.shared.Text.hasLoneSurrogate(s) || s.length() > 320) {
      return "";
    }
    return s;
  }
}
