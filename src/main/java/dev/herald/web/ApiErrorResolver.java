package dev.herald.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details for API requests that fail before any controller method is chosen (an unknown
 * path, a method or content type the endpoint does not take): controller advice never sees those,
 * and Spring Boot's default error body is not RFC 9457.
 */
@Component
class ApiErrorResolver implements HandlerExceptionResolver, Ordered {

  private final JsonMapper json;

  ApiErrorResolver(JsonMapper json) {
    this.json = json;
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
        || !request.getRequestURI().startsWith("/api/")
        || !(ex instanceof ErrorResponse error)) {
      return null;
    }
    try {
      ProblemDetail problem = error.getBody();
      problem.setInstance(URI.create(request.getRequestURI()));
      error
          .getHeaders()
          .forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
      response.setStatus(error.getStatusCode().value());
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      json.writeValue(response.getOutputStream(), problem);
      return new ModelAndView();
    } catch (IOException e) {
      return null;
    }
  }
}
