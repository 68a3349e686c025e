package io.auditlog.verify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A double written as ECMAScript's Number::toString writes it (ECMA-262 §7.1.12.1), which is what RFC 8785 requires:
 * the fewest significant digits that read back as the same double, the closest of them when several do, in plain
 * notation from 1e-6 up to below 1e21 and in exponent notation otherwise. Java 17's {@link Double#toString} does not
 * always give the fewest digits, so they are found here: by {@link ShortestDecimal} for normal doubles, by an exact
 * decimal search for the subnormal ones, directly for integers below 2^53.
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
      return layout(Long.toString(shortest.digits()), shortest.exponent());
    }
    BigDecimal shortest = subnormalDigits(value).stripTrailingZeros();
    return layout(shortest.unscaledValue().toString(), -shortest.scale());
  }

  /**
   * For subnormal doubles, which are rare: the decimal with the fewest digits that reads back as the value, the
   * closest one to it among equals, by exact decimal arithmetic at each length from 1 up (17 digits always do).
   */
  private static BigDecimal subnormalDigits(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; ; precision++) {
      BigDecimal closest = closestOfLength(exact, value, precision);
      if (closest != null) {
        return closest;
      }
    }
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

  /** The value {@code digits} × 10^{@code exponent} ({@code digits} without trailing zeros), laid out. */
  private static String layout(String digits, int exponent) {
    return layout(digits, digits.length(), digits.length() + exponent);
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
