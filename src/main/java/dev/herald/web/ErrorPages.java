package dev.herald.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Every error that reaches the servlet container's error page (an exception nothing handled, a
 * {@code sendError} from a filter or from Spring): problem details for requests under {@code
 * /api/}, the error page for everything else. Asked for directly, {@code /error} is a page that
 * does not exist.
 */
@Controller
class ErrorPages implements ErrorController {

  private final Problems problems;

  ErrorPages(Problems problems) {
    this.problems = problems;
  }

  @RequestMapping("/error")
  ModelAndView error(HttpServletRequest request, HttpServletResponse response, Locale locale)
      throws IOException {
    boolean forwarded = request.getDispatcherType() == DispatcherType.ERROR;
    Object code = forwarded ? request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) : null;
    int status = code instanceof Integer c && c >= 400 && c <= 599 ? c : 404;
    String uri =
        forwarded
            ? String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI))
            : request.getRequestURI();
    if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
      response.setHeader("Retry-After", RequestEdges.RETRY_AFTER_SECONDS);
    }
    if (Problems.isApi(uri)) {
      ProblemDetail problem = problems.of(HttpStatusCode.valueOf(status), locale);
      problem.setInstance(Problems.instance(uri));
      problems.write(request, response, problem);
      return null;
    }
    HttpStatusCode pageStatus =
        HttpStatus.resolve(status) != null ? HttpStatus.valueOf(status) : HttpStatus.BAD_REQUEST;
    return new ModelAndView("error", Map.of("status", status), pageStatus);
  }
}
