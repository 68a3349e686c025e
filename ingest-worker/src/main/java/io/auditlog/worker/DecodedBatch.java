package io.auditlog.worker;

import io.auditlog.model.StampedEvent;
import io.auditlog.tlog.SequencedEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A batch after the decode stage: each tenant's events with the record each came from, the records that can
 * never be stored and why, and the offsets (with an ingress partition's stamp checkpoint) to commit once all of it is
 * stored. The offsets are touched by the consumer's thread only; the rest is read-only once the batch is dispatched.
 */
final class DecodedBatch {

  /**
   * An event to store, the record it came from (dead-lettered if the store refuses the event's line), and its leaf in
   * the tenant's history (null with the history off).
   */
  record Entry(StampedEvent event, ConsumerRecord<byte[], byte[]> record, SequencedEvent leaf) {
  }

  /** A record that can never be stored. */
  record Refused(ConsumerRecord<byte[], byte[]> record, String reason) {
  }

  private final Map<String, List<Entry>> byTenant = new LinkedHashMap<>();
  private final List<Refused> refused = new ArrayList<>();
  private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
  private final Set<TopicPartition> forgotten = new HashSet<>();
  private final long startedNanos = System.nanoTime();
  private int events;

  /** The record's events, and their leaves ({@link HistoryStage#leaves}: null with the history off). */
  void add(ConsumerRecord<byte[], byte[]> record, List<StampedEvent> decoded, List<SequencedEvent> leaves) {
    for (int i = 0; i < decoded.size(); i++) {
      StampedEvent event = decoded.get(i);
      byTenant.computeIfAbsent(event.tenant(), t -> new ArrayList<>())
          .add(new Entry(event, record, leaves == null ? null : leaves.get(i)));
    }
    events += decoded.size();
  }

  void refuse(ConsumerRecord<byte[], byte[]> record, String reason) {
    refused.add(new Refused(record, reason));
  }

  /** Records that the batch covers {@code record}'s partition up to it, with the partition's stamp checkpoint. */
  void covers(ConsumerRecord<byte[], byte[]> record, String checkpoint) {
    offsets.put(new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1, checkpoint));
  }

  /** Partitions taken from this member: whatever of them the batch holds is no longer its to commit. */
  void forget(Collection<TopicPartition> partitions) {
    forgotten.addAll(partitions);
    partitions.forEach(offsets::remove);
  }

  boolean forgot(TopicPartition partition) {
    return forgotten.contains(partition);
  }

  /** Each tenant's entries in the order their records were added: the events of one record are consecutive. */
  Map<String, List<Entry>> byTenant() {
    return byTenant;
  }

  List<Refused> refused() {
    return refused;
  }

  Map<TopicPartition, OffsetAndMetadata> offsets() {
    return offsets;
  }

  int events() {
    return events;
  }

  long startedNanos() {
    return startedNanos;
  }
}
