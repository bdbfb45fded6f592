package dev.herald.sqlmap;

import java.util.ArrayList;
import java.util.List;

/**
 * The string literals and text blocks of a Java source, outside comments, with the source line of
 * every character; literals joined by {@code +} make one string, so SQL split over several literals
 * reads as one.
 */
public final class JavaStrings {

  private JavaStrings() {}

  /** A string's value (escapes resolved) and, for each of its characters, its line in the file. */
  public record Literal(String text, int[] lines) {
    public int lineOf(int offset) {
      if (lines.length == 0) {
        return 0;
      }
      return lines[Math.max(0, Math.min(offset, lines.length - 1))];
    }
  }

  public static List<Literal> of(String source) {
    List<Literal> literals = new ArrayList<>();
    StringBuilder text = null; // the string being joined, if the last token was a literal or '+'
    List<Integer> lines = null;
    boolean plusAfterLiteral = false;
    int line = 1;
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += SqlScan.countLines(source.substring(i, end), end - i);
        i = end;
      } else if (c == '\'') {
        // a char literal: '"' must not open a string
        i++;
        while (i < n && source.charAt(i) != '\'') {
          i += source.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        text = flush(literals, text, lines);
        plusAfterLiteral = false;
      } else if (c == '"') {
        if (text == null || !plusAfterLiteral) {
          text = flush(literals, text, lines);
          text = new StringBuilder();
          lines = new ArrayList<>();
        } else {
          text.append('\n');
          lines.add(line);
        }
        boolean block = source.startsWith("\"\"\"", i);
        if (block) {
          i += 3;
          while (i < n && source.charAt(i) != '\n') {
            i++; // a text block's content starts on the next line
          }
        } else {
          i++;
        }
        while (i < n) {
          char d = source.charAt(i);
          if (block ? source.startsWith("\"\"\"", i) : d == '"') {
            i += block ? 3 : 1;
            break;
          }
          if (d == '\\' && i + 1 < n) {
            char e = source.charAt(i + 1);
            if (e == '\n') {
              line++; // a text block's line continuation
            } else {
              text.append(
                  switch (e) {
                    case 'n', 't', 'r', 's', 'f', 'b' -> ' ';
                    case 'u', '0', '1', '2', '3', '4', '5', '6', '7' -> ' ';
                    default -> e;
                  });
              lines.add(line);
            }
            i += 2;
            continue;
          }
          text.append(d);
          lines.add(line);
          if (d == '\n') {
            line++;
          }
          i++;
        }
        plusAfterLiteral = false;
      } else if (c == '+' && text != null && !plusAfterLiteral) {
        plusAfterLiteral = true;
        i++;
      } else {
        text = flush(literals, text, lines);
        plusAfterLiteral = false;
        i++;
      }
    }
    flush(literals, text, lines);
    return literals;
  }

  private static StringBuilder flush(
      List<Literal> literals, StringBuilder text, List<Integer> lines) {
    if (text != null) {
      literals.add(
          new Literal(text.toString(), lines.stream().mapToInt(Integer::intValue).toArray()));
    }
    return null;
  }
}
