package io.auditlog.store.read;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.time.Duration;
import java.time.Instant;

/** Windows aligned to the epoch (as InfluxQL's GROUP BY time() aligns them), clipped to the query's range. */
public final class Windows {

  private Windows() {
  }

  /** The start of the epoch-aligned window holding {@code nanos}. */
  public static long alignedStart(long nanos, Duration interval) {
    return Math.floorDiv(nanos, interval.toNanos()) * interval.toNanos();
  }

  /** {@code {"start","stop","range"}} of the window starting at {@code windowStart}, clipped to [start, stop). */
  static ObjectNode describe(long windowStart, Duration interval, Instant start, Instant stop) {
    Instant from = max(Instant.ofEpochSecond(0, windowStart), start);
    Instant to = min(Instant.ofEpochSecond(0, windowStart).plus(interval), stop);
    ObjectNode window = Json.MAPPER.createObjectNode();
    window.put("start", from.toString());
    window.put("stop", to.toString());
    window.put("range", from + " - " + to);
    return window;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
