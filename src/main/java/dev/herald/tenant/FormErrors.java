package dev.herald.tenant;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.RegionName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;

/**
 * Turns field problems into the messages a form shows next to each field, in the user's language.
 */
public final class FormErrors {

  private FormErrors() {}

  public static Map<String, String> of(
      List<FieldProblem> problems, MessageSource messages, Locale locale) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (FieldProblem p : problems) {
      errors.merge(field(p), message(p, messages, locale), (a, b) -> a + " " + b);
    }
    return errors;
  }

  public static String message(FieldProblem p, MessageSource messages, Locale locale) {
    Object[] args =
        p.args().stream()
            .map(a -> a instanceof RegionName region ? region.displayName(locale) : a)
            .toArray();
    return messages.getMessage(p.code(), args, p.code(), locale);
  }

  private static String field(FieldProblem p) {
    return p.field();
  }
}
