package io.auditlog.verify;

/**
 * Strict JSON (RFC 8259) without dependencies. A value parses to a {@code Map<String, Object>} that keeps the key
 * order, a {@code List<Object>}, a {@link String}, a {@link JsonNumber}, a {@link Boolean} or {@link #NULL}.
 * Rejected: duplicate keys ({@link DuplicateKeyException}), anything after the value but white space, lone
 * surrogates, control characters in strings, and nesting deeper than {@value #MAX_DEPTH} levels.
 */
public final class Json {

  /** The JSON value {@code null}. */
  public static final Object NULL = Null.INSTANCE;

  /** The deepest nesting of objects and arrays that parses. */
  public static final int MAX_DEPTH = 512;

  private enum Null {
    INSTANCE;

    @Override
    public String toString() {
      return "null";
    }
  }

  private Json() {
  }

  /**
   * Parses one JSON value.
   *
   * @throws JsonException if the text is not exactly one strict JSON value
   */
  public static Object parse(String text) {
    return new JsonParser(text).document();
  }
}
