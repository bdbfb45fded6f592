package dev.herald.web;

import dev.herald.tenant.HeraldUser;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What the page header needs, read from the request itself ({@code @layout.section()} in
 * templates): error pages and exception handlers get no model from {@link LayoutAdvice}, and they
 * must still show the menu, the log-out button and the language switch.
 */
@Component("layout")
public class LayoutInfo {

  /**
   * The signed-in person, or null; also null when the session cannot be read (the 503 page drawn
   * while the database is unreachable loads the security context lazily from the session table).
   */
  public HeraldUser currentUser() {
    try {
      Authentication auth = SecurityContextHolder.getContext().getAuthentication();
      return auth != null && auth.getPrincipal() instanceof HeraldUser user ? user : null;
    } catch (RuntimeException sessionUnreadable) {
      if (!DatabaseUnavailable.isCause(sessionUnreadable)) {
        throw sessionUnreadable;
      }
      return null;
    }
  }

  /**
   * The menu entry the page belongs to ({@code dashboard}, {@code contacts}, {@code documents},
   * {@code messages}, {@code settings}, {@code operator}, {@code account}), for an error page the
   * one of the address that failed.
   */
  public String section() {
    if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs)) {
      return "";
    }
    HttpServletRequest request = attrs.getRequest();
    Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String path = failed instanceof String uri ? uri : request.getRequestURI();
    String context = request.getContextPath();
    if (context != null && !context.isEmpty() && path.startsWith(context)) {
      path = path.substring(context.length());
    }
    return sectionOf(path);
  }

  static String sectionOf(String path) {
    if (path == null || path.isEmpty() || "/".equals(path)) {
      return "dashboard";
    }
    for (String section :
        new String[] {"contacts", "documents", "messages", "settings", "operator", "account"}) {
      if (path.equals("/" + section) || path.startsWith("/" + section + "/")) {
        return section;
      }
    }
    return "";
  }
}
