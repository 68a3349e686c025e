package io.auditlog.verify;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A double written as ECMAScript's Number::toString writes it (ECMA-262 §7.1.12.1), which is what RFC 8785 requires:
 * the fewest significant digits that read back as the same double, the closest of them when several do, in plain
 * notation from 1e-6 up to below 1e21 and in exponent notation otherwise. Java 17's {@link Double#toString} does not
 * always give the fewest digits, so they are searched for here.
 */
final class EcmaNumber {

  private static final int MAX_DIGITS = 17;
  private static final RoundingMode[] CANDIDATES = {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING};

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
    BigDecimal shortest = shortestDigits(value).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale();
    return layout(digits, k, n);
  }

  /** The decimal with the fewest digits that reads back as the value, the closest one to it among equals. */
  private static BigDecimal shortestDigits(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision < MAX_DIGITS; precision++) {
      BigDecimal best = null;
      for (RoundingMode mode : CANDIDATES) {
        BigDecimal candidate = exact.round(new MathContext(precision, mode));
        if (candidate.doubleValue() == value && (best == null || closer(candidate, best, exact))) {
          best = candidate;
        }
      }
      if (best != null) {
        return best;
      }
    }
    return exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN));
  }

  private static boolean closer(BigDecimal candidate, BigDecimal best, BigDecimal exact) {
    return candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0;
  }

  /** ECMA-262 step 6 onwards: s has k digits and the value is s × 10^(n − k). */
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
