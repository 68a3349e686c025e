package io.auditlog.tlog.sign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Retention of checkpoint notes: every note stays for the retention period, after that only the first of each UTC
 * hour of each tree, and always a tree's latest. A pass looks only at the notes that left the retention window since
 * the previous pass (all of them at the first pass after the signer lock is taken); a latest note that leaves the
 * window is looked at again when the next note supersedes it.
 */
final class CheckpointPruner {

  static final Duration EVERY = Duration.ofMinutes(1);

  /** A note that another note of its tree precedes in its UTC hour, and that is not the tree's latest. */
  private static final String PRUNABLE = """
      EXISTS (SELECT 1 FROM tlog_checkpoints e WHERE e.tenant = c.tenant
          AND e.signed_at >= date_trunc('hour', c.signed_at, 'UTC') AND (e.signed_at, e.size) < (c.signed_at, c.size))
      AND EXISTS (SELECT 1 FROM tlog_checkpoints l WHERE l.tenant = c.tenant AND l.size > c.size)""";

  private final Duration retention;
  private OffsetDateTime prunedUntil;
  private long nextPassNanos;

  CheckpointPruner(Duration retention) {
    this.retention = retention;
  }

  /** Forgets what earlier passes did: the next pass looks at every note (after the signer lock was taken). */
  void restart() {
    prunedUntil = Instant.EPOCH.atOffset(ZoneOffset.UTC);
    nextPassNanos = System.nanoTime();
  }

  /** Runs a pass when one is due; returns how many notes it deleted. */
  int passIfDue(Connection connection) throws SQLException {
    if (System.nanoTime() - nextPassNanos < 0) {
      return 0;
    }
    OffsetDateTime horizon = horizon(connection);
    int deleted;
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM tlog_checkpoints c WHERE c.signed_at >= ? AND c.signed_at < ? AND " + PRUNABLE)) {
      delete.setObject(1, prunedUntil);
      delete.setObject(2, horizon);
      deleted = delete.executeUpdate();
    }
    prunedUntil = horizon;
    nextPassNanos = System.nanoTime() + EVERY.toNanos();
    return deleted;
  }

  /**
   * Deletes the tree's note at {@code size} if it is past retention and prunable: called once a newer note
   * supersedes it, in the transaction that stores the newer one.
   */
  void superseded(Connection connection, long tenant, long size) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tlog_checkpoints c WHERE c.tenant = ? "
        + "AND c.size = ? AND c.signed_at < now() - make_interval(secs => ?) AND " + PRUNABLE)) {
      delete.setLong(1, tenant);
      delete.setLong(2, size);
      delete.setDouble(3, seconds(retention));
      delete.executeUpdate();
    }
  }

  private OffsetDateTime horizon(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT now() - make_interval(secs => ?)")) {
      select.setDouble(1, seconds(retention));
      try (ResultSet result = select.executeQuery()) {
        result.next();
        return result.getObject(1, OffsetDateTime.class);
      }
    }
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
