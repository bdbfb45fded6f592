package dev.herald.sqlmap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Reads PostgreSQL text far enough to find the tables, views and functions it names: the names in a
 * table position (FROM and comma-joined FROM lists, JOIN, INTO, UPDATE, DELETE FROM, USING, TABLE,
 * REFERENCES, CREATE INDEX/TRIGGER ... ON) and calls of functions. It is not a parser: it knows
 * which words are not tables (CTE names, {@code extract(... FROM col)}, {@code IS DISTINCT FROM},
 * {@code FOR UPDATE}, {@code ON CONFLICT DO UPDATE}), and the caller ignores names that are not in
 * the ownership map, so aliases, PL/pgSQL variables and prose never count.
 */
public final class SqlScan {

  private SqlScan() {}

  enum Kind {
    WORD,
    PUNCT,
    DOLLAR,
    OTHER
  }

  /** A token; words are lower-cased unless they were quoted. */
  record Token(Kind kind, String text, int line) {
    boolean is(String word) {
      return kind == Kind.WORD && text.equals(word);
    }

    boolean isPunct(String p) {
      return kind == Kind.PUNCT && text.equals(p);
    }
  }

  /** A name in a table position, or a call of a function, with the line it is on. */
  public record Reference(String name, String clause, int line) {}

  /** What a migration statement creates or changes, and everything it names. */
  public record Statement(
      String subject,
      String createdKind,
      int line,
      List<Reference> references,
      Set<String> dropped) {

    String created() {
      return createdKind == null ? null : subject;
    }
  }

  // Functions whose argument list uses FROM for something other than a table.
  private static final Set<String> FROM_IS_NOT_A_TABLE_IN =
      Set.of("extract", "substring", "trim", "overlay", "normalize");

  // Words that end a FROM item instead of naming its alias.
  private static final Set<String> NOT_AN_ALIAS =
      Set.of(
          "where",
          "join",
          "inner",
          "left",
          "right",
          "full",
          "cross",
          "natural",
          "on",
          "using",
          "group",
          "order",
          "limit",
          "offset",
          "for",
          "union",
          "except",
          "intersect",
          "having",
          "window",
          "returning",
          "set",
          "values",
          "select",
          "fetch",
          "tablesample",
          "when",
          "then",
          "do",
          "default",
          "overriding",
          "with",
          "into",
          "loop",
          "end",
          "as",
          "if",
          "else",
          "strict",
          "and",
          "or",
          "not");

  // ---------------------------------------------------------------------------------- tokenizing

  /**
   * Splits SQL into tokens; comments and string constants are dropped, the text of dollar-quoted
   * bodies is read as SQL (PL/pgSQL bodies name tables too), with a DOLLAR token at each tag.
   *
   * @param lineOf the source line of a character offset
   */
  static List<Token> tokenize(String sql, IntUnaryOperator lineOf) {
    List<Token> tokens = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'') {
        i = skipString(sql, i, false);
      } else if ((c == 'e' || c == 'E')
          && i + 1 < n
          && sql.charAt(i + 1) == '\''
          && (i == 0 || !isWordPart(sql.charAt(i - 1)))) {
        i = skipString(sql, i + 1, true);
      } else if (c == '"') {
        int end = i + 1;
        StringBuilder name = new StringBuilder();
        while (end < n) {
          if (sql.charAt(end) == '"') {
            if (end + 1 < n && sql.charAt(end + 1) == '"') {
              name.append('"');
              end += 2;
              continue;
            }
            break;
          }
          name.append(sql.charAt(end++));
        }
        tokens.add(new Token(Kind.WORD, name.toString(), lineOf.applyAsInt(i)));
        i = Math.min(n, end + 1);
      } else if (c == '$') {
        int end = i + 1;
        while (end < n && isWordPart(sql.charAt(end)) && sql.charAt(end) != '$') {
          end++;
        }
        boolean tag =
            end < n
                && sql.charAt(end) == '$'
                && (end == i + 1 || !Character.isDigit(sql.charAt(i + 1)));
        if (tag) {
          tokens.add(new Token(Kind.DOLLAR, sql.substring(i, end + 1), lineOf.applyAsInt(i)));
          i = end + 1;
        } else {
          // $1: a positional parameter
          tokens.add(new Token(Kind.OTHER, sql.substring(i, end), lineOf.applyAsInt(i)));
          i = Math.max(end, i + 1);
        }
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        // a cast: the type name that follows is not a table
        int end = i + 2;
        while (end < n && Character.isWhitespace(sql.charAt(end))) {
          end++;
        }
        while (end < n && (isWordPart(sql.charAt(end)) || sql.charAt(end) == '.')) {
          end++;
        }
        tokens.add(new Token(Kind.OTHER, sql.substring(i, end), lineOf.applyAsInt(i)));
        i = end;
      } else if (c == ':' && i + 1 < n && isWordStart(sql.charAt(i + 1))) {
        // a named parameter of JdbcClient
        int end = i + 1;
        while (end < n && isWordPart(sql.charAt(end))) {
          end++;
        }
        tokens.add(new Token(Kind.OTHER, sql.substring(i, end), lineOf.applyAsInt(i)));
        i = end;
      } else if (isWordStart(c)) {
        int end = i + 1;
        while (end < n && isWordPart(sql.charAt(end))) {
          end++;
        }
        tokens.add(
            new Token(
                Kind.WORD, sql.substring(i, end).toLowerCase(Locale.ROOT), lineOf.applyAsInt(i)));
        i = end;
      } else if (Character.isDigit(c)) {
        int end = i + 1;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
          end++;
        }
        tokens.add(new Token(Kind.OTHER, sql.substring(i, end), lineOf.applyAsInt(i)));
        i = end;
      } else {
        tokens.add(new Token(Kind.PUNCT, String.valueOf(c), lineOf.applyAsInt(i)));
        i++;
      }
    }
    return tokens;
  }

  private static int skipString(String sql, int quote, boolean backslashEscapes) {
    int i = quote + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return i;
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  // ---------------------------------------------------------------------------------- references

  /**
   * The names in table positions and the calls of {@code functions} (reported as {@code name()}),
   * minus CTE names.
   */
  public static List<Reference> references(String sql, Set<String> functions) {
    return references(tokenize(sql, offset -> 1 + countLines(sql, offset)), functions);
  }

  static int countLines(String text, int end) {
    int lines = 0;
    for (int i = 0; i < end && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  static List<Reference> references(List<Token> tokens, Set<String> functions) {
    List<Reference> all = new ArrayList<>();
    // A CTE's name hides a table of that name in its own statement only: scope at each ';'.
    int start = 0;
    for (int i = 0; i <= tokens.size(); i++) {
      if (i == tokens.size() || tokens.get(i).isPunct(";")) {
        List<Token> part = tokens.subList(start, i);
        Set<String> ctes = cteNames(part);
        for (Reference r : namesIn(part, functions)) {
          if (!ctes.contains(r.name())) {
            all.add(r);
          }
        }
        start = i + 1;
      }
    }
    return all;
  }

  /** {@code WITH name [(cols)] AS [[NOT] MATERIALIZED] (} and {@code , name ... AS (}. */
  static Set<String> cteNames(List<Token> t) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i + 1 < t.size(); i++) {
      Token before = t.get(i);
      if (!(before.is("with") || before.is("recursive") || before.isPunct(","))) {
        continue;
      }
      if (t.get(i + 1).kind() != Kind.WORD) {
        continue;
      }
      int j = i + 2;
      if (j < t.size() && t.get(j).isPunct("(")) {
        j = skipParens(t, j);
      }
      if (j < t.size() && t.get(j).is("as")) {
        j++;
        if (j < t.size() && t.get(j).is("not")) {
          j++;
        }
        if (j < t.size() && t.get(j).is("materialized")) {
          j++;
        }
        if (j < t.size() && t.get(j).isPunct("(")) {
          names.add(t.get(i + 1).text());
        }
      }
    }
    return names;
  }

  private static List<Reference> namesIn(List<Token> t, Set<String> functions) {
    List<Reference> found = new ArrayList<>();
    List<String> openers = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      Token tok = t.get(i);
      if (tok.isPunct("(")) {
        openers.add(i > 0 && t.get(i - 1).kind() == Kind.WORD ? t.get(i - 1).text() : "");
        continue;
      }
      if (tok.isPunct(")")) {
        if (!openers.isEmpty()) {
          openers.removeLast();
        }
        continue;
      }
      if (tok.kind() != Kind.WORD) {
        continue;
      }
      String prev = i > 0 && t.get(i - 1).kind() == Kind.WORD ? t.get(i - 1).text() : "";
      boolean qualified = i > 0 && t.get(i - 1).isPunct(".");
      String next = i + 1 < t.size() ? t.get(i + 1).text() : "";
      switch (tok.text()) {
        case "from" -> {
          String opener = openers.isEmpty() ? "" : openers.getLast();
          if (!prev.equals("distinct") && !FROM_IS_NOT_A_TABLE_IN.contains(opener)) {
            fromList(t, i + 1, "FROM", true, found);
          }
        }
        case "join" -> fromList(t, i + 1, "JOIN", false, found);
        case "using" -> {
          if (i + 1 < t.size() && t.get(i + 1).kind() == Kind.WORD) {
            fromList(t, i + 1, "USING", true, found);
          }
        }
        case "into" -> name(t, skip(t, i + 1, "strict", "only"), "INTO", found);
        case "update" -> {
          if (!Set.of("for", "key", "do", "on", "or", "before", "after").contains(prev)
              && !Set.of("of", "on", "or", "set").contains(next)) {
            name(t, skip(t, i + 1, "only"), "UPDATE", found);
          }
        }
        case "table" -> {
          int j = skip(t, i + 1, "if", "not", "exists", "only");
          boolean list = prev.equals("drop") || prev.equals("truncate");
          j = name(t, j, "TABLE", found);
          while (list && j < t.size() && t.get(j).isPunct(",")) {
            j = name(t, j + 1, "TABLE", found);
          }
        }
        case "truncate" -> {
          if (!next.equals("table")) {
            int j = name(t, skip(t, i + 1, "only"), "TRUNCATE", found);
            while (j < t.size() && t.get(j).isPunct(",")) {
              j = name(t, skip(t, j + 1, "only"), "TRUNCATE", found);
            }
          }
        }
        case "references" -> name(t, i + 1, "REFERENCES", found);
        case "view" -> {
          if (Set.of("create", "replace", "materialized", "alter", "drop").contains(prev)) {
            name(t, skip(t, i + 1, "if", "not", "exists"), "VIEW", found);
          }
        }
        case "index", "trigger" -> {
          if (Set.of("create", "unique").contains(prev) || prev.equals("replace")) {
            int on = findWord(t, i + 1, "on");
            if (on > 0) {
              name(t, skip(t, on + 1, "only"), tok.text().toUpperCase(Locale.ROOT) + " ON", found);
            }
          }
        }
        default -> {
          if (!qualified && next.equals("(") && functions.contains(tok.text())) {
            found.add(new Reference(tok.text() + "()", "CALL", tok.line()));
          }
        }
      }
    }
    return found;
  }

  /** FROM items: {@code [ONLY|LATERAL] name [[AS] alias [(cols)]]}, subqueries, function calls. */
  private static void fromList(
      List<Token> t, int start, String clause, boolean commaJoined, List<Reference> found) {
    int j = start;
    while (j < t.size()) {
      j = skip(t, j, "only", "lateral");
      if (j >= t.size()) {
        return;
      }
      Token item = t.get(j);
      if (item.isPunct("(")) {
        j = skipParens(t, j);
      } else if (item.kind() == Kind.WORD) {
        int after = j + 1;
        while (after + 1 < t.size()
            && t.get(after).isPunct(".")
            && t.get(after + 1).kind() == Kind.WORD) {
          after += 2;
        }
        if (after < t.size() && t.get(after).isPunct("(")) {
          j = skipParens(t, after); // a function: its call is found on its own
        } else {
          j = name(t, j, clause, found);
        }
      } else {
        return;
      }
      // alias, and a column list
      if (j < t.size() && t.get(j).is("as")) {
        j++;
      }
      if (j < t.size() && t.get(j).kind() == Kind.WORD && !NOT_AN_ALIAS.contains(t.get(j).text())) {
        j++;
      }
      if (j < t.size() && t.get(j).isPunct("(")) {
        j = skipParens(t, j);
      }
      if (commaJoined && j < t.size() && t.get(j).isPunct(",")) {
        j++;
      } else {
        return;
      }
    }
  }

  /**
   * Records the (possibly schema-qualified) name at {@code j}; a schema other than {@code public}
   * (pg_catalog, information_schema) is no module's. Returns the index after the name.
   */
  private static int name(List<Token> t, int j, String clause, List<Reference> found) {
    if (j >= t.size() || t.get(j).kind() != Kind.WORD) {
      return j;
    }
    Token first = t.get(j);
    if (j + 2 < t.size() && t.get(j + 1).isPunct(".") && t.get(j + 2).kind() == Kind.WORD) {
      if (first.text().equals("public")) {
        found.add(new Reference(t.get(j + 2).text(), clause, t.get(j + 2).line()));
      }
      return j + 3;
    }
    found.add(new Reference(first.text(), clause, first.line()));
    return j + 1;
  }

  private static int skip(List<Token> t, int j, String... words) {
    Set<String> skipped = Set.of(words);
    while (j < t.size() && t.get(j).kind() == Kind.WORD && skipped.contains(t.get(j).text())) {
      j++;
    }
    return j;
  }

  private static int findWord(List<Token> t, int from, String word) {
    for (int j = from; j < t.size() && !t.get(j).isPunct(";") && !t.get(j).isPunct("("); j++) {
      if (t.get(j).is(word)) {
        return j;
      }
    }
    return -1;
  }

  /** Index after the parenthesis that closes the one at {@code open}. */
  private static int skipParens(List<Token> t, int open) {
    int depth = 0;
    for (int j = open; j < t.size(); j++) {
      if (t.get(j).isPunct("(")) {
        depth++;
      } else if (t.get(j).isPunct(")") && --depth == 0) {
        return j + 1;
      }
    }
    return t.size();
  }

  // ---------------------------------------------------------------------------------- statements

  /**
   * The statements of a migration (split at {@code ;} outside dollar-quoted bodies), each with its
   * subject: the table, view or function it creates, alters, drops, indexes or writes into.
   */
  public static List<Statement> statements(String sql, Set<String> functions) {
    List<Token> tokens = tokenize(sql, offset -> 1 + countLines(sql, offset));
    List<Statement> statements = new ArrayList<>();
    String openTag = null;
    int start = 0;
    for (int i = 0; i <= tokens.size(); i++) {
      if (i < tokens.size() && tokens.get(i).kind() == Kind.DOLLAR) {
        String tag = tokens.get(i).text();
        openTag = openTag == null ? tag : openTag.equals(tag) ? null : openTag;
        continue;
      }
      if (i == tokens.size() || (openTag == null && tokens.get(i).isPunct(";"))) {
        List<Token> part = tokens.subList(start, i);
        if (!part.isEmpty()) {
          statements.add(statement(part, functions));
        }
        start = i + 1;
      }
    }
    return statements;
  }

  private static Statement statement(List<Token> t, Set<String> functions) {
    List<Reference> references = references(t, functions);
    Set<String> dropped = new HashSet<>();
    int line = t.getFirst().line();
    String verb = t.getFirst().text();
    String subject = null;
    String created = null;
    switch (verb) {
      case "create" -> {
        int j =
            skip(
                t,
                1,
                "or",
                "replace",
                "temp",
                "temporary",
                "unlogged",
                "global",
                "local",
                "materialized",
                "unique",
                "recursive");
        String kind = j < t.size() ? t.get(j).text() : "";
        switch (kind) {
          case "table", "view", "function", "procedure" -> {
            subject = routine(kind, wordAt(t, skip(t, j + 1, "if", "not", "exists")));
            created = kind;
          }
          case "index", "trigger" -> {
            int on = findWord(t, j + 1, "on");
            subject = on < 0 ? null : wordAt(t, skip(t, on + 1, "only"));
          }
          default -> {}
        }
      }
      case "alter", "drop" -> {
        String kind = t.size() > 1 ? t.get(1).text() : "";
        if (Set.of("table", "view", "function", "procedure", "materialized").contains(kind)) {
          int j = skip(t, kind.equals("materialized") ? 3 : 2, "if", "exists", "only");
          subject = routine(kind, wordAt(t, j));
          if (verb.equals("drop")) {
            dropped.add(subject);
          } else {
            int rename = findWord(t, j, "rename");
            if (rename > 0 && rename + 2 < t.size() && t.get(rename + 1).is("to")) {
              dropped.add(subject);
              subject = routine(kind, wordAt(t, rename + 2));
              created = kind;
            }
          }
        }
      }
      case "comment" -> {
        if (t.size() > 3 && t.get(1).is("on")) {
          subject = routine(t.get(2).text(), wordAt(t, 3));
        }
      }
      case "insert" -> subject = wordAt(t, skip(t, 1, "into"));
      case "update" -> subject = wordAt(t, skip(t, 1, "only"));
      case "delete" -> subject = wordAt(t, skip(t, 1, "from", "only"));
      case "truncate" -> subject = wordAt(t, skip(t, 1, "table", "only"));
      default -> {}
    }
    return new Statement(subject, created, line, references, dropped);
  }

  /** Functions and procedures are named {@code name()}, so that they never pass for tables. */
  private static String routine(String kind, String name) {
    boolean routine = kind.equals("function") || kind.equals("procedure");
    return routine && name != null ? name + "()" : name;
  }

  private static String wordAt(List<Token> t, int j) {
    if (j >= t.size() || t.get(j).kind() != Kind.WORD) {
      return null;
    }
    if (t.get(j).text().equals("public")
        && j + 2 < t.size()
        && t.get(j + 1).isPunct(".")
        && t.get(j + 2).kind() == Kind.WORD) {
      return t.get(j + 2).text();
    }
    return t.get(j).text();
  }
}
