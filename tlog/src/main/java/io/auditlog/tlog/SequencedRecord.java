package io.auditlog.tlog;

import java.util.List;

/**
 * One Kafka record's events, as the sequencer needs them: where the record is ({@code topic}, {@code partition},
 * {@code offset}), whether it was published under an idempotency key (its events may come again in a later record
 * and must keep their leaves), and its events in order.
 */
public record SequencedRecord(String topic, int partition, long offset, boolean idempotent,
    List<SequencedEvent> events) {

  /** The key of the record's partition in the tree row's watermarks and the batch rows. */
  public String partitionKey() {
    return topic + ":" + partition;
  }
}
