package dev.herald.notification;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * The keywords of an inbound SMS (C5): a message that is only STOP (or STOPALL, UNSUBSCRIBE,
 * CANCEL, END, QUIT, REVOKE, OPTOUT, ARRET, AFMELD), in any case, with punctuation, spaces or
 * accents around, opts the number out; START or UNSTOP opts it back in; HELP (AIDE in French, HJÆLP
 * in Danish) asks for the company's details. Anything more ("Stop texting me") is a reply, not a
 * keyword.
 */
public final class InboundKeywords {

  private InboundKeywords() {}

  /** What an inbound SMS asks for. */
  public enum Keyword {
    STOP,
    START,
    HELP,
    /** A reply like any other. */
    NONE
  }

  private static final Set<String> STOP_WORDS =
      Set.of(
          "STOP",
          "STOPALL",
          "UNSUBSCRIBE",
          "CANCEL",
          "END",
          "QUIT",
          "REVOKE",
          "OPTOUT",
          "ARRET",
          "AFMELD");
  private static final Set<String> START_WORDS = Set.of("START", "UNSTOP");
  private static final Set<String> HELP_WORDS = Set.of("HELP", "AIDE", "HJÆLP", "HJAELP");

  /** The keyword an inbound SMS is, or NONE for a reply. */
  public static Keyword of(String text) {
    String word = normalized(text);
    if (STOP_WORDS.contains(word)) {
      return Keyword.STOP;
    }
    if (START_WORDS.contains(word)) {
      return Keyword.START;
    }
    return HELP_WORDS.contains(word) ? Keyword.HELP : Keyword.NONE;
  }

  /** The word itself, as the consent log records it ({@code ARRET} for "Arrêt !"). */
  static String normalized(String text) {
    if (text == null) {
      return "";
    }
    String plain =
        // NFKD: full-width letters (ＳＴＯＰ) and no-break spaces are their plain forms, and accents
        // come apart from their letters
        Normalizer.normalize(text, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}", "")
            .toUpperCase(Locale.ROOT);
    int from = 0;
    int to = plain.length();
    while (from < to && !Character.isLetterOrDigit(plain.charAt(from))) {
      from++;
    }
    while (to > from && !Character.isLetterOrDigit(plain.charAt(to - 1))) {
      to--;
    }
    String word = plain.substring(from, to);
    // "OPT OUT" and "OPT-OUT" are the same word; "STOP TEXTING ME" is not a word at all.
    String joined = word.replaceAll("[\\s\\-_]+", "");
    return joined.equals("OPTOUT") ? joined : word;
  }
}
