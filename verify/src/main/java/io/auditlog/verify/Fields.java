package io.auditlog.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of one JSON object of an export, naming the line and key in every message. A missing key or a value
 * of the wrong type is an input error ({@link IllegalArgumentException}).
 */
final class Fields {

  private final Map<?, ?> map;
  private final String where;

  private Fields(Map<?, ?> map, String where) {
    this.map = map;
    this.where = where;
  }

  static Fields of(Object value, String where) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(where + " is not a JSON object");
    }
    return new Fields(map, where);
  }

  /** Where these fields are, such as {@code line 7}. */
  String where() {
    return where;
  }

  /** The object as parsed, for canonicalization. */
  Map<?, ?> map() {
    return map;
  }

  /**
   * Fails on the first key that is not one of these, naming it and what holds it, such as {@code the event line of
   * seq 7}: the signed root does not cover it.
   */
  void requireOnly(List<String> keys, String what) {
    for (Object key : map.keySet()) {
      if (!keys.contains(key)) {
        throw new VerificationException(where + ": " + what + " has a key that no signature covers: \"" + key
            + "\" (its keys are " + String.join(", ", keys) + ")");
      }
    }
  }

  boolean has(String key) {
    return map.containsKey(key);
  }

  String string(String key) {
    return get(key, String.class, "a string");
  }

  long unsigned(String key) {
    JsonNumber number = get(key, JsonNumber.class, "a number");
    try {
      return UnsignedNumbers.parse(number.text());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" is not an unsigned 64-bit integer: " + number);
    }
  }

  byte[] base64(String key) {
    String text = string(key);
    try {
      return PaddedBase64.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" is " + e.getMessage());
    }
  }

  /** A list of base64 hashes; their lengths are left to the checks that use them. */
  List<byte[]> hashes(String key) {
    List<byte[]> hashes = new ArrayList<>();
    for (Object item : get(key, List.class, "an array")) {
      if (!(item instanceof String text)) {
        throw new IllegalArgumentException(where + ": \"" + key + "\" holds something other than base64 strings");
      }
      try {
        hashes.add(PaddedBase64.decode(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": \"" + key + "\" holds " + e.getMessage());
      }
    }
    return hashes;
  }

  Fields object(String key) {
    return Fields.of(get(key, Map.class, "an object"), where + " \"" + key + "\"");
  }

  List<Fields> objects(String key) {
    List<Fields> objects = new ArrayList<>();
    List<?> items = get(key, List.class, "an array");
    for (int i = 0; i < items.size(); i++) {
      objects.add(Fields.of(items.get(i), where + " \"" + key + "\"[" + i + "]"));
    }
    return objects;
  }

  private <T> T get(String key, Class<T> type, String what) {
    Object value = map.get(key);
    if (value == null) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" is missing");
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" is not " + what);
    }
    return type.cast(value);
  }
}
