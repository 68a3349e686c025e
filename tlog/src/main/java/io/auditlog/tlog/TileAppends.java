package io.auditlog.tlog;

import io.auditlog.verify.Tiles;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hashes and entries one transaction adds to the ends of a tree's tiles (C2SP tlog-tiles: tile level L holds
 * tree level 8L, 256 hashes a tile) and entry bundles. Each tile is extended only where the tree row says it ends, so
 * a tile out of step with the row fails the transaction instead of being silently overwritten.
 */
final class TileAppends {

  static final int HASH_SIZE = 32;
  /** A version 1 leaf entry. */
  static final int ENTRY_SIZE = 58;

  /** Where a tile's appended bytes start (in hashes or entries) and the bytes. */
  private record Tail(String table, int level, long index, int start, ByteArrayOutputStream bytes) {
    boolean isBundle() {
      return table.equals("tlog_bundles");
    }
  }

  private final long tenant;
  /** Which tile (table, level, index) a tail extends: built for every leaf, so a record rather than a string. */
  private record TileKey(String table, int level, long index) {
  }

  private final Map<TileKey, Tail> tails = new LinkedHashMap<>();

  TileAppends(long tenant) {
    this.tenant = tenant;
  }

  /** A complete perfect subtree of the tree: kept when its level is a tile level. */
  void node(int level, long index, byte[] hash) {
    if (level % Tiles.LEVELS == 0) {
      tail("tlog_tiles", level / Tiles.LEVELS, index).bytes().writeBytes(hash);
    }
  }

  void entry(long seq, byte[] entry) {
    tail("tlog_bundles", -1, seq).bytes().writeBytes(entry);
  }

  private Tail tail(String table, int level, long position) {
    long index = position >>> 8;
    return tails.computeIfAbsent(new TileKey(table, level, index),
        k -> new Tail(table, level, index, (int) (position & (Tiles.WIDTH - 1)), new ByteArrayOutputStream()));
  }

  /**
   * Stores every tail with one batch per kind of statement (a new tile or bundle, or the end of a partial one, in
   * either table): a transaction of thousands of leaves changes dozens of tiles, each once.
   */
  void store(Connection connection) throws SQLException {
    Map<String, List<Tail>> bySql = new LinkedHashMap<>();
    for (Tail tail : tails.values()) {
      bySql.computeIfAbsent(sql(tail), k -> new ArrayList<>()).add(tail);
    }
    for (Map.Entry<String, List<Tail>> kind : bySql.entrySet()) {
      try (PreparedStatement statement = connection.prepareStatement(kind.getKey())) {
        for (Tail tail : kind.getValue()) {
          bind(statement, tail);
          statement.addBatch();
        }
        int[] counts = statement.executeBatch();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] != 1) {
            Tail tail = kind.getValue().get(i);
            throw new IllegalStateException("tenant " + tenant + ": " + tail.table() + " " + tail.level() + "/"
                + tail.index() + " does not end where the tree row says (" + tail.start() + ")");
          }
        }
      }
    }
  }

  private static String sql(Tail tail) {
    boolean bundle = tail.isBundle();
    String column = bundle ? "entries" : "hashes";
    String key = bundle ? "tenant = ? AND index = ?" : "tenant = ? AND index = ? AND level = ?";
    return tail.start() == 0
        ? "INSERT INTO " + tail.table() + " (" + column + ", tenant, index" + (bundle ? "" : ", level")
            + ") VALUES (?, ?, ?" + (bundle ? "" : ", ?") + ")"
        : "UPDATE " + tail.table() + " SET " + column + " = " + column + " || ? WHERE " + key
            + " AND octet_length(" + column + ") = ?";
  }

  private void bind(PreparedStatement statement, Tail tail) throws SQLException {
    int i = 1;
    statement.setBytes(i++, tail.bytes().toByteArray());
    statement.setLong(i++, tenant);
    statement.setLong(i++, tail.index());
    if (!tail.isBundle()) {
      statement.setInt(i++, tail.level());
    }
    if (tail.start() != 0) {
      statement.setInt(i, tail.start() * (tail.isBundle() ? ENTRY_SIZE : HASH_SIZE));
    }
  }
}
