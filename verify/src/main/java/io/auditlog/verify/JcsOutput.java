package io.auditlog.verify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * RFC 8785 text written straight as UTF-8 bytes: strings quoted and escaped only where JSON requires (lower-case
 * {@code \\u00xx} for the other control characters), numbers the ECMAScript way. The one place this project escapes
 * a JCS string; the caller writes structure and keeps keys in order ({@link Jcs} for parsed values). Reusable:
 * {@link #clear()} keeps the buffers.
 */
public final class JcsOutput {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;
  private char[] chars = new char[64];

  public JcsOutput(int capacity) {
    this.bytes = new byte[Math.max(16, capacity)];
  }

  /** Empties the output, keeping its buffer. */
  public JcsOutput clear() {
    length = 0;
    return this;
  }

  /** The buffer's size: what a caller that keeps one output per thread checks before keeping it. */
  public int capacity() {
    return bytes.length;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /** One ASCII character of structure: a brace, a bracket, a comma, a colon. */
  public JcsOutput raw(char ascii) {
    ensure(1);
    bytes[length++] = (byte) ascii;
    return this;
  }

  /**
   * ASCII text written as it is: literals, numbers already formatted, and keys the caller knows need no escape.
   *
   * @throws IllegalArgumentException for a character outside ASCII, or one JSON would escape
   */
  public JcsOutput raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = ascii.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        throw new IllegalArgumentException("not plain ASCII at index " + i + " of a raw text");
      }
      bytes[length++] = (byte) c;
    }
    return this;
  }

  /**
   * An object key a writer uses for every document it writes, encoded once as {@code "key":}.
   *
   * @throws IllegalArgumentException unless the key is ASCII that JSON does not escape
   */
  public static Key plainKey(String key) {
    return new Key(new JcsOutput(key.length() + 3).raw('"').raw(key).raw('"').raw(':').toByteArray());
  }

  /** {@code "key":}. */
  public JcsOutput key(Key key) {
    byte[] encoded = key.encoded;
    ensure(encoded.length);
    System.arraycopy(encoded, 0, bytes, length, encoded.length);
    length += encoded.length;
    return this;
  }

  /**
   * A string, quoted, escaped where JSON requires and encoded in UTF-8.
   *
   * @throws IllegalArgumentException for a lone surrogate (it has no UTF-8)
   */
  public JcsOutput string(String string) {
    int n = string.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    string.getChars(0, n, chars, 0);
    ensure(6 * n + 2);
    byte[] out = bytes;
    int at = length;
    out[at++] = '"';
    for (int i = 0; i < n; i++) {
      char c = chars[i];
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          out[at++] = (byte) c;
        } else {
          at = escape(out, at, c);
        }
      } else if (c < 0x800) {
        out[at++] = (byte) (0xc0 | c >> 6);
        out[at++] = (byte) (0x80 | c & 0x3f);
      } else if (!Character.isSurrogate(c)) {
        out[at++] = (byte) (0xe0 | c >> 12);
        out[at++] = (byte) (0x80 | c >> 6 & 0x3f);
        out[at++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars[i + 1])) {
        int code = Character.toCodePoint(c, chars[++i]);
        out[at++] = (byte) (0xf0 | code >> 18);
        out[at++] = (byte) (0x80 | code >> 12 & 0x3f);
        out[at++] = (byte) (0x80 | code >> 6 & 0x3f);
        out[at++] = (byte) (0x80 | code & 0x3f);
      } else {
        throw new IllegalArgumentException("a lone surrogate at index " + i + " cannot be written as UTF-8");
      }
    }
    out[at++] = '"';
    length = at;
    return this;
  }

  /**
   * A number as RFC 8785 writes it (ECMAScript's Number::toString of the double).
   *
   * @throws IllegalArgumentException for NaN and infinities
   */
  public JcsOutput number(double number) {
    ensure(EcmaNumber.MAX_LENGTH);
    length = EcmaNumber.write(number, bytes, length);
    return this;
  }

  public JcsOutput bool(boolean value) {
    return raw(value ? "true" : "false");
  }

  /** An object key and its colon, in bytes ({@link #plainKey}). */
  public static final class Key {
    private final byte[] encoded;

    private Key(byte[] encoded) {
      this.encoded = encoded;
    }
  }

  private static int escape(byte[] out, int at, char c) {
    out[at++] = '\\';
    switch (c) {
      case '"' -> out[at++] = '"';
      case '\\' -> out[at++] = '\\';
      case '\b' -> out[at++] = 'b';
      case '\f' -> out[at++] = 'f';
      case '\n' -> out[at++] = 'n';
      case '\r' -> out[at++] = 'r';
      case '\t' -> out[at++] = 't';
      default -> {
        out[at++] = 'u';
        out[at++] = '0';
        out[at++] = '0';
        out[at++] = HEX[c >> 4];
        out[at++] = HEX[c & 0xf];
      }
    }
    return at;
  }

  private void ensure(int more) {
    if (bytes.length - length < more) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
