package dev.herald.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.View;
import org.springframework.web.util.WebUtils;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * The first thing every request meets. Parameters that cannot be read (invalid UTF-8, a form over
 * Tomcat's size limit) are the client's mistake: 400 or 413, logged at INFO without a trace,
 * instead of an exception wherever a parameter is first asked for. A database that cannot be
 * reached is a 503 with {@code Retry-After} (problem details under {@code /api/}, the error page
 * elsewhere), logged once per request as a warning without a trace.
 */
@Component
// Right after Boot's CharacterEncodingFilter (UTF-8), before the session filter.
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestEdges extends OncePerRequestFilter {

  /** Seconds a client should wait before it retries while the database is unreachable. */
  static final String RETRY_AFTER_SECONDS = "5";

  private static final Logger log = LoggerFactory.getLogger(RequestEdges.class);

  private final ObjectProvider<Problems> problems;
  private final ObjectProvider<LocaleResolver> languages;
  private final ObjectProvider<ThymeleafViewResolver> views;

  // Providers: a filter is created before most beans, and these are needed only when it answers.
  RequestEdges(
      ObjectProvider<Problems> problems,
      ObjectProvider<LocaleResolver> languages,
      ObjectProvider<ThymeleafViewResolver> views) {
    this.problems = problems;
    this.languages = languages;
    this.views = views;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      if (request.getCharacterEncoding() == null) {
        // Parameters are decoded once, here: as UTF-8, never as Tomcat's ISO-8859-1 default.
        request.setCharacterEncoding("UTF-8");
      }
      request.getParameterMap();
    } catch (IllegalStateException unreadable) {
      int status =
          unreadable instanceof InvalidParameterException tomcat && tomcat.getErrorCode() >= 400
              ? tomcat.getErrorCode()
              : HttpServletResponse.SC_BAD_REQUEST;
      log.info(
          "Refused {} {}: parameters not readable ({})",
          request.getMethod(),
          printable(request.getRequestURI()),
          status);
      // Marks the body as unreadable for the error page's dispatch, so that Spring does not
      // parse a broken multipart body a second time there.
      request.setAttribute(
          WebUtils.ERROR_EXCEPTION_ATTRIBUTE,
          new MultipartException("Request parameters not readable", unreadable));
      response.sendError(status);
      return;
    }
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException failure) {
      if (!response.isCommitted() && isUnreadablePath(failure)) {
        // A path Spring cannot decode (a "%" without its two digits after a ";"): the client's.
        log.info(
            "Refused {} {}: path not readable",
            request.getMethod(),
            printable(request.getRequestURI()));
        response.resetBuffer();
        answer(
            request,
            response,
            HttpStatus.BAD_REQUEST,
            problems.getObject(),
            languages.getObject(),
            views.getObject());
        return;
      }
      if (!DatabaseUnavailable.isCause(failure) || response.isCommitted()) {
        throw failure;
      }
      log.warn(
          "Database unreachable, answered 503 to {} {}: {}",
          request.getMethod(),
          printable(request.getRequestURI()),
          rootMessage(failure));
      unavailable(request, response);
    }
  }

  /** Spring's path parsing refused the request's path (it decodes path parameters itself). */
  private static boolean isUnreadablePath(Throwable failure) {
    if (!(failure instanceof IllegalArgumentException)) {
      return false;
    }
    for (StackTraceElement frame : failure.getStackTrace()) {
      if (frame.getClassName().equals("org.springframework.http.server.DefaultPathContainer")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Answered here rather than through the error page: its dispatch would run the session and
   * security filters again, and they need the database.
   */
  private void unavailable(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    response.resetBuffer();
    response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
    answer(
        request,
        response,
        HttpStatus.SERVICE_UNAVAILABLE,
        problems.getObject(),
        languages.getObject(),
        views.getObject());
  }

  /**
   * Answers {@code status} without Spring MVC or the error page's dispatch: problem details when
   * the request (or, on an error dispatch, the request that failed) is under {@code /api/}, the
   * {@code error} page otherwise, both in the request's language. Reads no header but the language
   * cookie and {@code Accept-Language}.
   */
  static void answer(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      Problems problems,
      LocaleResolver languages,
      ThymeleafViewResolver views)
      throws ServletException, IOException {
    response.setStatus(status.value());
    Locale locale = languages.resolveLocale(request);
    String uri =
        request.getDispatcherType() == DispatcherType.ERROR
            ? String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI))
            : request.getRequestURI();
    if (Problems.isApi(uri)) {
      ProblemDetail problem = problems.of(status, locale);
      problem.setInstance(Problems.instance(uri));
      problems.write(request, response, problem);
      return;
    }
    request.setAttribute(DispatcherServlet.LOCALE_RESOLVER_ATTRIBUTE, languages);
    // The CSRF token is read lazily from the session, which lives in the unreachable database:
    // the 503 page has no form, so it is drawn without one.
    request.removeAttribute("_csrf");
    request.removeAttribute(org.springframework.security.web.csrf.CsrfToken.class.getName());
    try {
      View page = views.resolveViewName("error", locale);
      if (page != null) {
        page.render(
            Map.of("status", status.value(), "uiLanguage", UiLanguages.of(locale)),
            request,
            response);
      }
    } catch (Exception e) {
      throw new ServletException("Could not draw the " + status.value() + " page", e);
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && depth < 32; depth++) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** A path as it may go into a log line: no control characters, not unbounded. */
  static String printable(String s) {
    if (s == null) {
      return "(no path)";
    }
    String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
