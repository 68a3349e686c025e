package io.auditlog.query.history;

import io.auditlog.verify.Subtrees;
import io.auditlog.verify.TreeHash;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a computation over a tenant's tree (a proof, a compact range) without blocking: a first run with placeholder
 * hashes tells which subtrees it reads (the proof algorithms read positions that depend on the sizes only), their
 * tiles are loaded in one query, and the second run, on those tiles, gives the answer.
 */
final class TreeTiles {

  private final TileRows rows;

  TreeTiles(TileRows rows) {
    this.rows = rows;
  }

  <T> Future<T> compute(long tenant, Function<Subtrees, T> computation) {
    Set<TileKey> needed = new HashSet<>();
    computation.apply((level, index) -> {
      needed.add(TileKey.under(level, index));
      return new byte[TreeHash.SIZE];
    });
    return rows.tiles(tenant, needed).map(tiles -> computation.apply(new TileSubtrees(tiles)));
  }
}
