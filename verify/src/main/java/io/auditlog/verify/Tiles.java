package io.auditlog.verify;

import java.util.Arrays;

/**
 * C2SP tlog-tiles: a tile at level L holds up to {@value #WIDTH} consecutive hashes of tree level
 * {@value #LEVELS}·L, concatenated; a perfect subtree between two tile levels is the root of consecutive hashes of
 * the tile below it.
 */
public final class Tiles {

  public static final int WIDTH = 256;
  public static final int LEVELS = 8;

  private Tiles() {
  }

  /**
   * The root of the {@code 2^levels} hashes of {@code tile} starting at hash {@code offset}.
   *
   * @throws IllegalArgumentException when the tile does not hold them all
   */
  public static byte[] subtree(byte[] tile, int offset, int levels) {
    int count = 1 << levels;
    if (offset < 0 || tile.length < (offset + count) * TreeHash.SIZE) {
      throw new IllegalArgumentException("the tile holds " + tile.length / TreeHash.SIZE + " hashes, not hashes "
          + offset + " to " + (offset + count - 1));
    }
    byte[][] hashes = new byte[count][];
    for (int i = 0; i < count; i++) {
      int start = (offset + i) * TreeHash.SIZE;
      hashes[i] = Arrays.copyOfRange(tile, start, start + TreeHash.SIZE);
    }
    for (int width = count; width > 1; width /= 2) {
      for (int i = 0; i < width / 2; i++) {
        hashes[i] = TreeHash.node(hashes[2 * i], hashes[2 * i + 1]);
      }
    }
    return hashes[0];
  }
}
