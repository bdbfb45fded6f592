package dev.herald.web;

import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.StaleEditException;
import dev.herald.tenant.FormErrors;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * REST controllers answer errors as {@code application/problem+json} (RFC 9457), in the request's
 * language, with {@code errors: [{field, message}]} for input that was refused.
 */
@RestControllerAdvice(annotations = RestController.class)
// Before UiErrorAdvice, which matches @RestController too (it is a meta-annotated @Controller).
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiProblemAdvice.class);

  private final MessageSource messages;
  private final Problems problems;

  ApiProblemAdvice(MessageSource messages, Problems problems) {
    this.messages = messages;
    this.problems = problems;
  }

  @ExceptionHandler
  ResponseEntity<Object> invalid(InvalidInputException e, Locale locale) {
    ProblemDetail problem =
        problems.of(
            HttpStatus.UNPROCESSABLE_CONTENT,
            messages.getMessage("api.invalid", null, locale),
            locale);
    problem.setProperty(
        "errors",
        e.problems().stream()
            .map(
                p -> Map.of("field", p.field(), "message", FormErrors.message(p, messages, locale)))
            .toList());
    return Problems.entity(problem);
  }

  @ExceptionHandler
  ResponseEntity<Object> notFound(NotFoundException e, Locale locale) {
    return Problems.entity(
        problems.of(
            HttpStatus.NOT_FOUND, messages.getMessage("api.notFound", null, locale), locale));
  }

  @ExceptionHandler
  ResponseEntity<Object> stale(StaleEditException e, Locale locale) {
    return Problems.entity(
        problems.of(HttpStatus.CONFLICT, messages.getMessage("edit.stale", null, locale), locale));
  }

  /** A malformed id in the path names nothing that exists (404); a malformed parameter is a 400. */
  @ExceptionHandler
  ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e, Locale locale) {
    if (e.getParameter().hasParameterAnnotation(PathVariable.class)) {
      return notFound(null, locale);
    }
    ProblemDetail problem =
        problems.of(
            HttpStatus.BAD_REQUEST, messages.getMessage("api.invalid", null, locale), locale);
    problem.setProperty(
        "errors",
        List.of(
            Map.of(
                "field",
                e.getName(),
                "message",
                messages.getMessage("api.badValue", null, locale))));
    return Problems.entity(problem);
  }

  /** A constraint the checks missed: refused, never a 500, and logged so the check gets written. */
  @ExceptionHandler
  ResponseEntity<Object> integrity(DataIntegrityViolationException e, Locale locale) {
    // Only the constraint's name: PostgreSQL's detail quotes the row, phone numbers included (K4).
    String constraint =
        e.getMostSpecificCause() instanceof org.postgresql.util.PSQLException pg
                && pg.getServerErrorMessage() != null
            ? pg.getServerErrorMessage().getConstraint()
            : e.getMostSpecificCause().getClass().getSimpleName();
    log.warn("Refused by a database constraint: {}", constraint);
    return Problems.entity(
        problems.of(
            HttpStatus.CONFLICT, messages.getMessage("api.conflict", null, locale), locale));
  }

  /**
   * Spring's own refusals (method, media type, missing parameter, ...) with the status's title and
   * detail in the request's language, and always as {@code application/problem+json}: an {@code
   * Accept} the request cannot be answered in does not leave the error without a body.
   */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    ProblemDetail problem =
        body instanceof ProblemDetail spring
            ? problems.localize(spring, LocaleContextHolder.getLocale())
            : problems.of(statusCode, LocaleContextHolder.getLocale());
    problem.setStatus(statusCode.value());
    return Problems.entity(problem, headers);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Locale locale = LocaleContextHolder.getLocale();
    ProblemDetail problem =
        problems.of(
            HttpStatus.BAD_REQUEST, messages.getMessage("api.unreadable", null, locale), locale);
    if (ex.getCause() instanceof DatabindException bad && !bad.getPath().isEmpty()) {
      problem.setProperty(
          "errors",
          List.of(
              Map.of(
                  "field",
                  jsonPath(bad),
                  "message",
                  messages.getMessage("api.badValue", null, locale))));
    } else if (ex.getCause() instanceof JacksonException) {
      problem.setDetail(messages.getMessage("api.malformed", null, locale));
    }
    return Problems.entity(problem, headers);
  }

  private static String jsonPath(DatabindException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
