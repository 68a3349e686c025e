package io.auditlog.worker;

import io.auditlog.store.EventSink;
import io.auditlog.tlog.PlacedRecords;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/** The records of an ingress partition that hold leaves ({@link PlacedRecords}); none with the history off. */
interface PlacedIngress {

  /** Where the partition's last batch row starts; empty when it has none. */
  OptionalLong lastRowStart(TopicPartition partition) throws EventSink.TransientWriteException;

  /** As {@link PlacedRecords#inRows}. */
  Map<Long, PlacedRecords.Placed> inRows(TopicPartition partition, long rowsFrom, long rowsTo, long from)
      throws EventSink.TransientWriteException;
}
