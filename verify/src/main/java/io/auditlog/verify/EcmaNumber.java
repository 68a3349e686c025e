package io.auditlog.verify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A double written as ECMAScript's Number::toString writes it (ECMA-262 §7.1.12.1), which is what RFC 8785 requires:
 * the fewest significant digits that read back as the same double, the closest of them when several do, in plain
 * notation from 1e-6 up to below 1e21 and in exponent notation otherwise. Java 17's {@link Double#toString} does not
 * always give the fewest digits, so they are found here: by {@link ShortestDecimal} for normal doubles, by an exact
 * decimal search for the subnormal ones.
 */
final class EcmaNumber {

  /** Every integer up to this magnitude is a double, and its own digits are the fewest that read back as it. */
  private static final double EXACT_INTEGERS = 0x1p53;

  private EcmaNumber() {
  }

  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no " + value);
    }
    if (value == 0) {
      return "0";
    }
    if (value < 0) {
      return "-" + format(-value);
    }
    if (value < EXACT_INTEGERS && value == Math.rint(value)) {
      return Long.toString((long) value);
    }
    if (value >= Double.MIN_NORMAL) {
      ShortestDecimal.Decimal shortest = ShortestDecimal.of(value);
      String digits = Long.toString(shortest.digits());
      return layout(digits, digits.length(), digits.length() + shortest.exponent());
    }
    BigDecimal shortest = shortestDigits(value).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale();
    return layout(digits, k, n);
  }

  /**
   * For subnormal doubles: the decimal with the fewest digits that reads back as the value, the closest one to it
   * among equals, with exact decimal arithmetic. Whether some
   * decimal of p significant digits reads back is monotone in p (one of p digits is also one of p + 1), and Java's own
   * {@link Double#toString} reads back, so its length bounds the search from above: the length below it is tried
   * first (Java is usually shortest, or one digit over), then the shortest length is found by bisection.
   */
  private static BigDecimal shortestDigits(double value) {
    BigDecimal exact = new BigDecimal(value);
    int known = new BigDecimal(Double.toString(value)).stripTrailingZeros().precision();
    BigDecimal best = closestOfLength(exact, value, known);
    BigDecimal shorter = known > 1 ? closestOfLength(exact, value, known - 1) : null;
    if (shorter == null) {
      return best;
    }
    int fails = 0;
    int reads = known - 1;
    best = shorter;
    while (reads - fails > 1) {
      int middle = (fails + reads) >>> 1;
      BigDecimal candidate = closestOfLength(exact, value, middle);
      if (candidate == null) {
        fails = middle;
      } else {
        reads = middle;
        best = candidate;
      }
    }
    return best;
  }

  /**
   * The closest decimal of {@code precision} significant digits that reads back as the value, or null if none does.
   * The nearest such decimal (ties to even) is the best if it reads back; otherwise only the one on the value's other
   * side can.
   */
  private static BigDecimal closestOfLength(BigDecimal exact, double value, int precision) {
    BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    if (nearest.doubleValue() == value) {
      return nearest;
    }
    RoundingMode otherSide = nearest.compareTo(exact) > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
    BigDecimal other = exact.round(new MathContext(precision, otherSide));
    return other.doubleValue() == value ? other : null;
  }

  /** ECMA-262 step 6 onwards: s has k digits and the value is s × 10^(n − k). */
  static String layout(String digits, int k, int n) {
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    String exponent = (n - 1 < 0 ? "-" : "+") + Math.abs(n - 1);
    String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return mantissa + "e" + exponent;
  }
}
