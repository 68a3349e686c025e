package io.auditlog.query.history;

import io.auditlog.filter.StoreTime;
import io.auditlog.model.Json;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
  private static final String RETENTION = "record::jsonb ->> 'reason' = 'retention'";
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

  /**
   * The newest retention record below {@code size} and its cutoff (nanoseconds), if any: the one that explains every
   * event of that tree stamped before the cutoff, since each record reaches at least as far as the ones before it.
   */
  Future<Optional<Retention>> retentionBelow(long tenant, long size) {
    return db.query(RECORDS + "seq < $2 AND " + RETENTION + " ORDER BY seq DESC LIMIT 1", Tuple.of(tenant, size))
        .map(rows -> records(rows).stream().findFirst().map(record -> {
          Instant before = Instant.parse(Json.parseBody(record.record().getBytes(StandardCharsets.UTF_8))
              .path("before").asText());
          return new Retention(record.seq(), StoreTime.nanos(before));
        }));
  }

  /** The tree's retention cutoff now (nanoseconds; 0 when it has none): what its last retention record reaches. */
  Future<Long> cutoff(long tenant) {
    return db.query("SELECT retained_before FROM tlog_trees WHERE tenant = $1", Tuple.of(tenant))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /** True when a retention record stands at a seq in ({@code after}, {@code below}) and at or beyond {@code from}. */
  Future<Boolean> retentionBetween(long tenant, long after, long from, long below) {
    return db.query("SELECT 1 FROM tlog_erasures WHERE tenant = $1 AND seq > $2 AND seq >= $3 AND seq < $4 AND "
        + RETENTION + " LIMIT 1", Tuple.of(tenant, after, from, below)).map(rows -> rows.size() > 0);
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
