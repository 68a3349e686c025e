package io.auditlog.tlog.sign;

import io.auditlog.tlog.sign.TileCache.TileKey;
import io.auditlog.verify.Subtrees;
import io.auditlog.verify.Tiles;
import io.auditlog.verify.TreeHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One tenant's tree as its tiles in {@code tlog_tiles} hold it (C2SP tlog-tiles: tile level L holds the hashes of
 * tree level 8L, 256 to a tile). A subtree at a tree level that is not a multiple of 8 is combined from the up to 128
 * hashes of the tile level below it. Each tile is read at most once per instance; full tiles come from a shared
 * {@link TileCache} when it has them and go into it on {@link #cacheFullTiles()}, once the caller has found them
 * good. Not thread-safe: one instance per connection and task.
 */
public final class StoredTiles implements Subtrees {


  private final Connection connection;
  private final long tenant;
  private final TileCache cache;
  private final Map<TileKey, byte[]> read = new HashMap<>();

  public StoredTiles(Connection connection, long tenant, TileCache cache) {
    this.connection = connection;
    this.tenant = tenant;
    this.cache = cache;
  }

  /**
   * @throws InconsistentTreeException when the tile that holds the subtree is missing or too short
   * @throws TileReadException when PostgreSQL fails
   */
  @Override
  public byte[] hash(int level, long index) {
    int below = level % Tiles.LEVELS;
    long first = index << below;
    int offset = (int) (first % Tiles.WIDTH);
    int count = 1 << below;
    byte[] tile = tile(new TileKey(tenant, level / Tiles.LEVELS, first / Tiles.WIDTH), offset + count);
    return Tiles.subtree(tile, offset, below);
  }

  /** Hands the full tiles read so far to the shared cache: call it only once they are known to be good. */
  public void cacheFullTiles() {
    read.forEach((key, tile) -> {
      if (tile.length == Tiles.WIDTH * TreeHash.SIZE) {
        cache.put(key, tile);
      }
    });
  }

  private byte[] tile(TileKey key, int hashesNeeded) {
    byte[] tile = read.get(key);
    if (tile == null) {
      tile = cache.get(key).orElseGet(() -> load(key));
      read.put(key, tile);
    }
    if (tile.length / TreeHash.SIZE < hashesNeeded) {
      throw new InconsistentTreeException("tile " + key.level() + "/" + key.index() + " of tenant " + tenant
          + " holds " + tile.length / TreeHash.SIZE + " hashes where " + hashesNeeded + " are needed");
    }
    return tile;
  }

  private byte[] load(TileKey key) {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT hashes FROM tlog_tiles WHERE tenant = ? AND level = ? AND index = ?")) {
      select.setLong(1, key.tenant());
      select.setInt(2, key.level());
      select.setLong(3, key.index());
      try (ResultSet result = select.executeQuery()) {
        if (!result.next()) {
          throw new InconsistentTreeException("tile " + key.level() + "/" + key.index() + " of tenant " + tenant
              + " is missing");
        }
        return result.getBytes(1);
      }
    } catch (SQLException e) {
      throw new TileReadException(e);
    }
  }
}
