package io.auditlog.verify;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timestamps as events are read back: RFC 3339 in UTC with exactly nine fraction digits and {@code Z}, e.g.
 * {@code 2022-02-22T19:22:22.000000007Z}, as nanoseconds since the Unix epoch.
 */
final class Rfc3339Nanos {

  private static final Pattern FORMAT =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{9})Z");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Rfc3339Nanos() {
  }

  /**
   * The nanoseconds since the epoch of a timestamp from 1970 on.
   *
   * @throws IllegalArgumentException for any other form, an impossible date, or a time outside 1970–2262
   */
  static long parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a timestamp with nine fraction digits and Z: \"" + text + "\"");
    }
    try {
      LocalDateTime time = LocalDateTime.of(group(m, 1), group(m, 2), group(m, 3), group(m, 4), group(m, 5),
          group(m, 6));
      long seconds = time.toEpochSecond(ZoneOffset.UTC);
      long nanos = Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), group(m, 7));
      if (nanos < 0) {
        throw new IllegalArgumentException("a timestamp before 1970: \"" + text + "\"");
      }
      return nanos;
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("not a timestamp from 1970 to 2262: \"" + text + "\"", e);
    }
  }

  private static int group(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }
}
