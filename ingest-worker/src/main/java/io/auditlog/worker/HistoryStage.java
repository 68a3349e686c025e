package io.auditlog.worker;

import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.auditlog.store.EventSink;
import io.auditlog.store.HistoryLeaf;
import io.auditlog.tlog.Erasures;
import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.PlacedRecords;
import io.auditlog.tlog.Placement;
import io.auditlog.tlog.Placements;
import io.auditlog.tlog.SaltDerivation;
import io.auditlog.tlog.SequencedEvent;
import io.auditlog.tlog.SequencedRecord;
import io.auditlog.tlog.Sequencer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The history stage: in the decode stage, makes each event's leaf (its salt and the commitment to its canonical form,
 * {@link #leaves}); between decode and store, places a tenant's part of a batch in the tenant's tree (one PostgreSQL
 * transaction, {@link Sequencer}) and says which events to write with which leaf. Each writer thread keeps its own
 * connection. With the history off, every event is written without a leaf, and no record is known as placed.
 */
final class HistoryStage implements PlacedIngress, AutoCloseable {

  /**
   * The events of a part to write, each with its leaf (null when the history is off); how many replayed records had
   * no leaves; and the records refused (past the tenant's retention, or replayed without leaves), to dead-letter.
   */
  record Placed(List<DecodedBatch.Entry> entries, List<HistoryLeaf> leaves, int skippedRecords,
      List<DecodedBatch.Refused> refused) {
  }

  /** One record's entries (consecutive in a part), and what the sequencer is given of it. */
  private record RecordEntries(List<DecodedBatch.Entry> entries, SequencedRecord sequenced) {
  }

  /**
   * Why a replayed record with no leaves goes to the dead letters rather than nowhere: below its partition's watermark,
   * it can no longer get a leaf, and a record is never dropped unseen. (A republished record whose first leaves are
   * no longer known, kept {@code AUDIT_REPUBLISHED_RETENTION}, was stored the first time: it is only counted.)
   */
  static final String UNPLACED_REPLAY = "read again below its partition's watermark in the tenant's tree, with no "
      + "leaf recorded for it: not stored (refused or past retention when it was first read, or read differently then)";

  private static final Map<String, Object> REJECTED = Map.of("reason", "rejected", "actor",
      Map.of("system", "ingest"));

  private final Sequencer sequencer;
  private final SaltDerivation salts;
  private final ThreadConnections connections;
  private final String ingressTopic;

  private HistoryStage(Sequencer sequencer, SaltDerivation salts, ThreadConnections connections,
      String ingressTopic) {
    this.sequencer = sequencer;
    this.salts = salts;
    this.connections = connections;
    this.ingressTopic = ingressTopic;
  }

  /** {@code ingressTopic}: the direct producers' topic, whose records are never republished (see below). */
  static HistoryStage on(Sequencer sequencer, SaltDerivation salts, PgLogin login, String ingressTopic) {
    return new HistoryStage(sequencer, salts, new ThreadConnections(login), ingressTopic);
  }

  static HistoryStage off() {
    return new HistoryStage(null, null, null, null);
  }

  /**
   * Each of a record's events as its leaf will commit to it, or null with the history off: its salt (as the event
   * brought it, or derived from its record) and the commitment to its salted canonical form. Made in the decode
   * stage, on the consumer's thread, while the events just decoded are still in the processor's cache, and keeping 32
   * bytes an event until placement rather than its canonical form. CPU only.
   *
   * @throws IllegalArgumentException when an event has no canonical form (RFC 8785), an id that is not a UUID in
   *     its canonical form, a timestamp before 1970 or a salt that is not 16 bytes of base64: the edge sends none of
   *     these, so only a producer writing to Kafka itself could
   */
  List<SequencedEvent> leaves(ConsumerRecord<byte[], byte[]> record, List<StampedEvent> events) {
    if (sequencer == null) {
      return null;
    }
    List<SequencedEvent> leaves = new ArrayList<>(events.size());
    for (StampedEvent event : events) {
      byte[] canonical = CanonicalEvent.of(event);
      leaves.add(event.salt() != null ? SequencedEvent.of(event.id(), event.timestampNanos(), event.salt(), canonical)
          : SequencedEvent.of(event.id(), event.timestampNanos(),
              salts.of(record.topic(), record.partition(), record.offset(), event.stage()), canonical));
    }
    return leaves;
  }

  /** Places one tenant's part; blocking. A failure leaves nothing placed (the transaction rolled back). */
  Placed place(String tenant, List<DecodedBatch.Entry> entries) throws SQLException {
    if (sequencer == null) {
      return new Placed(entries, Collections.nCopies(entries.size(), null), 0, List.of());
    }
    List<RecordEntries> records = new ArrayList<>();
    forEachRecord(entries, (record, group) -> {
      List<SequencedEvent> events = new ArrayList<>(group.size());
      group.forEach(entry -> events.add(entry.leaf()));
      records.add(new RecordEntries(group, new SequencedRecord(record.topic(), record.partition(), record.offset(),
          republishes(record), events)));
    });
    Placements placements = connections.with(connection -> sequencer.sequence(connection, Long.parseLong(tenant),
        records.stream().map(RecordEntries::sequenced).toList()));
    List<DecodedBatch.Entry> toWrite = new ArrayList<>(entries.size());
    List<HistoryLeaf> leaves = new ArrayList<>(entries.size());
    List<DecodedBatch.Refused> refused = new ArrayList<>();
    for (RecordEntries record : records) {
      List<Placement> placed = placements.of(record.sequenced());
      for (int i = 0; placed != null && i < record.entries().size(); i++) {
        Placement placement = placed.get(i);
        if (placement != null) {
          toWrite.add(record.entries().get(i));
          leaves.add(new HistoryLeaf(placement.seq(), placement.salt()));
        }
      }
      if (placements.isPastRetention(record.sequenced())) {
        refused.add(new DecodedBatch.Refused(record.entries().get(0).record(),
            "stamped before the tenant's retention cutoff: past retention"));
      } else if (placed == null && !record.sequenced().idempotent()) {
        refused.add(new DecodedBatch.Refused(record.entries().get(0).record(), UNPLACED_REPLAY));
      }
    }
    return new Placed(toWrite, leaves, placements.skipped(), refused);
  }

  /** Blocking, on the caller's own connection (the consumer's thread). */
  @Override
  public OptionalLong lastRowStart(TopicPartition partition) throws EventSink.TransientWriteException {
    return sequencer == null ? OptionalLong.empty() : read(connection -> PlacedRecords.lastRowStart(connection,
        partition.topic(), partition.partition()));
  }

  /** Blocking, on the caller's own connection (the consumer's thread). */
  @Override
  public Map<Long, PlacedRecords.Placed> inRows(TopicPartition partition, long rowsFrom, long rowsTo, long from)
      throws EventSink.TransientWriteException {
    return sequencer == null ? Map.of() : read(connection -> PlacedRecords.inRows(connection, partition.topic(),
        partition.partition(), rowsFrom, rowsTo, from));
  }

  private <T> T read(ThreadConnections.Work<T> work) throws EventSink.TransientWriteException {
    try {
      return connections.with(work);
    } catch (SQLException e) {
      throw new EventSink.TransientWriteException("history database unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Appends an erasure record (reason {@code rejected}, by the ingest worker) for events InfluxDB refused for good
   * after they were placed; returns the records appended. Blocking.
   */
  List<Erasures.Appended> rejected(String tenant, List<Erasures.Erased> events) throws SQLException {
    return connections.with(connection -> Erasures.append(connection, Long.parseLong(tenant), REJECTED, events));
  }

  /**
   * Whether the record's events may have been published before and keep their first leaves: a record of the events
   * topic that the gateway published under an idempotency key. The header means nothing on the ingress topic, where a
   * tenant's own producer writes the headers and the worker makes each event's id from its record.
   */
  boolean republishes(ConsumerRecord<byte[], byte[]> record) {
    return !record.topic().equals(ingressTopic) && record.headers().lastHeader(Topics.IDEMPOTENT_HEADER) != null;
  }

  /** Calls {@code action} with each record and its entries: a record's events are consecutive in a tenant's part. */
  private static void forEachRecord(List<DecodedBatch.Entry> entries,
      BiConsumer<ConsumerRecord<byte[], byte[]>, List<DecodedBatch.Entry>> action) {
    int start = 0;
    while (start < entries.size()) {
      ConsumerRecord<byte[], byte[]> record = entries.get(start).record();
      int end = start + 1;
      while (end < entries.size() && entries.get(end).record() == record) {
        end++;
      }
      action.accept(record, entries.subList(start, end));
      start = end;
    }
  }

  @Override
  public void close() {
    if (connections != null) {
      connections.close();
    }
  }
}
