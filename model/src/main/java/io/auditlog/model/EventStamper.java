package io.auditlog.model;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives the events of one request their identity and time: a time-ordered {@code event_id} (UUIDv7) shared by the
 * request, a UUIDv7 {@code id} per event, consecutive nanosecond timestamps in stage order, and 1-based stages.
 * Timestamps never repeat within one stamper, even when two requests arrive in the same nanosecond.
 */
public final class EventStamper {

  private final TimeBasedEpochGenerator uuids = Generators.timeBasedEpochGenerator();
  private final AtomicLong lastNanos = new AtomicLong();
  private final Clock clock;

  public EventStamper(Clock clock) {
    this.clock = clock;
  }

  public EventStamper() {
    this(Clock.systemUTC());
  }

  public List<StampedEvent> stamp(String tenant, List<AuditEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    long first = reserve(events.size());
    String eventId = uuids.generate().toString();
    List<StampedEvent> stamped = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      stamped.add(new StampedEvent(tenant, uuids.generate().toString(), eventId, first + i, i + 1, events.get(i)));
    }
    return stamped;
  }

  /** Reserves {@code count} consecutive nanosecond timestamps, all later than any handed out before. */
  private long reserve(int count) {
    Instant now = clock.instant();
    long nowNanos = Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L) + now.getNano();
    long last = lastNanos.getAndAccumulate(nowNanos,
        (previous, current) -> Math.max(previous + count, current + count - 1));
    return Math.max(last + 1, nowNanos);
  }

  /** The creation time of a time-ordered (version 7) id, in milliseconds since the epoch, or -1 for other ids. */
  public static long epochMillisOf(String uuid) {
    try {
      UUID parsed = UUID.fromString(uuid);
      return parsed.version() == 7 ? parsed.getMostSignificantBits() >>> 16 : -1;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }
}
