package io.auditlog.model;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Gives the events of one request their identity and time: a time-ordered {@code event_id} (UUIDv7) shared by the
 * request, a UUIDv7 {@code id} per event, consecutive nanosecond timestamps in stage order, 1-based stages and a
 * random salt per event.
 *
 * <p>Timestamps never repeat, even across gateway processes: within every millisecond, each stamping instance owns
 * its own slot of {@value #SLOT} nanoseconds ({@code instance * 1000} onwards), and hands them out in order. Gateway
 * instances use slots 0 to 499; slots 500 to 999 belong to records produced straight to Kafka
 * ({@link RecordStamper}). When an instance fills its slot within one millisecond, it continues in the next.
 */
public final class EventStamper {

  /** Nanoseconds each instance owns in every millisecond; also the most events one request may carry. */
  public static final int SLOT = TimeSlot.SIZE;
  /** Instances that stamp at the edge (gateways) number their slots from 0 to this, exclusive. */
  public static final int INSTANCES = TimeSlot.COUNT / 2;

  private final TimeBasedEpochGenerator uuids = Generators.timeBasedEpochGenerator();
  private final Clock clock;
  private final TimeSlot slot;

  public EventStamper(Clock clock, int instance) {
    if (instance < 0 || instance >= INSTANCES) {
      throw new IllegalArgumentException("instance must be from 0 to " + (INSTANCES - 1));
    }
    this.clock = clock;
    this.slot = new TimeSlot(instance, 0);
  }

  public EventStamper(Clock clock) {
    this(clock, 0);
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
      stamped.add(new StampedEvent(tenant, uuids.generate().toString(), eventId, first + i, i + 1, events.get(i),
          Salts.draw()));
    }
    return stamped;
  }

  /** Reserves {@code count} consecutive timestamps in this instance's slot, later than any handed out before. */
  private synchronized long reserve(int count) {
    return slot.reserve(clock.millis(), count);
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
