package io.auditlog.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as the read API writes them: RFC 3339 in UTC with nine fraction digits and {@code Z}. */
public final class NanoTimestamps {

  private static final DateTimeFormatter NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
      .withZone(ZoneOffset.UTC);

  private NanoTimestamps() {
  }

  /** {@code nanos} since the epoch, e.g. {@code 2022-02-22T19:22:22.000000007Z}. */
  public static String format(long nanos) {
    return NANOS.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        Math.floorMod(nanos, 1_000_000_000L)));
  }

  /** The current time in nanoseconds since the epoch (as precise as the clock). */
  public static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
