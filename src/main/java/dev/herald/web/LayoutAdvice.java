package dev.herald.web;

import dev.herald.shared.Language;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.HeraldUser;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's layout shows: who is signed in, their company, the current language. */
@ControllerAdvice(annotations = Controller.class)
class LayoutAdvice {

  private final Companies companies;

  LayoutAdvice(Companies companies) {
    this.companies = companies;
  }

  @ModelAttribute("currentUser")
  HeraldUser currentUser() {
    try {
      Authentication auth = SecurityContextHolder.getContext().getAuthentication();
      return auth != null && auth.getPrincipal() instanceof HeraldUser user ? user : null;
    } catch (RuntimeException e) {
      return unlessDatabaseUnavailable(e);
    }
  }

  @ModelAttribute("currentCompany")
  Company currentCompany() {
    HeraldUser user = currentUser();
    try {
      return user == null || user.tenantId() == null
          ? null
          : companies.find(user.tenantId()).orElse(null);
    } catch (RuntimeException e) {
      return unlessDatabaseUnavailable(e);
    }
  }

  /**
   * The 503 page is drawn while the database is unreachable: the session (and so the signed-in
   * user) and the company cannot be loaded then, and the page goes without them.
   */
  private static <T> T unlessDatabaseUnavailable(RuntimeException e) {
    if (DatabaseUnavailable.isCause(e)) {
      return null;
    }
    throw e;
  }

  /** The password rule, shown beside every password field before it is broken. */
  @ModelAttribute("minPasswordLength")
  int minPasswordLength() {
    return dev.herald.tenant.Users.MIN_PASSWORD_LENGTH;
  }

  @ModelAttribute("uiLanguage")
  Language uiLanguage(Locale locale) {
    return UiLanguages.of(locale);
  }
}
