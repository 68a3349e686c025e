package io.auditlog.verify;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Integers that a commitment fixes. A leaf commits to JCS, which writes each number as the IEEE 754 double nearest to
 * it, so an integer that no double equals, such as 9007199254740993, commits like its neighbour 9007199254740992: its
 * digits could change without changing the root. The service refuses such integers when events arrive, so one in a
 * document is an alteration. Numbers written with a fraction or an exponent are the service's rendering of doubles
 * and are left as they are.
 */
final class ExactIntegers {

  /** Integers of up to 15 digits are below 2^53, so a double holds each of them exactly. */
  private static final int ALWAYS_EXACT_DIGITS = 15;

  private ExactIntegers() {
  }

  /**
   * Fails on the first integer in the parsed document that is not exactly a double.
   *
   * @param where what to name in the message, such as {@code line 7 (seq 5)}
   * @throws VerificationException naming the number
   */
  static void require(Object document, String where) {
    if (document instanceof Map<?, ?> map) {
      map.values().forEach(value -> require(value, where));
    } else if (document instanceof List<?> list) {
      list.forEach(item -> require(item, where));
    } else if (document instanceof JsonNumber number && isInteger(number.text()) && !isDouble(number.text())) {
      throw new VerificationException(where + ": the integer " + number + " is not exactly an IEEE 754 double, "
          + "so the commitment does not fix its digits");
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
