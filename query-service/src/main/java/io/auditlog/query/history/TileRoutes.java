package io.auditlog.query.history;

import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.TreeHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code …/tile/{L}/{N}[.p/{W}]} (the hashes, 32 bytes each) and {@code …/tile/entries/{N}[.p/{W}]} (each 58-byte
 * entry prefixed with its length, uint16 {@code 0x003A}; gzipped when accepted), as C2SP tlog-tiles lays them out.
 * Only what the latest checkpoint covers is served, and that never changes: immutable. Callers with a view get 403.
 */
final class TileRoutes {

  static final String OCTETS = "application/octet-stream";

  private final CheckpointRows checkpoints;
  private final TileRows tiles;

  TileRoutes(CheckpointRows checkpoints, TileRows tiles) {
    this.checkpoints = checkpoints;
    this.tiles = tiles;
  }

  void serve(RoutingContext ctx) {
    TenantHistory.requireWholeView(ctx);
    long tenant = TenantHistory.tenant(ctx);
    TilePath path = TilePath.parse(ctx.pathParam("tile"));
    if (!ctx.request().path().equals(ctx.normalizedPath())) {
      // The router matched the path with "//", "/./" and "/../" resolved: only the canonical spelling names a tile.
      throw HistoryErrors.tileNotFound();
    }
    checkpoints.latest(tenant)
        .compose(latest -> {
          if (latest.isEmpty() || !path.coveredBy(latest.get().size())) {
            throw HistoryErrors.tileNotFound();
          }
          return path.entries() ? bundle(tenant, path) : tile(tenant, path);
        })
        .compose(body -> {
          Caching.immutable(ctx.response()).putHeader("Content-Type", OCTETS);
          return path.entries() ? EncodedBody.of(ctx.request(), ctx.response()).end(body)
              : ctx.response().end(Buffer.buffer(body));
        })
        .onFailure(ctx::fail);
  }

  private Future<byte[]> tile(long tenant, TilePath path) {
    return tiles.tile(tenant, new TileKey(path.level(), path.index()))
        .map(stored -> prefix(stored, path.width() * TreeHash.SIZE, path));
  }

  private Future<byte[]> bundle(long tenant, TilePath path) {
    return tiles.bundle(tenant, path.index()).map(stored -> {
      byte[] entries = prefix(stored, path.width() * LeafEntry.SIZE, path);
      byte[] bundle = new byte[path.width() * (2 + LeafEntry.SIZE)];
      for (int i = 0; i < path.width(); i++) {
        int at = i * (2 + LeafEntry.SIZE);
        bundle[at + 1] = (byte) LeafEntry.SIZE;
        System.arraycopy(entries, i * LeafEntry.SIZE, bundle, at + 2, LeafEntry.SIZE);
      }
      return bundle;
    });
  }

  /** The first {@code length} stored bytes: the checkpoint covers them, so a shorter row is a broken store. */
  private static byte[] prefix(Optional<byte[]> stored, int length, TilePath path) {
    byte[] bytes = stored.filter(b -> b.length >= length).orElseThrow(() ->
        new IllegalStateException("the store lacks the covered " + path));
    return Arrays.copyOf(bytes, length);
  }
}
