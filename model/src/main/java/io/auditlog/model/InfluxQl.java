package io.auditlog.model;

/**
 * The one place where text becomes part of an InfluxQL statement: identifiers, string literals and regular
 * expression literals. Whatever the input, the result is one token that cannot end early or start another clause.
 */
public final class InfluxQl {

  private InfluxQl() {
  }

  /** A double-quoted identifier. */
  public static String identifier(String name) {
    return '"' + escape(name, '"') + '"';
  }

  /** A single-quoted string literal. */
  public static String string(String value) {
    return '\'' + escape(value, '\'') + '\'';
  }

  /**
   * A {@code /.../} regular expression literal for a pattern already written in the store's (RE2) syntax. Escape
   * pairs are kept as they are, every other {@code /} is escaped, line breaks become escapes, and a lone trailing
   * backslash is doubled, so the literal always ends at its own closing slash.
   */
  public static String regex(String pattern) {
    StringBuilder out = new StringBuilder(pattern.length() + 2).append('/');
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        if (i + 1 == pattern.length()) {
          out.append("\\\\");
        } else {
          out.append(c);
          appendRegexChar(out, pattern.charAt(++i));
        }
      } else if (c == '/') {
        out.append("\\/");
      } else {
        appendRegexChar(out, c);
      }
    }
    return out.append('/').toString();
  }

  private static void appendRegexChar(StringBuilder out, char c) {
    switch (c) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      default -> out.append(c);
    }
  }

  /** {@code text} as a pattern that matches exactly that text (every metacharacter escaped). */
  public static String quoteRegex(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ("\\.+*?()|[]{}^$-".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String escape(String text, char quote) {
    StringBuilder out = new StringBuilder(text.length() + 2);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || c == quote) {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
