package dev.herald.web;

import dev.herald.shared.Language;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.util.WebUtils;

/**
 * {@code ?lang=da} switches the language to one Herald speaks; a language cookie that names none
 * (tampered, or written by something else) is ignored by the resolver and replaced here by the
 * language the request is answered in.
 */
final class LanguageSwitch extends OncePerRequestFilter {

  private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*");

  private final ObjectProvider<LocaleResolver> resolver;

  LanguageSwitch(ObjectProvider<LocaleResolver> resolver) {
    this.resolver = resolver;
  }

  /**
   * A filter, not an MVC interceptor: a page that security refuses (403) or that fails never
   * reaches a handler, and its error page must still speak the language just chosen.
   */
  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Language> asked = Language.fromCode(request.getParameter("lang"));
    if (asked.isPresent()) {
      resolver.getObject().setLocale(request, response, asked.get().locale());
    } else {
      Cookie cookie = WebUtils.getCookie(request, UiLanguages.COOKIE);
      if (cookie != null && spoken(cookie.getValue()).isEmpty()) {
        resolver
            .getObject()
            .setLocale(request, response, UiLanguages.of(request.getLocale()).locale());
      }
    }
    chain.doFilter(request, response);
  }

  static Optional<Language> spoken(String cookieValue) {
    if (cookieValue == null || !TAG.matcher(cookieValue).matches()) {
      return Optional.empty();
    }
    return Language.fromCode(cookieValue.split("[-_]")[0]);
  }
}
