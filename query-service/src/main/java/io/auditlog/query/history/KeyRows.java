package io.auditlog.query.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The checkpoint signing keys' public halves and validity, oldest first: the sealed private halves are not read. */
final class KeyRows {

  /** A signing key: its raw 32-byte Ed25519 public key, from when, and until when (null: still valid). */
  record Stored(byte[] publicKey, Instant validFrom, Instant validUntil) {
  }

  private final HistoryDb db;

  KeyRows(HistoryDb db) {
    this.db = db;
  }

  Future<List<Stored>> signingKeys() {
    return db.query("SELECT public_key, valid_from, valid_until FROM tlog_keys "
        + "WHERE purpose = 'ed25519' AND public_key IS NOT NULL ORDER BY valid_from, key_id", Tuple.tuple())
        .map(rows -> {
          List<Stored> keys = new ArrayList<>();
          for (Row row : rows) {
            OffsetDateTime until = row.getOffsetDateTime("valid_until");
            keys.add(new Stored(row.getBuffer("public_key").getBytes(), row.getOffsetDateTime("valid_from").toInstant(),
                until == null ? null : until.toInstant()));
          }
          return keys;
        });
  }
}
