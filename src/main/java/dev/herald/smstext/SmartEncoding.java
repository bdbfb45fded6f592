package dev.herald.smstext;

/**
 * Look-alike punctuation and spaces, each with a GSM-7 stand-in (F3). No letter or digit is ever a
 * key: an accented letter outside GSM-7 must keep its message in UCS-2 rather than be misspelt.
 */
final class SmartEncoding {

  private static final int FULLWIDTH_FIRST = '\uFF01';
  private static final int FULLWIDTH_LAST = '\uFF5E';
  private static final int FULLWIDTH_TO_ASCII = 0xFEE0;
  private static final String[] ASCII = new String[128];

  static {
    for (char c = ' '; c < 128; c++) {
      ASCII[c] = String.valueOf(c);
    }
  }

  private SmartEncoding() {}

  /** The GSM-7 stand-in for c ("" to drop it), or null when c is kept as it is. */
  static String replacementFor(char c) {
    if (c < 0x80 && c != '\t' && c != '`') {
      return null;
    }
    if (c >= FULLWIDTH_FIRST && c <= FULLWIDTH_LAST) {
      // Fullwidth letters and digits are letters and digits: only the punctuation is swapped.
      if (Character.isLetterOrDigit(c)) {
        return null;
      }
      char ascii = (char) (c - FULLWIDTH_TO_ASCII);
      return ascii == '`' ? "'" : ASCII[ascii];
    }
    return switch (c) {
      case '\t',
          '\u00A0',
          '\u1680',
          '\u2000',
          '\u2001',
          '\u2002',
          '\u2003',
          '\u2004',
          '\u2005',
          '\u2006',
          '\u2007',
          '\u2008',
          '\u2009',
          '\u200A',
          '\u202F',
          '\u205F',
          '\u3000' ->
          " ";
      case '\u0085', '\u2028', '\u2029' -> "\n";
      // Invisible characters: dropping them changes nothing a reader sees. ZWJ and ZWNJ stay,
      // because they shape emoji sequences and some scripts.
      case '\u00AD', '\u200B', '\u2060', '\uFEFF' -> "";
      case '`',
          '\u00B4',
          '\u2018',
          '\u2019',
          '\u201A',
          '\u201B',
          '\u2032',
          '\u2035',
          '\u2039',
          '\u203A' ->
          "'";
      // Guillemets become straight double quotes: the direction is lost, the quoting is not,
      // and keeping them would double the message's cost in UCS-2.
      case '\u00AB',
          '\u00BB',
          '\u201C',
          '\u201D',
          '\u201E',
          '\u201F',
          '\u2033',
          '\u2036',
          '\u301D',
          '\u301E',
          '\u301F' ->
          "\"";
      case '\u2010',
          '\u2011',
          '\u2012',
          '\u2013',
          '\u2014',
          '\u2015',
          '\u2022',
          '\u2023',
          '\u2043',
          '\u2212',
          '\u2E3A',
          '\u2E3B',
          '\uFE58',
          '\uFE63' ->
          "-";
      case '\u2024' -> ".";
      case '\u2025' -> "..";
      case '\u2026' -> "...";
      case '\u2044', '\u2215' -> "/";
      case '\u02DC', '\u2053' -> "~";
      default -> null;
    };
  }

  /** The text with every look-alike replaced; the same instance when there is none. */
  static String apply(String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      String replacement = replacementFor(text.charAt(i));
      if (replacement != null) {
        return replaceFrom(text, i, replacement);
      }
    }
    return text;
  }

  private static String replaceFrom(String text, int first, String firstReplacement) {
    int length = text.length();
    StringBuilder encoded = new StringBuilder(length + 8);
    encoded.append(text, 0, first).append(firstReplacement);
    for (int i = first + 1; i < length; i++) {
      char c = text.charAt(i);
      String replacement = replacementFor(c);
      if (replacement == null) {
        encoded.append(c);
      } else {
        encoded.append(replacement);
      }
    }
    return encoded.toString();
  }
}
