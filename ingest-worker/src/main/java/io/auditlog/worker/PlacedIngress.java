package io.auditlog.worker;

import io.auditlog.store.EventSink;
import io.auditlog.tlog.PlacedRecords;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** The records of an ingress partition that hold leaves ({@link PlacedRecords}); none with the history off. */
interface PlacedIngress {

  /** The last stamp of a record placed at {@code offset} or later, 0 when none. */
  long lastStampFrom(TopicPartition partition, long offset) throws EventSink.TransientWriteException;

  /** The records placed at offsets from {@code from} (inclusive) to {@code to} (exclusive), by offset. */
  Map<Long, PlacedRecords.Placed> between(TopicPartition partition, long from, long to)
      throws EventSink.TransientWriteException;
}
