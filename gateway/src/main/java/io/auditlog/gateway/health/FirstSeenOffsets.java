package io.auditlog.gateway.health;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * When this monitor first saw each partition's end offset grow, so that the record at an offset is known to have
 * existed since the first sample whose end was past it: an age found without asking the broker for the record's time
 * (which, asked by time, reads the partition's batches, and a producer's batches may decompress to more than its heap).
 * The age is a lower bound: a record written before this gateway's first sample counts from that sample.
 */
final class FirstSeenOffsets {

  /** Sightings kept per partition: at one a sample, more than a day of a growing, unstored partition. */
  static final int MAX_SIGHTINGS = 50_000;

  /** At {@code at}, the partition's end offset was {@code end}: every record before it existed. */
  private record Sighting(Instant at, long end) {
  }

  private final Map<TopicPartition, Deque<Sighting>> sightings = new HashMap<>();

  /**
   * Notes that {@code partition} ended at {@code end} at {@code at}, and answers since when its record at
   * {@code first} (below {@code end}) is known to exist.
   */
  Instant existsSince(TopicPartition partition, long first, long end, Instant at) {
    Deque<Sighting> seen = sightings.computeIfAbsent(partition, p -> new ArrayDeque<>());
    if (seen.isEmpty() || seen.peekLast().end() < end) {
      seen.addLast(new Sighting(at, end));
    }
    while (!seen.isEmpty() && seen.peekFirst().end() <= first) {
      seen.removeFirst();
    }
    if (seen.size() > MAX_SIGHTINGS) {
      // The oldest sighting dates the record at first; the next one, of later records, goes.
      Sighting oldest = seen.removeFirst();
      seen.removeFirst();
      seen.addFirst(oldest);
    }
    return seen.isEmpty() ? at : seen.peekFirst().at();
  }

  /** Forgets every partition but {@code lagging}. */
  void retainOnly(Collection<TopicPartition> lagging) {
    sightings.keySet().retainAll(lagging);
  }
}
