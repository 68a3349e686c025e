package io.auditlog.tlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records at or below their partition's watermark: their leaves were appended before, and they are written again at
 * the seqs recorded then (first seq of their batch row + the leaves of earlier records in it + their position − 1),
 * except events erased since. Records with no batch row get no placement: counted, not written. A record found in a
 * batch row is written again only under the very leaf entries stored at its seqs: one that differs from what was placed
 * (decided or stamped differently) fails the transaction rather than write an event its leaf does not commit to.
 * (Records republished under an idempotency key take the leaves their ids were placed at, without that check.)
 */
final class Replays {

  private final Connection connection;
  private final long tenant;
  private final List<SequencedRecord> records = new ArrayList<>();
  private final Map<String, List<StoredRow>> rows = new HashMap<>();
  private int unresolved;

  Replays(Connection connection, long tenant) {
    this.connection = connection;
    this.tenant = tenant;
  }

  void add(SequencedRecord record) {
    records.add(record);
  }

  int unresolved() {
    return unresolved;
  }

  /**
   * The replayed records' placements; an event erased since is left out (a null placement).
   *
   * @throws IllegalStateException when a record found in a batch row is not the record placed there
   */
  Map<SequencedRecord, List<Placement>> resolve(RepublishedLeaves republished, Set<String> erased)
      throws SQLException {
    Map<SequencedRecord, List<Placement>> placed = new IdentityHashMap<>();
    Map<Long, SequencedRecord> fromBatchRows = new HashMap<>();
    for (SequencedRecord record : records) {
      List<Placement> placements = record.idempotent() ? fromRepublished(record, republished) : fromBatchRow(record);
      if (placements == null) {
        unresolved++;
        continue;
      }
      if (!record.idempotent() && fromBatchRows.putIfAbsent(placements.get(0).seq(), record) != null) {
        throw new IllegalStateException("two records read again at seq " + placements.get(0).seq() + " of tenant "
            + tenant + "'s tree");
      }
      for (int i = 0; i < placements.size(); i++) {
        if (erased.contains(record.events().get(i).id())) {
          placements.set(i, null);
        }
      }
      placed.put(record, placements);
    }
    new StoredEntries(connection, tenant).check(fromBatchRows);
    return placed;
  }

  private List<Placement> fromRepublished(SequencedRecord record, RepublishedLeaves republished) {
    List<Placement> placements = new ArrayList<>();
    for (SequencedEvent event : record.events()) {
      Placement placement = republished.placementOf(event);
      if (placement == null) {
        return null;
      }
      placements.add(placement);
    }
    return placements;
  }

  private List<Placement> fromBatchRow(SequencedRecord record) throws SQLException {
    for (StoredRow row : rowsOf(record.topic(), record.partition())) {
      long seq = row.firstSeq();
      for (int i = 0; i < row.offsets().length; i++) {
        if (row.offsets()[i] == record.offset()) {
          return row.counts()[i] == record.events().size() ? placements(record, seq) : null;
        }
        seq += row.counts()[i];
      }
    }
    return null;
  }

  /** A batch row as stored. */
  private record StoredRow(long firstSeq, Long[] offsets, Integer[] counts) {
  }

  /** The batch rows of the partition that overlap the replayed offsets, read once per transaction. */
  private List<StoredRow> rowsOf(String topic, int partition) throws SQLException {
    String key = topic + ":" + partition;
    List<StoredRow> cached = rows.get(key);
    if (cached != null) {
      return cached;
    }
    List<Long> offsets = records.stream().filter(r -> r.partitionKey().equals(key)).map(SequencedRecord::offset)
        .toList();
    List<StoredRow> found = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT first_seq, offsets, leaf_counts "
        + "FROM tlog_batches WHERE tenant = ? AND topic = ? AND partition = ? AND first_offset <= ? "
        + "AND last_offset >= ?")) {
      select.setLong(1, tenant);
      select.setString(2, topic);
      select.setInt(3, partition);
      select.setLong(4, offsets.stream().mapToLong(Long::longValue).max().orElseThrow());
      select.setLong(5, offsets.stream().mapToLong(Long::longValue).min().orElseThrow());
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          found.add(new StoredRow(result.getLong(1), (Long[]) result.getArray(2).getArray(),
              (Integer[]) result.getArray(3).getArray()));
        }
      }
    }
    rows.put(key, found);
    return found;
  }

  private List<Placement> placements(SequencedRecord record, long firstSeq) {
    List<Placement> placements = new ArrayList<>(record.events().size());
    for (int i = 0; i < record.events().size(); i++) {
      SequencedEvent event = record.events().get(i);
      placements.add(new Placement(firstSeq + i, event.salt()));
    }
    return placements;
  }
}
