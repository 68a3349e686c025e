package io.auditlog.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.auditlog.verify.CompactRange;
import io.auditlog.verify.TreeHash;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A tenant's tree row, locked for the rest of the transaction that read it. */
final class TreeRow {

  private static final Logger LOG = LoggerFactory.getLogger(TreeRow.class);

  private final long tenant;
  private final long size;
  private final List<byte[]> range;
  private final ObjectNode watermarks;
  private final long retainedBefore;
  private final Long retentionSeq;

  private TreeRow(long tenant, long size, List<byte[]> range, ObjectNode watermarks, long retainedBefore,
      Long retentionSeq) {
    this.tenant = tenant;
    this.size = size;
    this.range = range;
    this.watermarks = watermarks;
    this.retainedBefore = retainedBefore;
    this.retentionSeq = retentionSeq;
  }

  /** Creates the tree at size 0 if it has no row yet, then locks and reads the row (never a cached copy). */
  static TreeRow lock(Connection connection, long tenant, String origin) throws SQLException {
    create(connection, tenant, origin);
    return lockExisting(connection, tenant).orElseThrow();
  }

  private static void create(Connection connection, long tenant, String origin) throws SQLException {
    try (PreparedStatement create = connection.prepareStatement("INSERT INTO tlog_trees (tenant, origin, root, "
        + "compact_range) VALUES (?, ?, ?, ?) ON CONFLICT (tenant) DO NOTHING")) {
      create.setLong(1, tenant);
      create.setString(2, origin);
      create.setBytes(3, TreeHash.empty());
      create.setBytes(4, new byte[0]);
      create.executeUpdate();
    }
  }

  /** Locks and reads the tree row; empty when the tenant has no tree. */
  static Optional<TreeRow> lockExisting(Connection connection, long tenant) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT size, compact_range, watermarks::text, retained_before, retention_seq FROM tlog_trees "
            + "WHERE tenant = ? FOR UPDATE")) {
      select.setLong(1, tenant);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(new TreeRow(tenant, row.getLong(1), split(row.getBytes(2)),
            (ObjectNode) Json.parseBody(row.getString(3).getBytes(StandardCharsets.UTF_8)),
            followed(tenant, row.getLong(4)), row.getObject(5, Long.class)));
      }
    }
  }

  long tenant() {
    return tenant;
  }

  long size() {
    return size;
  }

  /** The compact range of [0, size). */
  List<byte[]> range() {
    return range;
  }

  /**
   * The row's retention cutoff as it is followed: no retention is shorter than {@link Erasures#MIN_RETENTION}, so a
   * later time in the row is nobody's retention: it is not followed (the events it would drop are kept) and is logged
   * as a row changed behind the service's back.
   */
  private static long followed(long tenant, long retainedBefore) {
    long latest = (System.currentTimeMillis() - Erasures.MIN_RETENTION.toMillis()) * 1_000_000L;
    if (retainedBefore > latest) {
      LOG.error("tenant {}: tlog_trees.retained_before {} is later than any retention allows; not followed", tenant,
          retainedBefore);
      return latest;
    }
    return retainedBefore;
  }

  /**
   * Events stamped before this (nanoseconds since the epoch) are past the tenant's retention; 0 when none is (bounded
   * when the row is read: {@link #followed}).
   */
  long retainedBefore() {
    return retainedBefore;
  }

  /** The seq of the retention record that set {@link #retainedBefore()}; null when there is none. */
  Long retentionSeq() {
    return retentionSeq;
  }

  /** Records that events stamped before {@code before} are past retention, as the record at {@code seq} says. */
  void retain(Connection connection, long before, long seq) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE tlog_trees SET retained_before = ?, retention_seq = ? WHERE tenant = ?")) {
      update.setLong(1, before);
      update.setLong(2, seq);
      update.setLong(3, tenant);
      update.executeUpdate();
    }
  }

  /** The last offset of the partition whose leaves are appended; -1 when none is. */
  long watermark(String partitionKey) {
    JsonNode mark = watermarks.get(partitionKey);
    return mark == null ? -1 : mark.asLong();
  }

  void advance(String partitionKey, long offset) {
    if (offset > watermark(partitionKey)) {
      watermarks.put(partitionKey, offset);
    }
  }

  /** Writes the new size, root and compact range, as an erasure's append does (it moves no watermark). */
  void storeLeaves(Connection connection, long newSize, List<byte[]> newRange) throws SQLException {
    update(connection, newSize, newRange, false);
  }

  /** Writes the new size, root, compact range and watermarks. */
  void store(Connection connection, long newSize, List<byte[]> newRange) throws SQLException {
    update(connection, newSize, newRange, true);
  }

  private void update(Connection connection, long newSize, List<byte[]> newRange, boolean withWatermarks)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE tlog_trees SET size = ?, root = ?, "
        + "compact_range = ?, " + (withWatermarks ? "watermarks = ?::jsonb, " : "") + "updated_at = now() "
        + "WHERE tenant = ?")) {
      int column = 1;
      update.setLong(column++, newSize);
      update.setBytes(column++, CompactRange.root(newRange));
      update.setBytes(column++, join(newRange));
      if (withWatermarks) {
        update.setString(column++, Json.toText(watermarks));
      }
      update.setLong(column, tenant);
      update.executeUpdate();
    }
  }

  static List<byte[]> split(byte[] hashes) {
    List<byte[]> list = new ArrayList<>(hashes.length / TreeHash.SIZE);
    for (int i = 0; i < hashes.length; i += TreeHash.SIZE) {
      list.add(Arrays.copyOfRange(hashes, i, i + TreeHash.SIZE));
    }
    return list;
  }

  static byte[] join(List<byte[]> hashes) {
    byte[] joined = new byte[hashes.size() * TreeHash.SIZE];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i), 0, joined, i * TreeHash.SIZE, TreeHash.SIZE);
    }
    return joined;
  }
}
