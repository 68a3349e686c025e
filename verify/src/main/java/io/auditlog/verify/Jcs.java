package io.auditlog.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme. Takes what {@link Json#parse} returns, or plain Java values built the same
 * way: {@code Map} with {@code String} keys, {@code List}, {@code String}, any {@code Number} (as an IEEE 754
 * double), {@code Boolean}, and {@link Json#NULL} or {@code null}. Keys are sorted by UTF-16 code units, numbers
 * written the ECMAScript way, and strings escaped only where JSON requires it.
 */
public final class Jcs {

  private Jcs() {
  }

  /**
   * The canonical text of the value.
   *
   * @throws IllegalArgumentException for NaN, infinities, lone surrogates, non-string keys or other types
   */
  public static String canonical(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  /** The canonical text in UTF-8: what commitments hash. */
  public static byte[] canonicalBytes(Object value) {
    return canonical(value).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Appends a string as RFC 8785 writes it (quoted, escaped only where JSON requires): for writers that walk their own
   * structures and keep keys in order themselves.
   *
   * @throws IllegalArgumentException for a lone surrogate
   */
  public static void appendString(StringBuilder out, String string) {
    writeString(string, out);
  }

  /**
   * Appends a number as RFC 8785 writes it (ECMAScript's Number::toString of the double).
   *
   * @throws IllegalArgumentException for NaN and infinities
   */
  public static void appendNumber(StringBuilder out, double number) {
    out.append(EcmaNumber.format(number));
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null || value == Json.NULL) {
      out.append("null");
    } else if (value instanceof Boolean bool) {
      out.append(bool);
    } else if (value instanceof Number number) {
      out.append(EcmaNumber.format(number.doubleValue()));
    } else if (value instanceof String string) {
      writeString(string, out);
    } else if (value instanceof Map<?, ?> map) {
      writeObject(map, out);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(list.get(i), out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("JSON has no " + value.getClass().getName());
    }
  }

  private static void writeObject(Map<?, ?> map, StringBuilder out) {
    List<String> keys = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      if (!(key instanceof String string)) {
        throw new IllegalArgumentException("a JSON key is a string, not " + key);
      }
      keys.add(string);
    }
    keys.sort(null);
    out.append('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      writeString(keys.get(i), out);
      out.append(':');
      write(map.get(keys.get(i)), out);
    }
    out.append('}');
  }

  private static void writeString(String string, StringBuilder out) {
    out.append('"');
    int plain = 0;
    while (plain < string.length() && isPlain(string.charAt(plain))) {
      plain++;
    }
    out.append(string, 0, plain);
    for (int i = plain; i < string.length(); i++) {
      char c = string.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c) && i + 1 < string.length()
              && Character.isLowSurrogate(string.charAt(i + 1))) {
            out.append(c).append(string.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("a lone surrogate at index " + i + " cannot be written as UTF-8");
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** A character written as it is, needing no escape and no check of its pair. */
  private static boolean isPlain(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
  }
}
