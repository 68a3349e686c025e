package io.auditlog.query.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.verify.Proofs;
import io.auditlog.verify.TreeHash;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Subtrees computed from tiles equal those computed from the leaves, at every level across two tile levels, and a
 * tile that lacks a hash is a broken store.
 */
class TileSubtreesTest {

  private static final int LEAVES = 256 * 3 + 17;

  private static byte[] leaf(long index) {
    return TreeHash.leaf(ByteBuffer.allocate(8).putLong(index).array());
  }

  private static byte[] direct(int level, long index) {
    return level == 0 ? leaf(index) : TreeHash.node(direct(level - 1, 2 * index), direct(level - 1, 2 * index + 1));
  }

  /** The tiles of the tree, as the sequencer stores them: level 0 every leaf, level 1 every complete 256. */
  private static Map<TileKey, byte[]> tiles() {
    Map<TileKey, byte[]> tiles = new HashMap<>();
    for (long tile = 0; tile * 256 < LEAVES; tile++) {
      ByteBuffer hashes = ByteBuffer.allocate((int) Math.min(256, LEAVES - tile * 256) * 32);
      for (long i = tile * 256; i < Math.min(LEAVES, tile * 256 + 256); i++) {
        hashes.put(leaf(i));
      }
      tiles.put(new TileKey(0, tile), hashes.array());
    }
    ByteBuffer upper = ByteBuffer.allocate(LEAVES / 256 * 32);
    for (long i = 0; i < LEAVES / 256; i++) {
      upper.put(direct(8, i));
    }
    tiles.put(new TileKey(1, 0), upper.array());
    return tiles;
  }

  @Test
  void everyPerfectSubtreeEqualsTheOneComputedFromTheLeaves() {
    TileSubtrees subtrees = new TileSubtrees(tiles());
    for (int level = 0; level <= 9; level++) {
      for (long index = 0; (index + 1) << level <= LEAVES; index++) {
        assertThat(subtrees.hash(level, index)).as(level + "/" + index).isEqualTo(direct(level, index));
      }
    }
    assertThat(Proofs.root(LEAVES, subtrees)).isEqualTo(Proofs.root(LEAVES, TileSubtreesTest::direct));
  }

  @Test
  void aMissingHashIsABrokenStore() {
    Map<TileKey, byte[]> tiles = tiles();
    tiles.put(new TileKey(0, 3), new byte[16 * 32]);
    TileSubtrees subtrees = new TileSubtrees(tiles);
    assertThatThrownBy(() -> subtrees.hash(0, 3 * 256 + 16)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> subtrees.hash(9, 1)).isInstanceOf(IllegalStateException.class);
  }
}
