package io.auditlog.verify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Integers that a commitment does not fix. A leaf commits to JCS, which writes each number as the IEEE 754 double
 * nearest to it, so an integer that no double equals, such as 9007199254740993, commits like its neighbour
 * 9007199254740992: its last digits could change without changing the root. Such integers are valid event data (the
 * contract takes 2^53 + 1 in details), so they are counted and named in the report, not failed. Numbers written with
 * a fraction or an exponent are the service's rendering of doubles and are left as they are.
 */
final class ExactIntegers {

  /** Integers of up to 15 digits are below 2^53, so a double holds each of them exactly. */
  private static final int ALWAYS_EXACT_DIGITS = 15;

  private ExactIntegers() {
  }

  /** The integers in the parsed document that no double equals, in document order. */
  static List<String> inexact(Object document) {
    List<String> found = new ArrayList<>();
    collect(document, found);
    return found;
  }

  private static void collect(Object document, List<String> found) {
    if (document instanceof Map<?, ?> map) {
      map.values().forEach(value -> collect(value, found));
    } else if (document instanceof List<?> list) {
      list.forEach(item -> collect(item, found));
    } else if (document instanceof JsonNumber number && isInteger(number.text()) && !isDouble(number.text())) {
      found.add(number.text());
    }
  }

  /** Whether the token is written without a fraction and without an exponent. */
  private static boolean isInteger(String text) {
    return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
  }

  /** Whether a double equals the integer. */
  private static boolean isDouble(String integer) {
    if (integer.length() - (integer.startsWith("-") ? 1 : 0) <= ALWAYS_EXACT_DIGITS) {
      return true;
    }
    double value = Double.parseDouble(integer);
    return !Double.isInfinite(value) && new BigDecimal(integer).compareTo(new BigDecimal(value)) == 0;
  }
}
