package dev.herald.smstext;

import java.util.List;

/**
 * The 3GPP TS 23.038 tables and look-alike characters written out again, independently of the
 * production code, so that a slip in either shows up as a failing test.
 */
final class SmsTextFixtures {

  static final int ESCAPE = 0x1B;

  /** TS 23.038 6.2.1, index = septet; 0x1B is the escape and stands for no character. */
  static final char[] BASIC_TABLE = {
    // 0x00
    '\u0040',
    '\u00A3',
    '\u0024',
    '\u00A5',
    '\u00E8',
    '\u00E9',
    '\u00F9',
    '\u00EC',
    '\u00F2',
    '\u00C7',
    '\n',
    '\u00D8',
    '\u00F8',
    '\r',
    '\u00C5',
    '\u00E5',
    // 0x10: Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ ESC Æ æ ß É
    '\u0394',
    '\u005F',
    '\u03A6',
    '\u0393',
    '\u039B',
    '\u03A9',
    '\u03A0',
    '\u03A8',
    '\u03A3',
    '\u0398',
    '\u039E',
    '\u001B',
    '\u00C6',
    '\u00E6',
    '\u00DF',
    '\u00C9',
    // 0x20
    ' ',
    '!',
    '"',
    '#',
    '\u00A4',
    '%',
    '&',
    '\'',
    '(',
    ')',
    '*',
    '+',
    ',',
    '-',
    '.',
    '/',
    // 0x30
    '0',
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '7',
    '8',
    '9',
    ':',
    ';',
    '<',
    '=',
    '>',
    '?',
    // 0x40
    '\u00A1',
    'A',
    'B',
    'C',
    'D',
    'E',
    'F',
    'G',
    'H',
    'I',
    'J',
    'K',
    'L',
    'M',
    'N',
    'O',
    // 0x50: ... Ä Ö Ñ Ü §
    'P',
    'Q',
    'R',
    'S',
    'T',
    'U',
    'V',
    'W',
    'X',
    'Y',
    'Z',
    '\u00C4',
    '\u00D6',
    '\u00D1',
    '\u00DC',
    '\u00A7',
    // 0x60
    '\u00BF',
    'a',
    'b',
    'c',
    'd',
    'e',
    'f',
    'g',
    'h',
    'i',
    'j',
    'k',
    'l',
    'm',
    'n',
    'o',
    // 0x70: ... ä ö ñ ü à
    'p',
    'q',
    'r',
    's',
    't',
    'u',
    'v',
    'w',
    'x',
    'y',
    'z',
    '\u00E4',
    '\u00F6',
    '\u00F1',
    '\u00FC',
    '\u00E0'
  };

  /** TS 23.038 6.2.1.1: form feed ^ { } \ [ ~ ] | € and the septets they follow ESC with. */
  static final char[] EXTENSION_CHARACTERS = {
    '\u000C', '^', '{', '}', '\\', '[', '~', ']', '|', '\u20AC'
  };

  static final int[] EXTENSION_SEPTETS = {
    0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65
  };

  /** Look-alikes the issue names for smart encoding, each with the GSM-7 text expected for it. */
  static final List<String[]> LOOK_ALIKES =
      List.of(
          new String[] {"\u2018", "'"}, // left single quote
          new String[] {"\u2019", "'"}, // right single quote
          new String[] {"\u201A", "'"}, // single low-9 quote
          new String[] {"\u201B", "'"}, // single high-reversed-9 quote
          new String[] {"\u2032", "'"}, // prime
          new String[] {"\u2035", "'"}, // reversed prime
          new String[] {"\u00B4", "'"}, // acute accent
          new String[] {"`", "'"}, // grave accent
          new String[] {"\u2039", "'"}, // single guillemet
          new String[] {"\u203A", "'"},
          new String[] {"\u201C", "\""}, // left double quote
          new String[] {"\u201D", "\""}, // right double quote
          new String[] {"\u201E", "\""}, // double low-9 quote
          new String[] {"\u201F", "\""},
          new String[] {"\u2033", "\""}, // double prime
          new String[] {"\u2036", "\""},
          new String[] {"\u00AB", "\""}, // guillemets
          new String[] {"\u00BB", "\""},
          new String[] {"\u2010", "-"}, // hyphen
          new String[] {"\u2011", "-"}, // non-breaking hyphen
          new String[] {"\u2012", "-"}, // figure dash
          new String[] {"\u2013", "-"}, // en dash
          new String[] {"\u2014", "-"}, // em dash
          new String[] {"\u2015", "-"}, // horizontal bar
          new String[] {"\u2212", "-"}, // minus sign
          new String[] {"\u2043", "-"}, // hyphen bullet
          new String[] {"\u2022", "-"}, // bullet
          new String[] {"\uFE63", "-"}, // small hyphen-minus
          new String[] {"\uFF0D", "-"}, // fullwidth hyphen-minus
          new String[] {"\u2026", "..."}, // ellipsis
          new String[] {"\u00A0", " "}, // no-break space
          new String[] {"\u2000", " "},
          new String[] {"\u2002", " "}, // en space
          new String[] {"\u2003", " "}, // em space
          new String[] {"\u2007", " "}, // figure space
          new String[] {"\u2009", " "}, // thin space
          new String[] {"\u200A", " "}, // hair space
          new String[] {"\u202F", " "}, // narrow no-break space
          new String[] {"\u205F", " "}, // medium mathematical space
          new String[] {"\u3000", " "}, // ideographic space
          new String[] {"\t", " "},
          new String[] {"\u200B", ""}, // zero-width space
          new String[] {"\uFEFF", ""}, // zero-width no-break space
          new String[] {"\u00AD", ""}, // soft hyphen
          new String[] {"\u2028", "\n"}, // line separator
          new String[] {"\u2029", "\n"}, // paragraph separator
          new String[] {"\uFF01", "!"}, // fullwidth punctuation
          new String[] {"\uFF0C", ","},
          new String[] {"\uFF0E", "."},
          new String[] {"\uFF1F", "?"},
          new String[] {"\uFF08", "("},
          new String[] {"\uFF09", ")"},
          new String[] {"\uFF3B", "["},
          new String[] {"\uFF5E", "~"},
          new String[] {"\uFF40", "'"}); // fullwidth grave accent

  private SmsTextFixtures() {}

  /** Septets c costs by the tables above, 0 when it is not GSM-7. */
  static int septetsOf(char c) {
    for (int septet = 0; septet < BASIC_TABLE.length; septet++) {
      if (septet != ESCAPE && BASIC_TABLE[septet] == c) {
        return 1;
      }
    }
    for (char extension : EXTENSION_CHARACTERS) {
      if (extension == c) {
        return 2;
      }
    }
    return 0;
  }
}
