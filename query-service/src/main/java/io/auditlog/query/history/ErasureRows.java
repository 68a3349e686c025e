package io.auditlog.query.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A tenant's erasure records (leaves of kind 0x02, never erased) and the index of the events they erased. */
final class ErasureRows {

  /** An erasure record: its seq, its 16-byte salt and its JSON text. */
  record Stored(long seq, byte[] salt, String record) {
  }

  /** The last retention record of a tree: events stamped before {@code beforeNanos} are past retention. */
  record Retention(long seq, long beforeNanos) {
  }

  /** An erased event: its id and seq, and the seq of the record that erased it. */
  record Erased(UUID id, long seq, long erasureSeq) {
  }

  private static final String RECORDS = "SELECT seq, salt, record FROM tlog_erasures WHERE tenant = $1 AND ";
  private static final String ERASED = "SELECT id, seq, erasure_seq FROM tlog_erased WHERE tenant = $1 AND ";

  private final HistoryDb db;

  ErasureRows(HistoryDb db) {
    this.db = db;
  }

  Future<Optional<Erased>> erased(long tenant, UUID id) {
    return db.query(ERASED + "id = $2", Tuple.of(tenant, id)).map(rows -> erased(rows).stream().findFirst());
  }

  /** The erased events whose seq is in [fromSeq, toSeq). */
  Future<List<Erased>> erasedIn(long tenant, long fromSeq, long toSeq) {
    return db.query(ERASED + "seq >= $2 AND seq < $3", Tuple.of(tenant, fromSeq, toSeq)).map(ErasureRows::erased);
  }

  /** Whether an event whose seq is in [fromSeq, toSeq) was erased by a record at or beyond {@code size}. */
  Future<Boolean> erasedFrom(long tenant, long fromSeq, long toSeq, long size) {
    return db.query("SELECT 1 FROM tlog_erased WHERE tenant = $1 AND seq >= $2 AND seq < $3 AND erasure_seq >= $4 "
        + "LIMIT 1", Tuple.of(tenant, fromSeq, toSeq, size)).map(rows -> rows.size() > 0);
  }

  /** The tree's last retention record and its cutoff (nanoseconds), if it has one. */
  Future<Optional<Retention>> retention(long tenant) {
    return db.query("SELECT retention_seq, retained_before FROM tlog_trees WHERE tenant = $1 AND retention_seq "
        + "IS NOT NULL", Tuple.of(tenant)).map(rows -> {
          for (Row row : rows) {
            return Optional.of(new Retention(row.getLong(0), row.getLong(1)));
          }
          return Optional.empty();
        });
  }

  /** The record whose own id (the {@code id} of its JSON) this is. */
  Future<Optional<Stored>> recordById(long tenant, UUID id) {
    return db.query(RECORDS + "record::jsonb ->> 'id' = $2", Tuple.of(tenant, id.toString()))
        .map(rows -> records(rows).stream().findFirst());
  }

  /** The records at these seqs. */
  Future<List<Stored>> recordsAt(long tenant, Collection<Long> seqs) {
    return db.query(RECORDS + "seq = ANY($2) ORDER BY seq", Tuple.of(tenant, (Object) seqs.toArray(Long[]::new)))
        .map(ErasureRows::records);
  }

  /** The records whose seq is in [fromSeq, toSeq). */
  Future<List<Stored>> recordsIn(long tenant, long fromSeq, long toSeq) {
    return db.query(RECORDS + "seq >= $2 AND seq < $3", Tuple.of(tenant, fromSeq, toSeq)).map(ErasureRows::records);
  }

  private static List<Stored> records(RowSet<Row> rows) {
    List<Stored> records = new ArrayList<>();
    for (Row row : rows) {
      records.add(new Stored(row.getLong("seq"), row.getBuffer("salt").getBytes(), row.getString("record")));
    }
    return records;
  }

  private static List<Erased> erased(RowSet<Row> rows) {
    List<Erased> erased = new ArrayList<>();
    for (Row row : rows) {
      erased.add(new Erased(row.getUUID("id"), row.getLong("seq"), row.getLong("erasure_seq")));
    }
    return erased;
  }
}
