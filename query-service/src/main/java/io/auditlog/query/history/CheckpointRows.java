package io.auditlog.query.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;

/** A tenant's stored checkpoints (size and signed note) and its tree's origin. */
final class CheckpointRows {

  /** A stored checkpoint: the tree size and the signed note. */
  record Stored(long size, String note) {
  }

  private final HistoryDb db;

  CheckpointRows(HistoryDb db) {
    this.db = db;
  }

  /** The checkpoint of the largest size. */
  Future<Optional<Stored>> latest(long tenant) {
    return db.query("SELECT size, note FROM tlog_checkpoints WHERE tenant = $1 ORDER BY size DESC LIMIT 1",
        Tuple.of(tenant)).map(CheckpointRows::first);
  }

  /** The checkpoint of this size, which is below the latest one's. */
  private Future<Optional<Stored>> at(long tenant, long size) {
    return db.query("SELECT size, note FROM tlog_checkpoints WHERE tenant = $1 AND size = $2",
        Tuple.of(tenant, size)).map(CheckpointRows::first);
  }

  /**
   * The checkpoint a request names by {@code size} at {@code [where, name]}; absent, the latest. No checkpoint at all,
   * or none stored of that size, is 404 {@code checkpoint_not_found}; a size beyond the latest checkpoint is 422
   * {@code value_error.not_covered}.
   */
  Future<Stored> requested(long tenant, String where, String name, OptionalLong size) {
    return latest(tenant).compose(found -> {
      Stored latest = found.orElseThrow(HistoryErrors::checkpointNotFound);
      if (size.isEmpty() || size.getAsLong() == latest.size()) {
        return Future.succeededFuture(latest);
      }
      if (Long.compareUnsigned(size.getAsLong(), latest.size()) > 0) {
        throw HistoryErrors.notCovered(where, name, "size " + Long.toUnsignedString(size.getAsLong()),
            latest.size());
      }
      return at(tenant, size.getAsLong()).map(stored -> stored.orElseThrow(HistoryErrors::checkpointNotFound));
    });
  }

  /** The size of the newest checkpoint signed at or before {@code time}; 0 when none was. */
  Future<Long> sizeAt(long tenant, Instant time) {
    return db.query("SELECT size FROM tlog_checkpoints WHERE tenant = $1 AND signed_at <= $2 "
            + "ORDER BY signed_at DESC, size DESC LIMIT 1", Tuple.of(tenant, time.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("size") : 0L);
  }

  /** The origin frozen in the tenant's tree row; empty before its first leaf. */
  Future<Optional<String>> origin(long tenant) {
    return db.query("SELECT origin FROM tlog_trees WHERE tenant = $1", Tuple.of(tenant))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getString("origin"))
            : Optional.empty());
  }

  private static Optional<Stored> first(RowSet<Row> rows) {
    if (!rows.iterator().hasNext()) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new Stored(row.getLong("size"), row.getString("note")));
  }
}
