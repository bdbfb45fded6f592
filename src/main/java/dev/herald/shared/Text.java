package dev.herald.shared;

/** Checks on free text typed by people or sent by integrators. */
public final class Text {

  private Text() {}

  /**
   * Control characters (NUL, escapes, …) have no place in a name or an address, and PostgreSQL
   * refuses NUL outright; tab and line breaks are allowed only where {@code multiline}.
   */
  public static boolean hasControlCharacters(String text, boolean multiline) {
    if (text == null) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The message code of what makes a text unfit to store ({@code text.controlCharacters}, {@code
   * text.loneSurrogate}), or empty when it is fine.
   */
  public static java.util.Optional<String> problem(String text, boolean multiline) {
    if (hasControlCharacters(text, multiline)) {
      return java.util.Optional.of("text.controlCharacters");
    }
    if (hasLoneSurrogate(text)) {
      return java.util.Optional.of("text.loneSurrogate");
    }
    return java.util.Optional.empty();
  }

  /** Half of a surrogate pair on its own: not a character, and no database stores it. */
  public static boolean hasLoneSurrogate(String text) {
    if (text == null) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The text without control characters, for search boxes where refusing would be unkind. */
  public static String withoutControlCharacters(String text) {
    if (text == null || !hasControlCharacters(text, false)) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    text.chars().filter(c -> !Character.isISOControl(c)).forEach(c -> sb.append((char) c));
    return sb.toString();
  }
}
