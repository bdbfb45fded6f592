package dev.herald.shared;

import java.util.Locale;
import java.util.Optional;

/** The languages Herald speaks to users and customers. */
public enum Language {
  EN("en"),
  FR("fr"),
  DA("da");

  private final String code;

  Language(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public Locale locale() {
    return Locale.forLanguageTag(code);
  }

  public static Optional<Language> fromCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    for (Language language : values()) {
      if (language.code.equalsIgnoreCase(code.trim())) {
        return Optional.of(language);
      }
    }
    return Optional.empty();
  }
}
