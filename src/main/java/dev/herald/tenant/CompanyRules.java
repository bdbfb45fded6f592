package dev.herald.tenant;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.Text;
import dev.herald.shared.TimeZones;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks company settings; every problem is reported at once, at its field. */
final class CompanyRules {

  /**
   * An alphanumeric sender id: at most 11 characters, letters, digits and spaces (carriers' rule).
   */
  private static final Pattern SENDER = Pattern.compile("[A-Za-z0-9 ]{1,11}");

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  private CompanyRules() {}

  record Checked(String name, String country, ZoneId timeZone, Language language, String sender) {}

  static Checked check(CompanySettings s) {
    List<FieldProblem> problems = new ArrayList<>();
    String name = s.name() == null ? "" : s.name().strip();
    if (name.isEmpty()) {
      problems.add(FieldProblem.of("name", "company.name.required"));
    } else if (name.length() > 200) {
      problems.add(FieldProblem.of("name", "company.name.tooLong", 200));
    } else {
      Text.problem(name, false).ifPresent(code -> problems.add(FieldProblem.of("name", code)));
    }
    String country = s.country() == null ? "" : s.country().strip().toUpperCase(Locale.ROOT);
    if (!COUNTRIES.contains(country)) {
      problems.add(FieldProblem.of("country", "company.country.invalid"));
    }
    ZoneId zone = TimeZones.parse(s.timeZone()).orElse(null);
    if (zone == null) {
      problems.add(FieldProblem.of("timeZone", "timeZone.invalid", String.valueOf(s.timeZone())));
    }
    Language language = Language.fromCode(s.language()).orElse(null);
    if (language == null) {
      problems.add(FieldProblem.of("language", "language.invalid"));
    }
    String sender = s.smsSenderName() == null ? "" : s.smsSenderName().strip();
    if (!sender.isEmpty() && !SENDER.matcher(sender).matches()) {
      problems.add(FieldProblem.of("smsSenderName", "company.sender.invalid"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new Checked(name, country, zone, language, sender.isEmpty() ? null : sender);
  }
}
