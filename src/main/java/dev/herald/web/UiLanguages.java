package dev.herald.web;

import dev.herald.shared.Language;
import java.util.Locale;

/** Maps whatever locale a request carries to one of the languages Herald speaks. */
final class UiLanguages {

  /** The cookie that remembers the language a person chose. */
  static final String COOKIE = "herald-lang";

  private UiLanguages() {}

  static Language of(Locale locale) {
    return locale == null
        ? Language.EN
        : Language.fromCode(locale.getLanguage()).orElse(Language.EN);
  }
}
