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

  @ExceptionHandler({NotFoundException.class, MethodArgumentTypeMismatchException.class})
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String notFound(org.springframework.ui.Model model) {
    model.addAttribute("status", 404);
    return "error";
  }
}
