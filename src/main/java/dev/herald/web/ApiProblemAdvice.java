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

  ApiProblemAdvice(MessageSource messages) {
    this.messages = messages;
  }

  @ExceptionHandler
  ProblemDetail invalid(InvalidInputException e, Locale locale) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNPROCESSABLE_CONTENT, messages.getMessage("api.invalid", null, locale));
    problem.setProperty(
        "errors",
        e.problems().stream()
            .map(
                p -> Map.of("field", p.field(), "message", FormErrors.message(p, messages, locale)))
            .toList());
    return problem;
  }

  @ExceptionHandler
  ProblemDetail notFound(NotFoundException e, Locale locale) {
    return ProblemDetail.forStatusAndDetail(
        HttpStatus.NOT_FOUND, messages.getMessage("api.notFound", null, locale));
  }

  @ExceptionHandler
  ProblemDetail stale(StaleEditException e, Locale locale) {
    return ProblemDetail.forStatusAndDetail(
        HttpStatus.CONFLICT, messages.getMessage("edit.stale", null, locale));
  }

  @ExceptionHandler
  ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e, Locale locale) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST, messages.getMessage("api.invalid", null, locale));
    problem.setProperty(
        "errors",
        List.of(
            Map.of(
                "field",
                e.getName(),
                "message",
                messages.getMessage("api.badValue", null, locale))));
    return problem;
  }

  /** A constraint the checks missed: refused, never a 500, and logged so the check gets written. */
  @ExceptionHandler
  ProblemDetail integrity(DataIntegrityViolationException e, Locale locale) {
    // Only the constraint's name: PostgreSQL's detail quotes the row, phone numbers included (K4).
    String constraint =
        e.getMostSpecificCause() instanceof org.postgresql.util.PSQLException pg
                && pg.getServerErrorMessage() != null
            ? pg.getServerErrorMessage().getConstraint()
            : e.getMostSpecificCause().getClass().getSimpleName();
    log.warn("Refused by a database constraint: {}", constraint);
    return ProblemDetail.forStatusAndDetail(
        HttpStatus.CONFLICT, messages.getMessage("api.conflict", null, locale));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Locale locale = request.getLocale();
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST, messages.getMessage("api.unreadable", null, locale));
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
    return ResponseEntity.badRequest().body(problem);
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
