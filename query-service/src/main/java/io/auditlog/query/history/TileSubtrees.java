package io.auditlog.query.history;

import io.auditlog.verify.Subtrees;
import io.auditlog.verify.Tiles;
import io.auditlog.verify.TreeHash;
import java.util.Map;

/**
 * The tree's perfect subtrees computed from loaded tiles: a subtree at tree level 8L + k is the root of 2^k
 * consecutive hashes of one tile at level L. A tile that lacks a needed hash is a broken store, never a client's
 * mistake.
 */
final class TileSubtrees implements Subtrees {

  private final Map<TileKey, byte[]> tiles;

  TileSubtrees(Map<TileKey, byte[]> tiles) {
    this.tiles = tiles;
  }

  @Override
  public byte[] hash(int level, long index) {
    TileKey key = TileKey.under(level, index);
    int count = 1 << (level % TileKey.LEVELS);
    int start = (int) ((index << (level % TileKey.LEVELS)) & 0xff);
    byte[] tile = tiles.get(key);
    if (tile == null || tile.length < (start + count) * TreeHash.SIZE) {
      throw new IllegalStateException("tile " + key + " lacks the hashes of subtree " + level + "/" + index);
    }
    return Tiles.subtree(tile, start, level % TileKey.LEVELS);
  }
}
