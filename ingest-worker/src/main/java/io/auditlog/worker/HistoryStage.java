package io.auditlog.worker;

import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.auditlog.store.HistoryLeaf;
import io.auditlog.tlog.Erasures;
import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.Placement;
import io.auditlog.tlog.Placements;
import io.auditlog.tlog.SequencedEvent;
import io.auditlog.tlog.SequencedRecord;
import io.auditlog.tlog.Sequencer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The history stage, between decode and store: places a tenant's part of a batch in the tenant's tree (one
 * PostgreSQL transaction, {@link Sequencer}) and says which events to write with which leaf. Each writer thread keeps
 * its own connection. With the history off, every event is written without a leaf.
 */
final class HistoryStage implements AutoCloseable {

  /**
   * A tenant's part ready to be placed: the entries to place; with the history on, their records in order, each with
   * its entries and their canonical forms, made before the tree's lock is taken; and the records with an event that
   * has no canonical form (dead-lettered, never placed: the edge refuses such documents, so only a producer writing to
   * Kafka itself could send one).
   */
  record Prepared(List<DecodedBatch.Entry> entries, List<PreparedRecord> records, List<DecodedBatch.Refused> refused) {
  }

  /** One record's entries (consecutive in the part), and what the sequencer is given of it. */
  record PreparedRecord(List<DecodedBatch.Entry> entries, SequencedRecord sequenced) {
  }

  /**
   * The events of a part to write, each with its leaf (null when the history is off); how many replayed records were
   * skipped; and the records refused (no canonical form, or past the tenant's retention), to dead-letter.
   */
  record Placed(List<DecodedBatch.Entry> entries, List<HistoryLeaf> leaves, int skippedRecords,
      List<DecodedBatch.Refused> refused) {
  }

  private static final Map<String, Object> REJECTED = Map.of("reason", "rejected", "actor",
      Map.of("system", "ingest"));

  private final Sequencer sequencer;
  private final ThreadConnections connections;

  private HistoryStage(Sequencer sequencer, ThreadConnections connections) {
    this.sequencer = sequencer;
    this.connections = connections;
  }

  static HistoryStage on(Sequencer sequencer, PgLogin login) {
    return new HistoryStage(sequencer, new ThreadConnections(login));
  }

  static HistoryStage off() {
    return new HistoryStage(null, null);
  }

  /**
   * Makes the canonical forms of one tenant's events, outside any transaction, so that formatting one part overlaps
   * the placement of the part before it. CPU only; with the history off, nothing.
   */
  Prepared prepare(List<DecodedBatch.Entry> entries) {
    if (sequencer == null) {
      return new Prepared(entries, List.of(), List.of());
    }
    List<PreparedRecord> records = new ArrayList<>();
    List<DecodedBatch.Refused> refused = new ArrayList<>();
    List<DecodedBatch.Entry> kept = new ArrayList<>(entries.size());
    forEachRecord(entries, (record, group) -> {
      List<SequencedEvent> events = new ArrayList<>(group.size());
      try {
        for (DecodedBatch.Entry entry : group) {
          StampedEvent event = entry.event();
          byte[] canonical = CanonicalEvent.of(event);
          events.add(new SequencedEvent(event.id(), event.timestampNanos(), event.stage(), event.salt(),
              () -> canonical));
        }
      } catch (IllegalArgumentException e) {
        refused.add(new DecodedBatch.Refused(record, "an event has no canonical form (RFC 8785): " + e.getMessage()));
        return;
      }
      records.add(new PreparedRecord(group, new SequencedRecord(record.topic(), record.partition(), record.offset(),
          record.headers().lastHeader(Topics.IDEMPOTENT_HEADER) != null, events)));
      kept.addAll(group);
    });
    return new Prepared(refused.isEmpty() ? entries : kept, records, refused);
  }

  /** Places one tenant's prepared events; blocking. A failure leaves nothing placed (the transaction rolled back). */
  Placed place(String tenant, Prepared prepared) throws SQLException {
    List<DecodedBatch.Entry> entries = prepared.entries();
    if (sequencer == null) {
      return new Placed(entries, Collections.nCopies(entries.size(), null), 0, prepared.refused());
    }
    List<DecodedBatch.Entry> toWrite = new ArrayList<>(entries.size());
    List<HistoryLeaf> leaves = new ArrayList<>(entries.size());
    List<SequencedRecord> sequenced = new ArrayList<>(prepared.records().size());
    prepared.records().forEach(record -> sequenced.add(record.sequenced()));
    Placements placements = connections.with(connection -> sequencer.sequence(connection, Long.parseLong(tenant),
        sequenced));
    List<DecodedBatch.Refused> refused = new ArrayList<>(prepared.refused());
    for (PreparedRecord record : prepared.records()) {
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
      }
    }
    return new Placed(toWrite, leaves, placements.skipped(), refused);
  }

  /**
   * Appends an erasure record (reason {@code rejected}, by the ingest worker) for events InfluxDB refused for good
   * after they were placed; returns the records appended. Blocking.
   */
  List<Erasures.Appended> rejected(String tenant, List<Erasures.Erased> events) throws SQLException {
    return connections.with(connection -> Erasures.append(connection, Long.parseLong(tenant), REJECTED, events));
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
