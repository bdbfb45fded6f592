package dev.herald.shared;

/**
 * A country (ISO 3166 code) given to a message: the message shows its name in the reader's language
 * ("France", "Frankrig"), not the code.
 */
public record RegionName(String code) {

  public String displayName(java.util.Locale locale) {
    String name = java.util.Locale.of("", code).getDisplayCountry(locale);
    return name.isEmpty() ? code : name;
  }

  @Override
  public String toString() {
    return code;
  }
}
