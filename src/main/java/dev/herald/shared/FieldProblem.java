package dev.herald.shared;

import java.util.List;

/**
 * One thing wrong with what a person or an integrator sent: the field (as the form or JSON names
 * it, e.g. {@code phones[1].number}), a message code of the bundles, and its arguments.
 */
public record FieldProblem(String field, String code, List<Object> args) {

  public static FieldProblem of(String field, String code, Object... args) {
    return new FieldProblem(field, code, List.of(args));
  }
}
