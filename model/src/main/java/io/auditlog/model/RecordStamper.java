package io.auditlog.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Identity and time for events a producer wrote straight to Kafka, one stamper per partition of the ingress topic.
 *
 * <p>Timestamps: partition {@code p} owns the slot {@code 500 + p} of every millisecond (gateways own slots 0 to
 * 499, see {@link EventStamper}), so two partitions never hand out the same nanosecond. Within its slot, a partition
 * hands out nanoseconds in record order, at the record's millisecond or, when that millisecond's slot is used up, at
 * the next free place after the last one handed out. A stamp therefore depends on the record and on the last
 * nanosecond handed out before it ({@link #lastIssued()}); the worker commits that value with the partition's offset,
 * and a replay from a committed offset starts from it and gives the same stamps again.
 *
 * <p>Ids are version 7 UUIDs carrying the stamp's millisecond (so a trail lookup finds them like any other) whose
 * other bits are a hash of the record's coordinates (topic, partition, offset, position).
 */
public final class RecordStamper {

  /** The most partitions an ingress topic may have: one slot each. */
  public static final int PARTITIONS = TimeSlot.COUNT - EventStamper.INSTANCES;

  private final String topic;
  private final int partition;
  private final TimeSlot slot;

  /** A stamper for {@code partition} (0 to 499) that already handed out everything up to {@code lastIssued}. */
  public RecordStamper(String topic, int partition, long lastIssued) {
    if (partition < 0 || partition >= PARTITIONS) {
      throw new IllegalArgumentException("ingress partitions are numbered from 0 to " + (PARTITIONS - 1));
    }
    this.topic = topic;
    this.partition = partition;
    this.slot = new TimeSlot(EventStamper.INSTANCES + partition, lastIssued);
  }

  /** The events of the record at {@code offset}, written at {@code recordMillis}, stamped after the previous record. */
  public List<StampedEvent> stamp(String tenant, long offset, long recordMillis, List<AuditEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    return stamped(tenant, offset, slot.reserve(recordMillis, events.size()), events);
  }

  /**
   * The events of the record at {@code offset} stamped from {@code firstStamp} on, as they were the first time it was
   * read: a record placed before is read again with its stamps. The records after it are stamped after them (and
   * after everything handed out before).
   *
   * @throws IllegalArgumentException when the stamps are not all in this partition's slot
   */
  public List<StampedEvent> restamp(String tenant, long offset, long firstStamp, List<AuditEvent> events) {
    if (!slot.holds(firstStamp, events.size())) {
      throw new IllegalArgumentException("stamps from " + firstStamp + " are not in the slot of " + topic + "/"
          + partition);
    }
    slot.handedOut(firstStamp + events.size() - 1);
    return stamped(tenant, offset, firstStamp, events);
  }

  private List<StampedEvent> stamped(String tenant, long offset, long first, List<AuditEvent> events) {
    long millis = Math.floorDiv(first, 1_000_000L);
    String coordinates = topic + "/" + partition + "/" + offset;
    String eventId = uuid7(millis, coordinates).toString();
    List<StampedEvent> stamped = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      stamped.add(new StampedEvent(tenant, uuid7(millis, coordinates + "#" + (i + 1)).toString(), eventId,
          first + i, i + 1, events.get(i)));
    }
    return stamped;
  }

  /** The last nanosecond handed out: what a stamper resuming after this one's last record must start from. */
  public long lastIssued() {
    return slot.lastIssued();
  }

  /** A version 7 UUID with the given millisecond and random bits taken from a hash of {@code seed}. */
  public static UUID uuid7(long millis, String seed) {
    byte[] hash = sha256(seed.getBytes(StandardCharsets.UTF_8));
    ByteBuffer bits = ByteBuffer.wrap(hash);
    long high = (millis << 16) | (0x7000L) | (bits.getShort() & 0x0FFFL);
    long low = (bits.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
