package dev.herald.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problems for every API error, wherever it is answered (controller advice, a filter, the
 * error page, Tomcat's own refusals): title and detail in the request's language, and always {@code
 * application/problem+json}, whatever the request's {@code Accept} said.
 */
@Component
public class Problems {

  /** Answers under this path are problem details; everything else is a page. */
  static final String API_PREFIX = "/api/";

  private final MessageSource messages;
  private final JsonMapper json;

  Problems(MessageSource messages, JsonMapper json) {
    this.messages = messages;
    this.json = json;
  }

  static boolean isApi(String requestUri) {
    return requestUri != null && requestUri.startsWith(API_PREFIX);
  }

  /** A problem with the status's own localized title and detail. */
  public ProblemDetail of(HttpStatusCode status, Locale locale) {
    return of(status, detail(status, locale), locale);
  }

  /** A problem with the status's localized title and the given (already localized) detail. */
  public ProblemDetail of(HttpStatusCode status, String detail, Locale locale) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title(status, locale));
    return problem;
  }

  /** Gives a problem built elsewhere (Spring's, for example) the localized title and detail. */
  ProblemDetail localize(ProblemDetail problem, Locale locale) {
    HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
    problem.setTitle(title(status, locale));
    problem.setDetail(detail(status, locale));
    return problem;
  }

  String title(HttpStatusCode status, Locale locale) {
    HttpStatus known = HttpStatus.resolve(status.value());
    String fallback = known == null ? String.valueOf(status.value()) : known.getReasonPhrase();
    return messages.getMessage("problem.title." + status.value(), null, fallback, locale);
  }

  String detail(HttpStatusCode status, Locale locale) {
    String generic =
        messages.getMessage(
            status.is5xxServerError() ? "problem.detail.5xx" : "problem.detail.4xx", null, locale);
    return messages.getMessage("problem.detail." + status.value(), null, generic, locale);
  }

  /** The problem as an answer of a controller or advice: the content type is fixed, not chosen. */
  static ResponseEntity<Object> entity(ProblemDetail problem, HttpHeaders headers) {
    HttpHeaders all = new HttpHeaders();
    if (headers != null) {
      all.putAll(headers);
    }
    all.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return ResponseEntity.status(problem.getStatus()).headers(all).body(problem);
  }

  static ResponseEntity<Object> entity(ProblemDetail problem) {
    return entity(problem, null);
  }

  /** Writes the problem straight to the response, where no message converter runs. */
  void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
      throws IOException {
    if (problem.getInstance() == null) {
      problem.setInstance(instance(request.getRequestURI()));
    }
    response.setStatus(problem.getStatus());
    // JSON is UTF-8 (RFC 8259), which is what Jackson writes to a stream.
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  String toJson(ProblemDetail problem) {
    return json.writeValueAsString(problem);
  }

  /** The request's path as the problem's instance, or none when it is not a valid URI. */
  static URI instance(String requestUri) {
    try {
      return requestUri == null ? null : URI.create(requestUri);
    } catch (IllegalArgumentException notAUri) {
      return null;
    }
  }
}
