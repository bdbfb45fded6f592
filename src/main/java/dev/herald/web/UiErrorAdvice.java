package dev.herald.web;

import dev.herald.shared.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Pages: another company's id, a deleted record or a malformed id all answer the 404 page. */
@ControllerAdvice(annotations = Controller.class)
class UiErrorAdvice {

  @ExceptionHandler(NotFoundException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String notFound(org.springframework.ui.Model model) {
    model.addAttribute("status", 404);
    return "error";
  }

  /**
   * A malformed id in the path is a page that does not exist; a malformed parameter is a bad
   * request.
   */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  String badValue(
      MethodArgumentTypeMismatchException e,
      org.springframework.ui.Model model,
      jakarta.servlet.http.HttpServletResponse response) {
    boolean pathId =
        e.getParameter()
            .hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class);
    int status = pathId ? 404 : 400;
    response.setStatus(status);
    model.addAttribute("status", status);
    return "error";
  }
}
