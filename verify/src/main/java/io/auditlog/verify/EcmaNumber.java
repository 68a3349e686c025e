package io.auditlog.verify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * A double written as ECMAScript's Number::toString writes it (ECMA-262 §7.1.12.1), which is what RFC 8785 requires:
 * the fewest significant digits that read back as the same double, the closest of them when several do, in plain
 * notation from 1e-6 up to below 1e21 and in exponent notation otherwise. Java 17's {@link Double#toString} does not
 * always give the fewest digits, so they are found here: by {@link ShortestDecimal} for normal doubles, by an exact
 * decimal search for the subnormal ones, directly for integers below 2^53. Written as ASCII bytes into the caller's
 * buffer ({@link JcsOutput#number}), so that a canonical form's numbers make no strings.
 */
final class EcmaNumber {

  /** The most bytes a number takes: a sign, 17 digits, a point, five zeros and "0." before them (or an exponent). */
  static final int MAX_LENGTH = 32;
  /** Every integer up to this magnitude is a double, and its own digits are the fewest that read back as it. */
  private static final double EXACT_INTEGERS = 0x1p53;

  private EcmaNumber() {
  }

  static String format(double value) {
    byte[] text = new byte[MAX_LENGTH];
    return new String(text, 0, write(value, text, 0), StandardCharsets.US_ASCII);
  }

  /**
   * Writes the number's text at {@code at} ({@link #MAX_LENGTH} bytes must be free there) and returns where it ends.
   *
   * @throws IllegalArgumentException for NaN and infinities, before anything is written
   */
  static int write(double value, byte[] out, int at) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no " + value);
    }
    if (value == 0) {
      out[at] = '0';
      return at + 1;
    }
    if (value < 0) {
      out[at++] = '-';
      value = -value;
    }
    if (value < EXACT_INTEGERS && value == Math.rint(value)) {
      long integer = (long) value;
      return digits(integer, decimalLength(integer), out, at);
    }
    if (value >= Double.MIN_NORMAL) {
      ShortestDecimal.Decimal shortest = ShortestDecimal.of(value);
      return layout(shortest.digits(), shortest.exponent(), out, at);
    }
    BigDecimal shortest = subnormalDigits(value).stripTrailingZeros();
    return layout(shortest.unscaledValue().longValueExact(), -shortest.scale(), out, at);
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

  /**
   * ECMA-262 step 6 onwards for the value {@code digits} × 10^{@code exponent} ({@code digits} positive, without
   * trailing zeros): with s its k digits, the value is s × 10^(n − k).
   */
  private static int layout(long digits, int exponent, byte[] out, int at) {
    int k = decimalLength(digits);
    int n = k + exponent;
    if (k <= n && n <= 21) {
      at = digits(digits, k, out, at);
      return zeros(n - k, out, at);
    }
    if (0 < n && n <= 21) {
      digits(digits, k, out, at + 1);
      System.arraycopy(out, at + 1, out, at, n);
      out[at + n] = '.';
      return at + k + 1;
    }
    if (-6 < n && n <= 0) {
      out[at++] = '0';
      out[at++] = '.';
      return digits(digits, k, out, zeros(-n, out, at));
    }
    digits(digits, k, out, at + 1);
    out[at] = out[at + 1];
    if (k > 1) {
      out[at + 1] = '.';
      at += k + 1;
    } else {
      at += 1;
    }
    out[at++] = 'e';
    out[at++] = (byte) (n - 1 < 0 ? '-' : '+');
    int power = Math.abs(n - 1);
    return digits(power, decimalLength(power), out, at);
  }

  /** The {@code length} decimal digits of {@code value}, at {@code at}; returns where they end. */
  private static int digits(long value, int length, byte[] out, int at) {
    for (int i = at + length - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + length;
  }

  private static int zeros(int count, byte[] out, int at) {
    for (int i = 0; i < count; i++) {
      out[at++] = '0';
    }
    return at;
  }

  /** How many decimal digits a positive {@code value} has. */
  private static int decimalLength(long value) {
    int length = 1;
    for (long bound = 10; length < 19 && value >= bound; bound *= 10) {
      length++;
    }
    return length;
  }
}
