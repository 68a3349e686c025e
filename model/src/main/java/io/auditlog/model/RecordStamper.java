package io.auditlog.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Identity and time for events a producer wrote straight to Kafka, derived only from the record's coordinates
 * (topic, partition, offset) and its timestamp, so that reading the record again gives the same ids and nanosecond
 * timestamps, and thus the same points. The ids are version 7 UUIDs carrying the record's millisecond, so a trail
 * lookup finds them like any other. The sub-millisecond digits use the slots gateways never take (see
 * {@link EventStamper}): slot {@code 500 + offset % 500}, then the stage; two records of one partition share a slot
 * only when 500 offsets apart within the same millisecond.
 */
public final class RecordStamper {

  private RecordStamper() {
  }

  public static List<StampedEvent> stamp(String tenant, String topic, int partition, long offset,
      long recordMillis, List<AuditEvent> events) {
    String coordinates = topic + "/" + partition + "/" + offset;
    String eventId = uuid7(recordMillis, coordinates).toString();
    long slot = EventStamper.INSTANCES + Math.floorMod(offset, (long) EventStamper.INSTANCES);
    long base = recordMillis * 1_000_000L + slot * EventStamper.SLOT;
    List<StampedEvent> stamped = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      stamped.add(new StampedEvent(tenant, uuid7(recordMillis, coordinates + "#" + (i + 1)).toString(), eventId,
          base + i, i + 1, events.get(i)));
    }
    return stamped;
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
