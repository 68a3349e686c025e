package io.auditlog.verify;

/**
 * Sizes and seqs as text: decimal 0 to 2^64 − 1, held in a {@code long} as an unsigned value. Only the canonical form
 * parses, so one number has one spelling in notes, JSON and HTTP parameters.
 */
public final class UnsignedNumbers {

  private static final int MAX_DIGITS = 20;

  private UnsignedNumbers() {
  }

  /**
   * Parses digits only, without a sign, fraction, exponent or leading zero (except "0" itself).
   *
   * @throws NumberFormatException for anything else, or a value above 2^64 − 1
   */
  public static long parse(String text) {
    if (text.isEmpty() || text.length() > MAX_DIGITS) {
      throw new NumberFormatException("not an unsigned 64-bit number: \"" + text + "\"");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9' || c == '0' && i == 0 && text.length() > 1) {
        throw new NumberFormatException("not an unsigned 64-bit number: \"" + text + "\"");
      }
    }
    return Long.parseUnsignedLong(text);
  }
}
