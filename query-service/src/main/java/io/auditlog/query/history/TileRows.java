package io.auditlog.query.history;

import io.auditlog.verify.LeafEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's tiles and entry bundles as stored: a partial tile or bundle grows at its end until it is full, so a
 * stored row may hold more than a checkpoint covers, never less.
 */
final class TileRows {

  private final HistoryDb db;

  TileRows(HistoryDb db) {
    this.db = db;
  }

  /** The stored hashes of each of these tiles that exists. */
  Future<Map<TileKey, byte[]>> tiles(long tenant, Set<TileKey> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Integer[] levels = keys.stream().map(TileKey::level).toArray(Integer[]::new);
    Long[] indexes = keys.stream().map(TileKey::index).toArray(Long[]::new);
    return db.query("SELECT t.level, t.index, t.hashes FROM tlog_tiles t "
            + "JOIN unnest($2::int4[], $3::int8[]) AS k(level, index) ON t.level = k.level AND t.index = k.index "
            + "WHERE t.tenant = $1", Tuple.of(tenant, levels, indexes))
        .map(rows -> {
          Map<TileKey, byte[]> tiles = new HashMap<>();
          for (Row row : rows) {
            tiles.put(new TileKey(row.getInteger("level"), row.getLong("index")),
                row.getBuffer("hashes").getBytes());
          }
          return tiles;
        });
  }

  /** The stored hashes of one tile. */
  Future<Optional<byte[]>> tile(long tenant, TileKey key) {
    return tiles(tenant, Set.of(key)).map(tiles -> Optional.ofNullable(tiles.get(key)));
  }

  /** The 58-byte entry of leaf {@code seq}, from its bundle. */
  Future<Optional<byte[]>> entry(long tenant, long seq) {
    int offset = (int) (seq & 0xff) * LeafEntry.SIZE;
    return bundle(tenant, seq >>> 8).map(bundle -> bundle.filter(bytes -> bytes.length >= offset + LeafEntry.SIZE)
        .map(bytes -> Arrays.copyOfRange(bytes, offset, offset + LeafEntry.SIZE)));
  }

  /** The stored entries of one bundle (58 bytes each). */
  Future<Optional<byte[]>> bundle(long tenant, long index) {
    return db.query("SELECT entries FROM tlog_bundles WHERE tenant = $1 AND index = $2", Tuple.of(tenant, index))
        .map(rows -> rows.iterator().hasNext()
            ? Optional.of(rows.iterator().next().getBuffer("entries").getBytes()) : Optional.empty());
  }
}
