package dev.herald.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * What Spring Security's firewall refuses ({@code //}, {@code ;} or {@code %2e%2e} in the path, a
 * header value with a control character such as U+0085 that Tomcat let through): a 400 with problem
 * details under {@code /api/}, the error page elsewhere, both in the request's language, logged at
 * INFO without a trace.
 *
 * <p>Answered here, not with Spring Security's default {@code sendError(400)}: the firewall checks
 * header values only when one is read (the {@code Accept} header, say, by content negotiation in a
 * controller), and the error page's dispatch runs the security filters again, reads the same
 * header, is refused again, and leaves the 400 without a body or a content type. Spring Security
 * uses this bean for every security filter chain (it is the only {@link RequestRejectedHandler}).
 */
@Component
class FirewallRefusals implements RequestRejectedHandler {

  private static final Logger log = LoggerFactory.getLogger(FirewallRefusals.class);

  private final ObjectProvider<Problems> problems;
  private final ObjectProvider<LocaleResolver> languages;
  private final ObjectProvider<ThymeleafViewResolver> views;

  FirewallRefusals(
      ObjectProvider<Problems> problems,
      ObjectProvider<LocaleResolver> languages,
      ObjectProvider<ThymeleafViewResolver> views) {
    this.problems = problems;
    this.languages = languages;
    this.views = views;
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
      throws IOException, ServletException {
    // Not the exception's message: it quotes the refused value, which may be a secret.
    log.info(
        "Refused {} {}: not allowed by the firewall",
        RequestEdges.printable(request.getMethod()),
        RequestEdges.printable(request.getRequestURI()));
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    RequestEdges.answer(
        request,
        response,
        HttpStatus.BAD_REQUEST,
        problems.getObject(),
        languages.getObject(),
        views.getObject());
  }
}
