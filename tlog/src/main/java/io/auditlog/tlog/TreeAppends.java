package io.auditlog.tlog;

import io.auditlog.verify.CompactRange;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.TreeHash;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The leaves appended to a locked tree in one transaction: their positions follow the tree row's size, their hashes
 * extend its compact range, and the tiles and entry bundle they change are stored with the new tree row.
 */
final class TreeAppends {

  private final TreeRow tree;
  private final TileAppends tiles;
  private long size;
  private List<byte[]> range;

  TreeAppends(TreeRow tree) {
    this.tree = tree;
    this.tiles = new TileAppends(tree.tenant());
    this.size = tree.size();
    this.range = tree.range();
  }

  /** Appends one leaf; returns its seq. */
  long append(LeafEntry entry) {
    long seq = size;
    byte[] bytes = entry.bytes();
    range = CompactRange.append(range, size, TreeHash.leaf(bytes), tiles::node);
    tiles.entry(seq, bytes);
    size++;
    return seq;
  }

  /** The size the tree will have. */
  long size() {
    return size;
  }

  /** Stores the changed tiles and bundle, and the tree row with its new size, root, compact range and watermarks. */
  void store(Connection connection) throws SQLException {
    if (size != tree.size()) {
      tiles.store(connection);
    }
    tree.store(connection, size, range);
  }

  /** Stores the changed tiles and bundle, and the tree row's new size, root and compact range only (erasures). */
  void storeLeaves(Connection connection) throws SQLException {
    if (size != tree.size()) {
      tiles.store(connection);
      tree.storeLeaves(connection, size, range);
    }
  }
}
