package io.auditlog.modsecurity;

import java.nio.charset.StandardCharsets;

/**
 * The lines of a byte range split at LF, each without one CR before its end, visited one at a time: a line is decoded
 * (UTF-8, malformed input replaced) only when asked for, so a section of a million short lines costs no more than its
 * bytes. They are the lines of the range decoded whole and then split ({@code "a\n"} is two lines, the second empty).
 */
final class ByteLines {
  private final byte[] bytes;
  private final int to;
  private int next;
  private int start;
  private int end;

  ByteLines(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.to = to;
    this.next = from;
  }

  ByteLines(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  /** Moves to the next line; false when there is none. */
  boolean next() {
    if (next > to) {
      return false;
    }
    start = next;
    int lf = start;
    while (lf < to && bytes[lf] != '\n') {
      lf++;
    }
    end = lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
    next = lf + 1;
    return true;
  }

  /** True when the line is empty. */
  boolean isEmpty() {
    return end == start;
  }

  /** As {@link String#isBlank()} of the decoded line, decoding it only when it has a byte beyond ASCII. */
  boolean isBlank() {
    for (int i = start; i < end; i++) {
      if (bytes[i] < 0) {
        return text().isBlank();
      }
      if (!Character.isWhitespace(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  /** True when the line starts with {@code ascii} (an ASCII text), as its decoded text would. */
  boolean startsWith(String ascii) {
    if (end - start < ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (bytes[start + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The line decoded. */
  String text() {
    return Text.lenient(bytes, start, end);
  }

  /**
   * The line decoded and cut to at most {@code maxBytes} bytes of UTF-8 at a character boundary, as
   * {@code Text.cutBytes(text(), maxBytes)}, decoding no more than {@code maxBytes + 4} bytes: a code point kept
   * starts before byte {@code maxBytes} (a replaced byte grows, never shrinks), and none spans more than 4.
   */
  String text(int maxBytes) {
    return Text.cutBytes(Text.lenient(bytes, start, (int) Math.min(end, (long) start + maxBytes + 4)), maxBytes);
  }

  /** The first line that is not blank, decoded, or null. */
  static String firstNonBlank(byte[] bytes) {
    ByteLines lines = new ByteLines(bytes);
    while (lines.next()) {
      if (!lines.isBlank()) {
        return lines.text();
      }
    }
    return null;
  }

  /** True when a line of the bytes starts with {@code ascii}. */
  static boolean anyStartsWith(byte[] bytes, String ascii) {
    ByteLines lines = new ByteLines(bytes);
    while (lines.next()) {
      if (lines.startsWith(ascii)) {
        return true;
      }
    }
    return false;
  }

  /** The UTF-8 bytes of a text, to read its lines. */
  static ByteLines of(String text) {
    return new ByteLines(text.getBytes(StandardCharsets.UTF_8));
  }
}
