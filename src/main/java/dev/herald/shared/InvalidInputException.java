package dev.herald.shared;

import java.util.List;

/**
 * Input refused before anything was stored; UI shows the problems at the fields, the API as 422.
 */
public class InvalidInputException extends RuntimeException {

  private final List<FieldProblem> problems;

  public InvalidInputException(List<FieldProblem> problems) {
    super(
        "Invalid input: " + problems.stream().map(FieldProblem::code).toList(), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public InvalidInputException(FieldProblem problem) {
    this(List.of(problem));
  }

  public List<FieldProblem> problems() {
    return problems;
  }
}
