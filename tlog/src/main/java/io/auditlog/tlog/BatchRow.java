package io.auditlog.tlog;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The leaves one transaction appended for the records of one partition: the first seq, and each record's count and
 * first event's stamp.
 */
final class BatchRow {

  private final String topic;
  private final int partition;
  private final long firstSeq;
  private long[] offsets = new long[64];
  private int[] counts = new int[64];
  private long[] stamps = new long[64];
  private int records;

  BatchRow(String topic, int partition, long firstSeq) {
    this.topic = topic;
    this.partition = partition;
    this.firstSeq = firstSeq;
  }

  /**
   * The {@code leaves} appended for the record at {@code offset}, the partition's next record in offset order, the
   * first of them stamped {@code firstStamp}.
   */
  void add(long offset, int leaves, long firstStamp) {
    if (records == offsets.length) {
      offsets = Arrays.copyOf(offsets, records * 2);
      counts = Arrays.copyOf(counts, records * 2);
      stamps = Arrays.copyOf(stamps, records * 2);
    }
    offsets[records] = offset;
    counts[records] = leaves;
    stamps[records] = firstStamp;
    records++;
  }

  void bind(PreparedStatement insert, long tenant) throws SQLException {
    insert.setLong(1, tenant);
    insert.setString(2, topic);
    insert.setInt(3, partition);
    insert.setLong(4, offsets[0]);
    insert.setLong(5, offsets[records - 1]);
    insert.setLong(6, firstSeq);
    // Primitive arrays: the driver sends them in PostgreSQL's binary array format, not as text to be parsed.
    insert.setObject(7, Arrays.copyOf(offsets, records));
    insert.setObject(8, Arrays.copyOf(counts, records));
    insert.setObject(9, Arrays.copyOf(stamps, records));
  }
}
