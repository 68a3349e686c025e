package io.auditlog.worker;

import io.auditlog.model.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An estimate of the heap a record's events take once decoded ({@link Json#treeBytes}): an event of the benchmark's
 * costs some ten times its bytes, one of empty objects over forty, so a batch bounded by bytes alone held trees of
 * many times the worker's heap.
 */
final class DecodedCost {
  /** A batch's decoded cost at most, in multiples of its bytes' bound: the benchmark's batches stay whole. */
  static final int PER_BATCH_BYTE = 12;

  private DecodedCost() {
  }

  static long of(ConsumerRecord<byte[], byte[]> record) {
    return record.value() == null ? 0 : Json.treeBytes(record.value());
  }
}
