package io.auditlog.verify;

import java.math.BigInteger;

/**
 * The shortest decimal that reads back as a normal double, the closest one when several do, in integer arithmetic
 * only: R. Giulietti's "Schubfach" method (the interval of decimals that read back as the double, scaled by a power
 * of ten known to 126 bits, holds at most one multiple of ten, or else the two integers around the double are the
 * candidates). The powers of ten are computed exactly from {@link BigInteger} when the class loads, not copied in.
 * Subnormal doubles are left to the caller: below 2^-1022 the scaled interval may hold two multiples of ten.
 */
final class ShortestDecimal {

  /** A decimal {@code digits × 10^exponent}, {@code digits} without trailing zeros. */
  record Decimal(long digits, int exponent) {
  }

  private static final int K_MIN = -324;
  private static final int K_MAX = 292;
  private static final long C_MIN = 1L << 52;
  private static final int Q_MIN = -1074;
  private static final long MASK_63 = (1L << 63) - 1;
  /** ⌊10^-k · 2^(125 − ⌊log2 10^-k⌋)⌋ + 1 for k from {@link #K_MIN}: the high and low 63 bits of each. */
  private static final long[] G1 = new long[K_MAX - K_MIN + 1];
  private static final long[] G0 = new long[K_MAX - K_MIN + 1];

  static {
    BigInteger low63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    for (int k = K_MIN; k <= K_MAX; k++) {
      int shift = 125 - flog2pow10(-k);
      BigInteger numerator = BigInteger.ONE;
      BigInteger denominator = BigInteger.ONE;
      if (k <= 0) {
        numerator = BigInteger.TEN.pow(-k);
      } else {
        denominator = BigInteger.TEN.pow(k);
      }
      if (shift >= 0) {
        numerator = numerator.shiftLeft(shift);
      } else {
        denominator = denominator.shiftLeft(-shift);
      }
      BigInteger g = numerator.divide(denominator).add(BigInteger.ONE);
      if (g.bitLength() != 126) {
        throw new IllegalStateException("10^" + -k + " is not scaled to 126 bits");
      }
      G1[k - K_MIN] = g.shiftRight(63).longValueExact();
      G0[k - K_MIN] = g.and(low63).longValueExact();
    }
  }

  private ShortestDecimal() {
  }

  /** For a positive, finite, normal double. */
  static Decimal of(double value) {
    long bits = Double.doubleToRawLongBits(value);
    int biasedExponent = (int) (bits >>> 52) & 0x7ff;
    if (value <= 0 || biasedExponent == 0 || biasedExponent == 0x7ff) {
      throw new IllegalArgumentException("not a positive normal double: " + value);
    }
    long c = C_MIN | (bits & (C_MIN - 1));
    int q = biasedExponent + Q_MIN - 1;
    return shortest(q, c);
  }

  /** The value is c · 2^q, with c of 53 bits. */
  private static Decimal shortest(int q, long c) {
    int out = (int) c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      // At a power of two the double below is half as far as the one above.
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    long g1 = G1[k - K_MIN];
    long g0 = G0[k - K_MIN];
    long vb = roundToOdd(g1, g0, cb << h);
    long vbl = roundToOdd(g1, g0, cbl << h);
    long vbr = roundToOdd(g1, g0, cbr << h);
    long s = vb >> 2;
    long sp10 = 10 * (s / 10);
    long tp10 = sp10 + 10;
    boolean upin = vbl + out <= sp10 << 2;
    boolean wpin = (tp10 << 2) + out <= vbr;
    if (upin != wpin) {
      return decimal(upin ? sp10 : tp10, k);
    }
    long t = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (t << 2) + out <= vbr;
    if (uin != win) {
      return decimal(uin ? s : t, k);
    }
    long cmp = vb - (s + t << 1);
    return decimal(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k);
  }

  /** g · cp / 2^127 for g = g1 · 2^63 + g0, rounded to odd (its lowest bit set when any bit below is). */
  private static long roundToOdd(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | ((z & MASK_63) + MASK_63) >>> 63;
  }

  private static Decimal decimal(long digits, int exponent) {
    while (digits % 10 == 0) {
      digits /= 10;
      exponent++;
    }
    return new Decimal(digits, exponent);
  }

  /** ⌊e · log10 2⌋ for |e| ≤ 5,456,721. */
  static int flog10pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  /** ⌊e · log10 2 + log10 3/4⌋ for |e| ≤ 5,456,721. */
  static int flog10threeQuartersPow2(int e) {
    return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
  }

  /** ⌊e · log2 10⌋ for |e| ≤ 6,432,162. */
  static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }
}
