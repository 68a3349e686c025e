package io.auditlog.tlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The leaves one transaction appended for the records of one partition: the first seq, and each record's count. */
final class BatchRow {

  private final String topic;
  private final int partition;
  private final long firstSeq;
  private final List<Long> offsets = new ArrayList<>();
  private final List<Integer> counts = new ArrayList<>();

  BatchRow(String topic, int partition, long firstSeq) {
    this.topic = topic;
    this.partition = partition;
    this.firstSeq = firstSeq;
  }

  /** The {@code leaves} appended for the record at {@code offset}, the partition's next record in offset order. */
  void add(long offset, int leaves) {
    offsets.add(offset);
    counts.add(leaves);
  }

  void bind(Connection connection, PreparedStatement insert, long tenant) throws SQLException {
    insert.setLong(1, tenant);
    insert.setString(2, topic);
    insert.setInt(3, partition);
    insert.setLong(4, offsets.get(0));
    insert.setLong(5, offsets.get(offsets.size() - 1));
    insert.setLong(6, firstSeq);
    insert.setArray(7, connection.createArrayOf("bigint", offsets.toArray()));
    insert.setArray(8, connection.createArrayOf("integer", counts.toArray()));
  }
}
