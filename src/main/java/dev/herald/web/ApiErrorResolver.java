package dev.herald.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Problem details for API requests that fail before any controller method is chosen (an unknown
 * path, a method or content type the endpoint does not take): controller advice never sees those,
 * and Spring Boot's default error body is not RFC 9457.
 */
@Component
class ApiErrorResolver implements HandlerExceptionResolver, Ordered {

  private final Problems problems;

  ApiErrorResolver(Problems problems) {
    this.problems = problems;
  }

  @Override
  public int getOrder() {
    // Before Spring MVC's default resolver, which would send a bare status to Boot's error page.
    return -1;
  }

  @Override
  public ModelAndView resolveException(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    // A chosen controller method's errors are ApiProblemAdvice's.
    if (handler instanceof HandlerMethod
        || !Problems.isApi(request.getRequestURI())
        || !(ex instanceof ErrorResponse error)) {
      return null;
    }
    try {
      ProblemDetail problem = problems.localize(error.getBody(), LocaleContextHolder.getLocale());
      error
          .getHeaders()
          .forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
      problems.write(request, response, problem);
      return new ModelAndView();
    } catch (IOException e) {
      return null;
    }
  }
}
