package io.auditlog.tlog;

import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.Tiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;

/** The leaf entries stored in a tenant's entry bundles, read to check that replayed records are the ones placed. */
final class StoredEntries {

  private final Connection connection;
  private final long tenant;

  StoredEntries(Connection connection, long tenant) {
    this.connection = connection;
    this.tenant = tenant;
  }

  /**
   * Checks that each record's events are the entries stored from the seq it is keyed by onwards, with one query.
   *
   * @throws IllegalStateException naming the first record and seq that differ
   */
  void check(Map<Long, SequencedRecord> byFirstSeq) throws SQLException {
    if (byFirstSeq.isEmpty()) {
      return;
    }
    Map<Long, byte[]> bundles = bundlesHolding(byFirstSeq);
    for (Map.Entry<Long, SequencedRecord> placed : byFirstSeq.entrySet()) {
      SequencedRecord record = placed.getValue();
      for (int i = 0; i < record.events().size(); i++) {
        long seq = placed.getKey() + i;
        byte[] bundle = bundles.get(seq / Tiles.WIDTH);
        int from = (int) (seq % Tiles.WIDTH) * LeafEntry.SIZE;
        if (bundle == null || bundle.length < from + LeafEntry.SIZE || !Arrays.equals(bundle, from,
            from + LeafEntry.SIZE, record.events().get(i).entry().bytes(), 0, LeafEntry.SIZE)) {
          throw new IllegalStateException("the record " + record.topic() + "/" + record.partition() + "@"
              + record.offset() + " read again is not the one placed at seq " + seq + " of tenant " + tenant
              + "'s tree; it is not written");
        }
      }
    }
  }

  private Map<Long, byte[]> bundlesHolding(Map<Long, SequencedRecord> byFirstSeq) throws SQLException {
    Long[] indexes = byFirstSeq.entrySet().stream()
        .flatMap(placed -> LongStream.range(placed.getKey() / Tiles.WIDTH,
            (placed.getKey() + placed.getValue().events().size() - 1) / Tiles.WIDTH + 1).boxed())
        .distinct().toArray(Long[]::new);
    Map<Long, byte[]> bundles = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT index, entries FROM tlog_bundles WHERE tenant = ? AND index = ANY (?)")) {
      select.setLong(1, tenant);
      select.setArray(2, connection.createArrayOf("bigint", indexes));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          bundles.put(rows.getLong(1), rows.getBytes(2));
        }
      }
    }
    return bundles;
  }
}
