package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shortest-digits search against the plainest search there is: every length from 1 up, every decimal on either
 * side of the value and the nearest, the closest of those that read back at the first length where any does. The
 * fast paths (integers, Java's length as a bound, bisection) must give the same text for every kind of double.
 */
class EcmaNumberTest {

  @Test
  void randomBitPatternsMatchTheExhaustiveSearch() {
    SplittableRandom random = new SplittableRandom(8785);
    for (int i = 0; i < 50_000; i++) {
      check(Double.longBitsToDouble(random.nextLong()));
    }
  }

  @Test
  void measuredLookingValuesMatchTheExhaustiveSearch() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 25_000; i++) {
      check(random.nextDouble() * 512);
      check(random.nextDouble());
      check(random.nextInt(1_000_000) / 1000.0);
      check(Double.parseDouble(random.nextInt(1, 100_000) + "e" + random.nextInt(-330, 310)));
    }
  }

  @Test
  void integersBothSidesOfTwoToThe53MatchTheExhaustiveSearch() {
    SplittableRandom random = new SplittableRandom(53);
    for (long around : new long[] {1L << 53, 1L << 54, 1L << 60, 1_000_000_000_000_000_000L}) {
      for (int i = -300; i <= 300; i++) {
        check((double) (around + i));
      }
    }
    for (int i = 0; i < 12_500; i++) {
      check((double) random.nextLong(1L << 62));
      check((double) random.nextInt());
    }
  }

  @Test
  void neighboursOfPowersOfTenAndTwoMatchTheExhaustiveSearch() {
    for (int exponent = -325; exponent <= 308; exponent++) {
      double power = Double.parseDouble("1e" + exponent);
      check(power);
      check(Math.nextUp(power));
      check(Math.nextDown(power));
    }
    for (int exponent = -1074; exponent <= 1023; exponent++) {
      double power = Math.scalb(1.0, exponent);
      check(power);
      check(Math.nextUp(power));
      check(Math.nextDown(power));
    }
    check(Double.MIN_VALUE);
    check(Double.MIN_NORMAL);
    check(Double.MAX_VALUE);
  }

  private static void check(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) || value == 0) {
      return;
    }
    String expected = (value < 0 ? "-" : "") + exhaustive(Math.abs(value));
    assertThat(EcmaNumber.format(value)).as("%s (bits %x)", value, Double.doubleToRawLongBits(value))
        .isEqualTo(expected);
  }

  /** The whole search, as slow as it is plain. */
  private static String exhaustive(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR,
          RoundingMode.CEILING}) {
        BigDecimal candidate = exact.round(new MathContext(precision, mode));
        if (candidate.doubleValue() == value
            && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = candidate;
        }
      }
      if (best != null) {
        BigDecimal shortest = best.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        return layout(digits, digits.length(), digits.length() - shortest.scale());
      }
    }
    throw new AssertionError("no 17-digit decimal reads back as " + value);
  }

  /** ECMA-262 step 6 onwards, as plainly as the standard states it: s has k digits, the value is s × 10^(n − k). */
  private static String layout(String digits, int k, int n) {
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
