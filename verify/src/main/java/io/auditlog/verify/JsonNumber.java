package io.auditlog.verify;

import java.math.BigDecimal;

/**
 * A JSON number exactly as written, so that unsigned 64-bit values and long fractions survive parsing. As a double it
 * is the nearest IEEE 754 value, which is what JCS writes.
 */
public final class JsonNumber extends Number {

  private static final long serialVersionUID = 1L;

  private final String text;

  /** A number token as RFC 8259 writes it; the parser checks the grammar. */
  JsonNumber(String text) {
    this.text = text;
  }

  /** The token as written, e.g. for {@link UnsignedNumbers#parse}. */
  public String text() {
    return text;
  }

  public BigDecimal bigDecimalValue() {
    return new BigDecimal(text);
  }

  @Override
  public double doubleValue() {
    return Double.parseDouble(text);
  }

  @Override
  public float floatValue() {
    return Float.parseFloat(text);
  }

  @Override
  public long longValue() {
    return bigDecimalValue().longValue();
  }

  @Override
  public int intValue() {
    return bigDecimalValue().intValue();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonNumber number && text.equals(number.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
