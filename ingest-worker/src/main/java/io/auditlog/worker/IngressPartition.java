package io.auditlog.worker;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.EventSink;
import io.auditlog.tlog.PlacedRecords;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * An ingress partition this member reads: its stamper, resumed at the committed checkpoint, and the records placed in
 * a tree from where it resumed on. A placed record read again is decoded as it was placed (its tenant and its
 * stamps), and the stamper moves past its stamps; a record nobody placed is stamped after what was handed out before
 * it, in offset order, as the first pass did. So a replay that decides every record as before stamps every record as
 * before, whichever of them were placed (a revoked member may still be placing some); and a record decided
 * differently (its key rotated since) takes stamps after the placed records before it, never those of a placed record
 * of its own tenant: a placed record of its tenant after it would have moved the tenant's watermark past it, and it
 * would not be written (another tenant's record may share its nanosecond, in another database).
 */
final class IngressPartition {

  /** How many offsets' worth of batch rows are read from the history at a time. */
  static final long WINDOW = 10_000;

  private final TopicPartition partition;
  private final PlacedIngress history;
  private final RecordStamper stamper;
  private final TreeMap<Long, PlacedRecords.Placed> placed = new TreeMap<>();
  private boolean started;
  /** Where the partition's last batch row started when this member began reading it (-1: no row). */
  private long lastRowStart;
  /** Rows that start before this offset were read. */
  private long rowsReadTo;

  /** The partition resumed at its committed checkpoint ({@code committedStamp}, 0 for none). */
  IngressPartition(TopicPartition partition, long committedStamp, PlacedIngress history) {
    this.partition = partition;
    this.history = history;
    this.stamper = new RecordStamper(partition.topic(), partition.partition(), committedStamp);
  }

  /**
   * The record at {@code offset} if it holds leaves, or null. Offsets come in order; the first one reads the rows
   * that may hold it, and later ones read on while rows that started before this member began are left.
   */
  PlacedRecords.Placed placedAt(long offset) throws EventSink.TransientWriteException {
    if (!started) {
      lastRowStart = history.lastRowStart(partition).orElse(-1);
      readRows(Math.max(0, offset - PlacedRecords.MAX_ROW_SPAN), offset);
      started = true;
    } else if (offset >= rowsReadTo && rowsReadTo <= lastRowStart) {
      readRows(rowsReadTo, offset);
    }
    return placed.get(offset);
  }

  /** Reads the placed records at {@code offset} or later of the rows starting from {@code rowsFrom} to a window on. */
  private void readRows(long rowsFrom, long offset) throws EventSink.TransientWriteException {
    Map<Long, PlacedRecords.Placed> found = history.inRows(partition, rowsFrom, offset + WINDOW, offset);
    placed.headMap(offset).clear();
    placed.putAll(found);
    rowsReadTo = offset + WINDOW;
  }

  /** The events of the record at {@code offset}, which nobody placed, stamped after what was handed out before. */
  List<StampedEvent> stamp(String tenant, long offset, long recordMillis, List<AuditEvent> events) {
    return stamper.stamp(tenant, offset, recordMillis, events);
  }

  /** The events of a placed record, with the stamps it was placed with; later records are stamped after them. */
  List<StampedEvent> restamp(PlacedRecords.Placed record, long offset, List<AuditEvent> events) {
    return stamper.restamp(Long.toString(record.tenant()), offset, record.firstStamp(), events);
  }

  /** The checkpoint to commit with the partition's offset: where its stamps stand now. */
  long lastIssued() {
    return stamper.lastIssued();
  }
}
