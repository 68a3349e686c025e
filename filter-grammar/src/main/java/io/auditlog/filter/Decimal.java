package io.auditlog.filter;

/**
 * A decimal number reduced to its sign, its significant digits and the power of ten after its first digit, so that
 * equal numbers give equal records however they are written. Computed in one pass over the text, never as a big
 * number, whose parsing takes time quadratic in the digits.
 */
record Decimal(boolean negative, String digits, long exponent) {

  private static final Decimal ZERO = new Decimal(false, "", 0);

  /** @param number text that {@link Literals#number} accepts (an exponent of at most 9 digits) */
  static Decimal of(String number) {
    int e = Math.max(number.indexOf('e'), number.indexOf('E'));
    long exponent = e < 0 ? 0 : Long.parseLong(number.substring(e + 1));
    String mantissa = e < 0 ? number : number.substring(0, e);
    boolean negative = mantissa.startsWith("-");
    if (negative || mantissa.startsWith("+")) {
      mantissa = mantissa.substring(1);
    }
    int dot = mantissa.indexOf('.');
    String whole = dot < 0 ? mantissa : mantissa.substring(0, dot);
    String digits = dot < 0 ? mantissa : whole + mantissa.substring(dot + 1);
    int first = 0;
    while (first < digits.length() && digits.charAt(first) == '0') {
      first++;
    }
    if (first == digits.length()) {
      return ZERO;
    }
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return new Decimal(negative, digits.substring(first, end), exponent + whole.length() - first);
  }
}
