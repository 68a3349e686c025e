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
    return new String(canonicalBytes(value), StandardCharsets.UTF_8);
  }

  /** The canonical text in UTF-8: what commitments hash. */
  public static byte[] canonicalBytes(Object value) {
    JcsOutput out = new JcsOutput(256);
    write(value, out);
    return out.toByteArray();
  }

  private static void write(Object value, JcsOutput out) {
    if (value == null || value == Json.NULL) {
      out.raw("null");
    } else if (value instanceof Boolean bool) {
      out.bool(bool);
    } else if (value instanceof Number number) {
      out.number(number.doubleValue());
    } else if (value instanceof String string) {
      out.string(string);
    } else if (value instanceof Map<?, ?> map) {
      writeObject(map, out);
    } else if (value instanceof List<?> list) {
      out.raw('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.raw(',');
        }
        write(list.get(i), out);
      }
      out.raw(']');
    } else {
      throw new IllegalArgumentException("JSON has no " + value.getClass().getName());
    }
  }

  private static void writeObject(Map<?, ?> map, JcsOutput out) {
    List<String> keys = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      if (!(key instanceof String string)) {
        throw new IllegalArgumentException("a JSON key is a string, not " + key);
      }
      keys.add(string);
    }
    keys.sort(null);
    out.raw('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.raw(',');
      }
      out.string(keys.get(i)).raw(':');
      write(map.get(keys.get(i)), out);
    }
    out.raw('}');
  }
}
