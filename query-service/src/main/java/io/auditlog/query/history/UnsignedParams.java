package io.auditlog.query.history;

import io.auditlog.verify.UnsignedNumbers;
import io.vertx.core.MultiMap;
import java.util.OptionalLong;

/**
 * Sizes and seqs in requests: unsigned 64-bit decimal in its one canonical spelling ({@link UnsignedNumbers}), so
 * {@code -1}, {@code 01}, {@code 1.5}, {@code 1e3}, 2^64 and an empty value are each a 422 at their {@code loc}.
 */
final class UnsignedParams {

  private UnsignedParams() {
  }

  /** A query parameter that may be absent. */
  static OptionalLong optional(MultiMap query, String name) {
    String text = query.get(name);
    return text == null ? OptionalLong.empty() : OptionalLong.of(parse("query", name, text));
  }

  /** A query parameter that must be given. */
  static long required(MultiMap query, String name) {
    String text = query.get(name);
    if (text == null) {
      throw HistoryErrors.missing("query", name);
    }
    return parse("query", name, text);
  }

  /** One value, whose {@code loc} is {@code [where, name]}. */
  static long parse(String where, String name, String text) {
    try {
      return UnsignedNumbers.parse(text);
    } catch (NumberFormatException e) {
      throw HistoryErrors.malformed(where, name);
    }
  }
}
