package dev.herald.shared;

import java.util.ArrayList;
import java.util.List;

/** The page and size a list endpoint accepts: page 0 or more, size 1 to {@link #MAX_SIZE}. */
public final class Paging {

  public static final int MAX_SIZE = 100;

  private Paging() {}

  /** Refuses a page or size outside the range, naming the parameter. */
  public static void check(int page, int size) {
    List<FieldProblem> problems = new ArrayList<>();
    if (page < 0) {
      problems.add(FieldProblem.of("page", "api.page.invalid"));
    }
    if (size < 1 || size > MAX_SIZE) {
      problems.add(FieldProblem.of("size", "api.size.invalid", MAX_SIZE));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }
}
