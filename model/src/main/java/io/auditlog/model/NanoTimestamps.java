package io.auditlog.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Times as the read API writes them: RFC 3339 in UTC with nine fraction digits and {@code Z}. Written digit by digit
 * from the JDK's calendar fields: the worker formats one for every event's canonical form, where a
 * {@code DateTimeFormatter} was 2% of its CPU ({@code NanoTimestampsTest} holds the digits to that formatter's text).
 */
public final class NanoTimestamps {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private NanoTimestamps() {
  }

  /**
   * {@code nanos} since the epoch, e.g. {@code 2022-02-22T19:22:22.000000007Z}; every {@code long} is a year of four
   * digits (1677 to 2262).
   */
  public static String format(long nanos) {
    LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND),
        (int) Math.floorMod(nanos, NANOS_PER_SECOND), ZoneOffset.UTC);
    StringBuilder text = new StringBuilder(30);
    digits(text, time.getYear(), 4).append('-');
    digits(text, time.getMonthValue(), 2).append('-');
    digits(text, time.getDayOfMonth(), 2).append('T');
    digits(text, time.getHour(), 2).append(':');
    digits(text, time.getMinute(), 2).append(':');
    digits(text, time.getSecond(), 2).append('.');
    return digits(text, time.getNano(), 9).append('Z').toString();
  }

  /** {@code value}'s last {@code width} decimal digits, with leading zeros. */
  private static StringBuilder digits(StringBuilder text, int value, int width) {
    for (int unit = POWERS_OF_TEN[width - 1]; unit > 0; unit /= 10) {
      text.append((char) ('0' + value / unit % 10));
    }
    return text;
  }

  /** The current time in nanoseconds since the epoch (as precise as the clock). */
  public static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
