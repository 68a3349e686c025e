package io.auditlog.tlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The records of one partition that hold leaves, whatever their tenant, as their batch rows recorded them. A record
 * read again from the ingress topic (after a crash or a rebalance) is decoded from here rather than decided again:
 * its access key may have been rotated, or its account deactivated, since it was placed, and a record decided
 * differently would leave its leaves without events and move the stamps of its partition's later records. Rows
 * written before stamps were recorded are not found. Blocking (JDBC).
 */
public final class PlacedRecords {

  /**
   * How far before an offset a batch row that holds it may start: a row holds one batch's records of one partition,
   * at most {@code AUDIT_BATCH_SIZE} (100,000 at most) records, with as many offsets again for transaction markers.
   */
  public static final long MAX_ROW_SPAN = 200_000;

  /**
   * A placed record: its tenant, the stamp of its first appended event, and how many leaves it holds. An ingress
   * record's events are all appended, one leaf each, and stamped consecutively from its first stamp.
   */
  public record Placed(long tenant, long firstStamp, int leaves) {

    /** The stamp of its last event (of an ingress record). */
    public long lastStamp() {
      return firstStamp + leaves - 1;
    }
  }

  private PlacedRecords() {
  }

  /**
   * The placed records at {@code from} or later held by the partition's rows that start from {@code rowsFrom}
   * (inclusive) to {@code rowsTo} (exclusive), by offset: every record of those rows, so that a record of a row that
   * starts within the range is found however far past it the row reaches. The scan is bounded by the rows' starts.
   */
  public static Map<Long, Placed> inRows(Connection connection, String topic, int partition, long rowsFrom,
      long rowsTo, long from) throws SQLException {
    Map<Long, Placed> placed = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement("SELECT b.tenant, r.o, r.stamp, r.leaves "
        + "FROM tlog_batches b, unnest(b.offsets, b.first_stamps, b.leaf_counts) AS r(o, stamp, leaves) "
        + "WHERE b.topic = ? AND b.partition = ? AND b.first_offset >= ? AND b.first_offset < ? "
        + "AND b.last_offset >= ? AND r.o >= ? AND r.stamp IS NOT NULL")) {
      select.setString(1, topic);
      select.setInt(2, partition);
      select.setLong(3, rowsFrom);
      select.setLong(4, rowsTo);
      select.setLong(5, from);
      select.setLong(6, from);
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

  /** Where the partition's last batch row starts, of any tree; empty when it has none. */
  public static OptionalLong lastRowStart(Connection connection, String topic, int partition) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT max(first_offset) FROM tlog_batches "
        + "WHERE topic = ? AND partition = ?")) {
      select.setString(1, topic);
      select.setInt(2, partition);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        long last = row.getLong(1);
        return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(last);
      }
    }
  }
}
