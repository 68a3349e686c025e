package io.auditlog.tlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The records of one partition that hold leaves, whatever their tenant, as their batch rows recorded them. A record
 * read again from the ingress topic (after a crash or a rebalance) is decoded from here rather than decided again:
 * its access key may have been rotated, or its account deactivated, since it was placed, and a record decided
 * differently would leave its leaves without events and move the stamps of its partition's later records. Rows
 * written before stamps were recorded are not found. Blocking (JDBC).
 */
public final class PlacedRecords {

  /** A placed record: its tenant, its first event's stamp, and how many leaves it holds (one an event). */
  public record Placed(long tenant, long firstStamp, int leaves) {

    /** The stamp of its last event: a record's events are stamped consecutively. */
    public long lastStamp() {
      return firstStamp + leaves - 1;
    }
  }

  /** Each record of the partition's batch rows that end at or past an offset (the first three parameters). */
  private static final String RECORDS_OF_ROWS = "FROM tlog_batches b, "
      + "unnest(b.offsets, b.first_stamps, b.leaf_counts) AS r(o, stamp, leaves) "
      + "WHERE b.topic = ? AND b.partition = ? AND b.last_offset >= ? ";

  private PlacedRecords() {
  }

  /** The placed records of the partition at offsets from {@code from} (inclusive) to {@code to} (exclusive). */
  public static Map<Long, Placed> between(Connection connection, String topic, int partition, long from, long to)
      throws SQLException {
    Map<Long, Placed> placed = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT b.tenant, r.o, r.stamp, r.leaves "
        + RECORDS_OF_ROWS + "AND b.first_offset < ? AND r.o >= ? AND r.o < ? AND r.stamp IS NOT NULL")) {
      bindPartition(select, topic, partition, from);
      select.setLong(4, to);
      select.setLong(5, from);
      select.setLong(6, to);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          Placed record = new Placed(rows.getLong(1), rows.getLong(3), rows.getInt(4));
          Placed other = placed.put(rows.getLong(2), record);
          if (other != null) {
            throw new IllegalStateException("the record " + topic + "/" + partition + "@" + rows.getLong(2)
                + " holds leaves in two trees (" + other.tenant() + " and " + record.tenant() + ")");
          }
        }
      }
    }
    return placed;
  }

  /**
   * The last stamp of any placed record of the partition at {@code from} or later, 0 when there is none: a member
   * resuming the partition there stamps the records nobody placed after every stamp already placed.
   */
  public static long lastStampFrom(Connection connection, String topic, int partition, long from)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT coalesce(max(r.stamp + r.leaves - 1), 0) "
        + RECORDS_OF_ROWS + "AND r.o >= ?")) {
      bindPartition(select, topic, partition, from);
      select.setLong(4, from);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static void bindPartition(PreparedStatement select, String topic, int partition, long from)
      throws SQLException {
    select.setString(1, topic);
    select.setInt(2, partition);
    select.setLong(3, from);
  }
}
