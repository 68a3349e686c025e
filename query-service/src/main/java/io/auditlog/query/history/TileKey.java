package io.auditlog.query.history;

import io.auditlog.verify.Tiles;

/** A stored tile: level L (holding tree level 8L) and index N. */
record TileKey(int level, long index) {

  /** Tree levels per tile level; a tile is 2^8 = 256 hashes wide. */
  static final int LEVELS = Tiles.LEVELS;

  /** The tile holding the tree-level-8L nodes under the perfect subtree (level, index). */
  static TileKey under(int level, long index) {
    long first = index << (level % LEVELS);
    return new TileKey(level / LEVELS, first >>> LEVELS);
  }
}
