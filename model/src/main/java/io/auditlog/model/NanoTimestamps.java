package io.auditlog.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Times as the read API writes them: RFC 3339 in UTC with nine fraction digits and {@code Z}. Written digit by digit
 * from the JDK's calendar fields: the worker formats one for every event's canonical form, where a
 * {@code DateTimeFormatter} was 2% of its CPU ({@code NanoTimestampsTest} holds the digits to that formatter's text).
 * Each thread keeps the text of the last second it wrote, which the next time mostly shares: only the fraction is
 * written again.
 */
public final class NanoTimestamps {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
  private static final ThreadLocal<SecondText> LAST_SECOND = ThreadLocal.withInitial(SecondText::new);

  private NanoTimestamps() {
  }

  /**
   * {@code nanos} since the epoch, e.g. {@code 2022-02-22T19:22:22.000000007Z}; every {@code long} is a year of four
   * digits (1677 to 2262).
   */
  public static String format(long nanos) {
    char[] text = LAST_SECOND.get().of(Math.floorDiv(nanos, NANOS_PER_SECOND));
    int fraction = (int) Math.floorMod(nanos, NANOS_PER_SECOND);
    for (int i = SecondText.FRACTION + 8; i >= SecondText.FRACTION; i--) {
      text[i] = (char) ('0' + fraction % 10);
      fraction /= 10;
    }
    return new String(text);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss.} of one second, and room for the fraction and {@code Z}. */
  private static final class SecondText {
    static final int FRACTION = 20;

    private final char[] text = new char[FRACTION + 10];
    private long second = Long.MIN_VALUE;

    char[] of(long second) {
      if (second != this.second) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        int at = digits(time.getYear(), 4, 0);
        text[at++] = '-';
        at = digits(time.getMonthValue(), 2, at);
        text[at++] = '-';
        at = digits(time.getDayOfMonth(), 2, at);
        text[at++] = 'T';
        at = digits(time.getHour(), 2, at);
        text[at++] = ':';
        at = digits(time.getMinute(), 2, at);
        text[at++] = ':';
        at = digits(time.getSecond(), 2, at);
        text[at] = '.';
        text[FRACTION + 9] = 'Z';
        this.second = second;
      }
      return text;
    }

    /** {@code value}'s last {@code width} decimal digits, with leading zeros, at {@code at}; returns where they end. */
    private int digits(int value, int width, int at) {
      for (int unit = POWERS_OF_TEN[width - 1]; unit > 0; unit /= 10) {
        text[at++] = (char) ('0' + value / unit % 10);
      }
      return at;
    }
  }

  /** The current time in nanoseconds since the epoch (as precise as the clock). */
  public static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
