package io.auditlog.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A recursive-descent parser of one JSON document; see {@link Json} for what it returns and rejects. */
final class JsonParser {

  private final String text;
  private int position;
  private int depth;

  JsonParser(String text) {
    this.text = text;
  }

  Object document() {
    skipWhitespace();
    Object value = value();
    skipWhitespace();
    if (position != text.length()) {
      throw error("unexpected text after the value");
    }
    return value;
  }

  private Object value() {
    if (position == text.length()) {
      throw error("a value is missing");
    }
    char c = text.charAt(position);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", Json.NULL);
      default -> {
        if (c == '-' || isDigit(c)) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Map<String, Object> object() {
    enter();
    Map<String, Object> object = new LinkedHashMap<>();
    position++;
    skipWhitespace();
    if (consume('}')) {
      depth--;
      return object;
    }
    do {
      skipWhitespace();
      int keyAt = position;
      if (position == text.length() || text.charAt(position) != '"') {
        throw error("a key is missing");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      if (object.containsKey(key)) {
        throw new DuplicateKeyException("duplicate key \"" + key + "\" at offset " + keyAt);
      }
      object.put(key, value());
      skipWhitespace();
    } while (consume(','));
    expect('}');
    depth--;
    return object;
  }

  private List<Object> array() {
    enter();
    List<Object> array = new ArrayList<>();
    position++;
    skipWhitespace();
    if (consume(']')) {
      depth--;
      return array;
    }
    do {
      skipWhitespace();
      array.add(value());
      skipWhitespace();
    } while (consume(','));
    expect(']');
    depth--;
    return array;
  }

  private String string() {
    position++;
    StringBuilder result = new StringBuilder();
    while (true) {
      if (position == text.length()) {
        throw error("a string is not closed");
      }
      char c = text.charAt(position++);
      if (c == '"') {
        return result.toString();
      } else if (c == '\\') {
        escape(result);
      } else if (c < 0x20) {
        throw error("a control character in a string");
      } else if (Character.isHighSurrogate(c) && position < text.length()
          && Character.isLowSurrogate(text.charAt(position))) {
        result.append(c).append(text.charAt(position++));
      } else if (Character.isSurrogate(c)) {
        throw error("a lone surrogate in a string");
      } else {
        result.append(c);
      }
    }
  }

  private void escape(StringBuilder result) {
    if (position == text.length()) {
      throw error("an escape is not complete");
    }
    char c = text.charAt(position++);
    switch (c) {
      case '"', '\\', '/' -> result.append(c);
      case 'b' -> result.append('\b');
      case 'f' -> result.append('\f');
      case 'n' -> result.append('\n');
      case 'r' -> result.append('\r');
      case 't' -> result.append('\t');
      case 'u' -> {
        char unit = hexUnit();
        if (Character.isHighSurrogate(unit) && text.startsWith("\\u", position)) {
          position += 2;
          char low = hexUnit();
          if (!Character.isLowSurrogate(low)) {
            throw error("a lone surrogate escape");
          }
          result.append(unit).append(low);
        } else if (Character.isSurrogate(unit)) {
          throw error("a lone surrogate escape");
        } else {
          result.append(unit);
        }
      }
      default -> throw error("an unknown escape \\" + c);
    }
  }

  private char hexUnit() {
    if (position + 4 > text.length()) {
      throw error("a \\u escape needs four hex digits");
    }
    int unit = 0;
    for (int i = 0; i < 4; i++) {
      char c = text.charAt(position++);
      // ASCII only: Character.digit also takes other scripts' digits and full-width letters.
      int digit = c < 0x80 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        throw error("a \\u escape needs four hex digits");
      }
      unit = unit << 4 | digit;
    }
    return (char) unit;
  }

  private JsonNumber number() {
    int start = position;
    consume('-');
    if (consume('0')) {
      if (position < text.length() && isDigit(text.charAt(position))) {
        throw error("a number with a leading zero");
      }
    } else {
      digits();
    }
    if (consume('.')) {
      digits();
    }
    if (consume('e') || consume('E')) {
      if (!consume('+')) {
        consume('-');
      }
      digits();
    }
    return new JsonNumber(text.substring(start, position));
  }

  private void digits() {
    int start = position;
    while (position < text.length() && isDigit(text.charAt(position))) {
      position++;
    }
    if (position == start) {
      throw error("a digit is missing");
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, position)) {
      throw error("unexpected text, not " + word);
    }
    position += word.length();
    return value;
  }

  private void enter() {
    if (++depth > Json.MAX_DEPTH) {
      throw error("nested deeper than " + Json.MAX_DEPTH + " levels");
    }
  }

  private void skipWhitespace() {
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      position++;
    }
  }

  private boolean consume(char c) {
    if (position < text.length() && text.charAt(position) == c) {
      position++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw error("'" + c + "' expected");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private JsonException error(String problem) {
    return new JsonException(problem + " at offset " + position);
  }
}
