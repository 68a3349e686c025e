package io.auditlog.modsecurity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Decoding, cutting and cleaning of the text taken from entries. */
final class Text {
  static final char REPLACEMENT = '\uFFFD';

  private Text() {
  }

  /** UTF-8, with malformed input replaced. */
  static String lenient(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  /** True when the bytes are valid UTF-8; decodes them a piece at a time, keeping none of the text. */
  static boolean isUtf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        return false;
      }
      if (result.isUnderflow()) {
        return decoder.flush(out.clear()).isUnderflow();
      }
      out.clear();
    }
  }

  /** At most {@code max} characters (code points), cut at a character boundary. */
  static String cutChars(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, Math.min(max, text.codePointCount(0, text.length())));
    return text.substring(0, end);
  }

  /** At most {@code max} bytes of UTF-8, cut at a character boundary. */
  static String cutBytes(String text, int max) {
    return text.length() * 3L <= max ? text : cut(text, max, Text::utf8Length);
  }

  /** The longest prefix whose compact JSON string content has at most {@code budget} bytes. */
  static String cutJson(String text, int budget) {
    return cut(text, budget, Text::jsonLength);
  }

  private static String cut(String text, int budget, IntUnaryOperator cost) {
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      used += cost.applyAsInt(c);
      if (used > budget) {
        return text.substring(0, i);
      }
      i += Character.charCount(c);
    }
    return text;
  }

  static int utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }

  /** The length in bytes of the text as a compact JSON string's content (the way Jackson escapes it). */
  static int jsonLength(int codePoint) {
    if (codePoint == '"' || codePoint == '\\' || codePoint == '\n' || codePoint == '\r' || codePoint == '\t'
        || codePoint == '\b' || codePoint == '\f') {
      return 2;
    }
    return codePoint < 0x20 ? 6 : utf8Length(codePoint);
  }

  /** The text with its control characters replaced by U+FFFD, as derived values store them. */
  static String clean(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        out = out == null ? new StringBuilder(text) : out;
        out.setCharAt(i, REPLACEMENT);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * At most {@code max} bytes of UTF-8 of the text cleaned of control characters, cleaning only the characters that
   * can be kept: each takes a byte or more, and cleaning replaces one character by one.
   */
  static String derived(String text, int max) {
    return cutBytes(clean(text.length() > max + 1 ? text.substring(0, max + 1) : text), max);
  }

  private static boolean isControl(char c) {
    return c <= 0x1F || c == 0x7F;
  }

  /**
   * A value stored as an InfluxDB tag: control characters and backslashes that a tag cannot keep become U+FFFD, and
   * the value is cut to {@code max} characters.
   */
  static String tag(String text, int max) {
    StringBuilder out = new StringBuilder(cutChars(text, max));
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (isControl(c)) {
        out.setCharAt(i, REPLACEMENT);
      } else if (c == '\\') {
        char next = i + 1 < out.length() ? out.charAt(i + 1) : 0;
        if (next == 0 || next == ' ' || next == ',' || next == '=' || next == '"') {
          out.setCharAt(i, REPLACEMENT);
        }
      }
    }
    return out.toString();
  }

  /** At most {@code max} of the fields of a line separated by spaces or tabs, from its start. */
  static List<String> fields(String line, int max) {
    List<String> fields = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= line.length() && fields.size() < max; i++) {
      boolean separator = i == line.length() || isSeparator(line.charAt(i));
      if (separator && start >= 0) {
        fields.add(line.substring(start, i));
        start = -1;
      } else if (!separator && start < 0) {
        start = i;
      }
    }
    return fields;
  }

  /** The fields of a line separated by spaces or tabs. */
  static List<String> fields(String line) {
    return fields(line, Integer.MAX_VALUE);
  }

  static boolean isSeparator(char c) {
    return c == ' ' || c == '\t';
  }

  /** True when the text is 1 to {@code max} ASCII digits. */
  static boolean digits(String text, int max) {
    if (text.isEmpty() || text.length() > max) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Removes one pair of surrounding double quotes. */
  static String unquote(String text) {
    String value = text.trim();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
