package io.auditlog.tlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends a batch's events to their tenant's tree, in one PostgreSQL transaction per batch and tenant, before they are
 * written to InfluxDB and their offsets committed. The tree row is locked and read afresh every time; records at or
 * below their partition's watermark were appended before (a replay, a rebalance, a revoked member) and take the
 * positions recorded for them, provided they are the records placed there ({@link Replays}); the others are appended
 * in order of topic, partition and offset, each record's events in their order, and the changed tiles, the entry
 * bundle, the tree row and one batch row per partition (each record's offset, leaf count and first stamp,
 * {@link PlacedRecords}) are stored with them.
 * A record holding an event stamped before the tenant's retention cutoff (the tree row's, set by the last retention
 * record) gets no leaf and is reported ({@link Placements#pastRetention}); replayed events past it are not written.
 */
public final class Sequencer {

  /** Topic, partition, offset: the order records are appended in, and records come in from a partition. */
  private static final Comparator<SequencedRecord> RECORD_ORDER = (a, b) -> {
    int byTopic = a.topic().compareTo(b.topic());
    if (byTopic != 0) {
      return byTopic;
    }
    int byPartition = Integer.compare(a.partition(), b.partition());
    return byPartition != 0 ? byPartition : Long.compare(a.offset(), b.offset());
  };

  private final String publicHost;

  public Sequencer(String publicHost) {
    this.publicHost = publicHost;
  }

  /** Places every event of {@code records} (one tenant's part of a batch); blocking, on the caller's connection. */
  public Placements sequence(Connection connection, long tenant, List<SequencedRecord> records) throws SQLException {
    List<SequencedRecord> ordered = inOrder(records);
    PartitionKeys keys = new PartitionKeys();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      TreeRow tree = TreeRow.lock(connection, tenant, Origins.of(publicHost, tenant));
      Placements placements = new Placements(ordered.size());
      Appends appends = new Appends(tree);
      Replays replays = new Replays(connection, tenant);
      RepublishedLeaves republished = new RepublishedLeaves(connection, tenant);
      republished.load(ordered);
      Set<String> erased = ErasedIds.among(connection, tenant, ordered.stream()
          .filter(r -> r.idempotent() || r.offset() <= tree.watermark(keys.of(r)))
          .flatMap(r -> r.events().stream()).map(SequencedEvent::id).toList());
      for (SequencedRecord record : ordered) {
        String partitionKey = keys.of(record);
        if (record.offset() <= tree.watermark(partitionKey)) {
          replays.add(record);
          continue;
        }
        if (stampedBefore(record, tree.retainedBefore())) {
          placements.pastRetention(record);
          tree.advance(partitionKey, record.offset());
          continue;
        }
        List<Placement> placed = new ArrayList<>(record.events().size());
        long firstSeq = -1;
        long firstStamp = -1;
        int appended = 0;
        for (SequencedEvent event : record.events()) {
          Placement known = record.idempotent() ? republished.placementOf(event) : null;
          if (known == null) {
            known = appends.append(event);
            if (appended == 0) {
              firstSeq = known.seq();
              firstStamp = event.timestampNanos();
            }
            appended++;
            if (record.idempotent()) {
              republished.placed(event, known);
            }
          }
          placed.add(erased.contains(event.id()) ? null : known);
        }
        if (appended > 0) {
          appends.batchRow(partitionKey, record, firstSeq).add(record.offset(), appended, firstStamp);
        }
        placements.put(record, placed);
        tree.advance(partitionKey, record.offset());
      }
      replays.resolve(republished, erased).forEach((record, placed) ->
          placements.put(record, withinRetention(record, placed, tree.retainedBefore())));
      appends.store(connection);
      republished.store();
      connection.commit();
      placements.skipped(replays.unresolved());
      return placements;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * The records in {@link #RECORD_ORDER}; a record given twice is a caller's error (its events would get two leaves).
   * They come mostly in that order already, which the sort only checks.
   */
  private static List<SequencedRecord> inOrder(List<SequencedRecord> records) {
    List<SequencedRecord> ordered = new ArrayList<>(records);
    ordered.sort(RECORD_ORDER);
    for (int i = 1; i < ordered.size(); i++) {
      if (RECORD_ORDER.compare(ordered.get(i - 1), ordered.get(i)) == 0) {
        SequencedRecord twice = ordered.get(i);
        throw new IllegalStateException("the record " + twice.topic() + "/" + twice.partition() + "@" + twice.offset()
            + " is given twice");
      }
    }
    return ordered;
  }

  /**
   * A record's partition key, made once for a run of records of one partition, so that the watermark and batch row
   * lookups of a record do not each build it.
   */
  private static final class PartitionKeys {
    private SequencedRecord last;
    private String key;

    String of(SequencedRecord record) {
      if (last == null || last.partition() != record.partition() || !last.topic().equals(record.topic())) {
        key = record.partitionKey();
      }
      last = record;
      return key;
    }
  }

  /** Whether an event of the record is stamped before {@code cutoff}: a loop, once for every record placed. */
  private static boolean stampedBefore(SequencedRecord record, long cutoff) {
    for (SequencedEvent event : record.events()) {
      if (event.timestampNanos() < cutoff) {
        return true;
      }
    }
    return false;
  }

  /**
   * A replayed record's placements, with null (not to be written) for events past the tenant's retention: they were
   * placed before the retention record that made them so, which explains their deleted points.
   */
  private static List<Placement> withinRetention(SequencedRecord record, List<Placement> placed, long before) {
    List<Placement> kept = new ArrayList<>(placed);
    for (int i = 0; i < kept.size(); i++) {
      if (record.events().get(i).timestampNanos() < before) {
        kept.set(i, null);
      }
    }
    return kept;
  }

  /** The leaves appended in one transaction, with the batch rows that record which records got them. */
  private static final class Appends {
    private final long tenant;
    private final TreeAppends leaves;
    private final Map<String, BatchRow> batchRows = new LinkedHashMap<>();

    Appends(TreeRow tree) {
      this.tenant = tree.tenant();
      this.leaves = new TreeAppends(tree);
    }

    /** Appends the event's leaf; its point carries the event's salt. */
    Placement append(SequencedEvent event) {
      return new Placement(leaves.append(event.entry()), event.salt());
    }

    /** The batch row of the record's partition, begun at {@code firstSeq} by the partition's first appended record. */
    BatchRow batchRow(String partitionKey, SequencedRecord record, long firstSeq) {
      return batchRows.computeIfAbsent(partitionKey, k -> new BatchRow(record.topic(), record.partition(), firstSeq));
    }

    void store(Connection connection) throws SQLException {
      leaves.store(connection);
      if (batchRows.isEmpty()) {
        return;
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tlog_batches (tenant, topic, "
          + "partition, first_offset, last_offset, first_seq, offsets, leaf_counts, first_stamps) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (BatchRow row : batchRows.values()) {
          row.bind(insert, tenant);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
  }
}
