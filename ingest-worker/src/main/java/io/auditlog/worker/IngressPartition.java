package io.auditlog.worker;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.EventSink;
import io.auditlog.tlog.PlacedRecords;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * An ingress partition this member reads: its stamper, and the records placed in a tree from where it resumed on.
 * A placed record read again is decoded as it was placed (its tenant and its first stamp); the other records are
 * stamped after the committed checkpoint and after every stamp placed ahead of them, so that a record decided
 * differently on its replay never takes a stamp that a placed record holds. In the usual replay, where every record
 * is decided again as before, that gives each record the stamps it had the first time.
 */
final class IngressPartition {

  /** How many offsets' worth of placed records are read from the history at a time. */
  static final long WINDOW = 10_000;

  private final TopicPartition partition;
  private final long committedStamp;
  private final PlacedIngress history;
  private RecordStamper stamper;
  private long loadedFrom;
  private long loadedTo;
  private Map<Long, PlacedRecords.Placed> placed = Map.of();

  /** The partition resumed at its committed checkpoint ({@code committedStamp}, 0 for none). */
  IngressPartition(TopicPartition partition, long committedStamp, PlacedIngress history) {
    this.partition = partition;
    this.committedStamp = committedStamp;
    this.history = history;
  }

  /** The record at {@code offset} if it holds leaves, or null; reads the history when the offset is new to it. */
  PlacedRecords.Placed placedAt(long offset) throws EventSink.TransientWriteException {
    readAhead(offset);
    return placed.get(offset);
  }

  /** The events of the record at {@code offset}, which nobody placed, stamped after what was handed out before. */
  List<StampedEvent> stamp(String tenant, long offset, long recordMillis, List<AuditEvent> events)
      throws EventSink.TransientWriteException {
    readAhead(offset);
    return stamper.stamp(tenant, offset, recordMillis, events);
  }

  /** The events of a placed record, with the stamps it was placed with. */
  List<StampedEvent> restamp(PlacedRecords.Placed record, long offset, List<AuditEvent> events) {
    return stamper.restamp(Long.toString(record.tenant()), offset, record.firstStamp(), events);
  }

  /** The checkpoint to commit with the partition's offset: where its stamps stand now. */
  long lastIssued() {
    return stamper == null ? committedStamp : stamper.lastIssued();
  }

  private void readAhead(long offset) throws EventSink.TransientWriteException {
    if (stamper == null) {
      long resumeAfter = Math.max(committedStamp, history.lastStampFrom(partition, offset));
      load(offset);
      stamper = new RecordStamper(partition.topic(), partition.partition(), resumeAfter);
    } else if (offset < loadedFrom || offset >= loadedTo) {
      load(offset);
    }
  }

  private void load(long offset) throws EventSink.TransientWriteException {
    placed = history.between(partition, offset, offset + WINDOW);
    loadedFrom = offset;
    loadedTo = offset + WINDOW;
  }
}
