package dev.herald.web;

import dev.herald.shared.InvalidInputException;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import dev.herald.tenant.PasswordResets;
import dev.herald.tenant.Users;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Everyone's own account (their password), and "forgot password" for those who cannot log in. */
@Controller
class AccountController {

  private final Users users;
  private final PasswordResets resets;
  private final MessageSource messages;
  private final dev.herald.tenant.ResetLinks resetLinks;

  AccountController(
      Users users,
      PasswordResets resets,
      MessageSource messages,
      dev.herald.tenant.ResetLinks resetLinks) {
    this.users = users;
    this.resets = resets;
    this.messages = messages;
    this.resetLinks = resetLinks;
  }

  @GetMapping("/account")
  String account() {
    return "account/account";
  }

  @PostMapping("/account/password")
  String changePassword(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String current,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "") String repeat,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    try {
      users.changeOwnPassword(user.id(), current, password, repeat);
      redirect.addFlashAttribute("passwordChanged", true);
      return "redirect:/account";
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return "account/account";
    }
  }

  @GetMapping("/password/forgot")
  String forgot() {
    return "account/forgot";
  }

  /** The same answer whether the address has an account or not. */
  @PostMapping("/password/forgot")
  String sendLink(
      @RequestParam(defaultValue = "") String email,
      HttpServletRequest request,
      RedirectAttributes redirect) {
    String typed = PagesController.typedEmail(email);
    if (!typed.isEmpty()) {
      resets.request(typed, resetLinks.resetPage());
    }
    redirect.addFlashAttribute("linkSent", true);
    return "redirect:/password/forgot";
  }

  @GetMapping("/password/reset")
  String resetForm(@RequestParam(defaultValue = "") String token, Model model) {
    model.addAttribute("token", token);
    model.addAttribute("usable", resets.usable(token));
    return "account/reset";
  }

  @PostMapping("/password/reset")
  String reset(
      @RequestParam(defaultValue = "") String token,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "") String repeat,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    var problems = new java.util.ArrayList<>(Users.passwordProblems("password", password));
    if (!password.equals(repeat)) {
      problems.add(dev.herald.shared.FieldProblem.of("repeat", "account.password.mismatch"));
    }
    if (!problems.isEmpty()) {
      response.setStatus(422);
      model.addAttribute("token", token);
      model.addAttribute("usable", resets.usable(token));
      model.addAttribute("errors", FormErrors.of(problems, messages, locale));
      return "account/reset";
    }
    if (resets.reset(token, password).isEmpty()) {
      response.setStatus(410);
      model.addAttribute("token", "");
      model.addAttribute("usable", false);
      model.addAttribute(
          "errors", Map.of("form", messages.getMessage("passwordReset.expired", null, locale)));
      return "account/reset";
    }
    redirect.addFlashAttribute("passwordReset", true);
    return "redirect:/login";
  }
}
