package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The integer logarithms the shortest-decimal method relies on, against exact powers over every exponent a double
 * can need; its output is checked against the exhaustive search in {@link EcmaNumberTest}.
 */
class ShortestDecimalTest {

  @Test
  void log10OfPowersOfTwoIsExactForEveryDoubleExponent() {
    for (int e = -1200; e <= 1200; e++) {
      int expected = e >= 0 ? digits(BigInteger.TWO.pow(e)) - 1 : digits(BigInteger.valueOf(5).pow(-e)) - 1 + e;
      assertThat(ShortestDecimal.flog10pow2(e)).as("e = %d", e).isEqualTo(expected);
    }
  }

  @Test
  void log10OfThreeQuartersOfPowersOfTwoIsExactForEveryDoubleExponent() {
    BigInteger three = BigInteger.valueOf(3);
    for (int e = -1200; e <= 1200; e++) {
      int expected = e - 2 >= 0 ? digits(three.shiftLeft(e - 2)) - 1
          : digits(three.multiply(BigInteger.valueOf(5).pow(2 - e))) - 1 - (2 - e);
      assertThat(ShortestDecimal.flog10threeQuartersPow2(e)).as("e = %d", e).isEqualTo(expected);
    }
  }

  @Test
  void log2OfPowersOfTenIsExactForEveryNeededExponent() {
    for (int e = -400; e <= 400; e++) {
      int expected = e >= 0 ? BigInteger.TEN.pow(e).bitLength() - 1 : -BigInteger.TEN.pow(-e).bitLength();
      assertThat(ShortestDecimal.flog2pow10(e)).as("e = %d", e).isEqualTo(expected);
    }
  }

  @Test
  void digitsAndExponentDescribeTheDecimal() {
    assertThat(ShortestDecimal.of(0.1)).isEqualTo(new ShortestDecimal.Decimal(1, -1));
    assertThat(ShortestDecimal.of(1e23)).isEqualTo(new ShortestDecimal.Decimal(1, 23));
    assertThat(ShortestDecimal.of(123.456)).isEqualTo(new ShortestDecimal.Decimal(123456, -3));
    assertThat(ShortestDecimal.of(Double.MAX_VALUE)).isEqualTo(new ShortestDecimal.Decimal(17976931348623157L, 292));
    assertThat(ShortestDecimal.of(Double.MIN_NORMAL))
        .isEqualTo(new ShortestDecimal.Decimal(22250738585072014L, -324));
  }

  @Test
  void subnormalsZeroAndNegativesAreTheCallersToHandle() {
    for (double value : new double[] {Double.MIN_VALUE, 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> ShortestDecimal.of(value)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static int digits(BigInteger value) {
    return value.toString().length();
  }
}
