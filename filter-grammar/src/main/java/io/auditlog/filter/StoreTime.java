package io.auditlog.filter;

import java.time.Duration;
import java.time.Instant;

/**
 * The times the store can hold, nanoseconds since the epoch in a signed 64-bit integer, and every conversion of an
 * instant to them. A time beyond that range is taken as the nearest end of it, so {@code time >= 2300-01-01} or
 * {@code age > 20000w} compare against the last or first storable time instead of overflowing into another century.
 */
public final class StoreTime {

  public static final Instant EARLIEST = Instant.ofEpochSecond(-9_223_372_036L + 1);
  public static final Instant LATEST = Instant.ofEpochSecond(9_223_372_036L - 1);

  private StoreTime() {
  }

  /** The instant, or the end of the storable range it lies beyond. */
  public static Instant clamp(Instant instant) {
    return instant.isBefore(EARLIEST) ? EARLIEST : instant.isAfter(LATEST) ? LATEST : instant;
  }

  /** {@code duration} before {@code now}, clamped: never earlier than {@link #EARLIEST}, whatever the duration. */
  public static Instant before(Instant now, Duration duration) {
    Instant from = clamp(now);
    return duration.compareTo(Duration.between(EARLIEST, from)) >= 0 ? EARLIEST : from.minus(duration);
  }

  /** Nanoseconds since the epoch of the instant, clamped to the storable range. */
  public static long nanos(Instant instant) {
    Instant clamped = clamp(instant);
    return clamped.getEpochSecond() * 1_000_000_000L + clamped.getNano();
  }
}
