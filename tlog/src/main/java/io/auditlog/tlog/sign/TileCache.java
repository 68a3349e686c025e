package io.auditlog.tlog.sign;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Full tiles (256 hashes) kept in memory, least recently used first out. A full tile never changes, so a copy that
 * was once found good stays good. Thread-safe.
 */
public final class TileCache {

  /** Which tile: the tenant's tree, the tile level and the tile index. */
  record TileKey(long tenant, int level, long index) {
  }

  private final Map<TileKey, byte[]> tiles;

  /** @param capacity how many tiles to keep (8 KiB each) */
  public TileCache(int capacity) {
    tiles = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<TileKey, byte[]> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized Optional<byte[]> get(TileKey key) {
    return Optional.ofNullable(tiles.get(key));
  }

  synchronized void put(TileKey key, byte[] fullTile) {
    tiles.put(key, fullTile);
  }

  synchronized int size() {
    return tiles.size();
  }
}
