package io.auditlog.tlog.sign;

import io.auditlog.tlog.keys.SigningKeyPair;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.TreeHash;
import io.auditlog.verify.VerificationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs one tree's next checkpoint in one repeatable-read transaction: size 0 when the tree has none yet, otherwise
 * its current size, once the tree row's root is found to be the root of the stored tiles and the consistency proof
 * from the latest checkpoint, built from the same tiles, verifies against both roots. A tree that fails is halted
 * ({@code tlog_trees.halted} holds why) and counted, and stays unsigned until someone clears {@code halted}; so is
 * a tree whose row cannot be signed at all (an origin that is no key name), or names another log (an origin that is
 * not its tenant's, or not the one signed before).
 */
final class TreeSigner {

  private static final Logger LOG = LoggerFactory.getLogger(TreeSigner.class);

  private record TreeRow(String origin, long size, byte[] root, boolean halted) {
  }

  /** The latest checkpoint: its size, root, and origin (its note's first line). */
  private record Signed(long size, byte[] root, String origin) {
  }

  private final TileCache cache;
  private final CheckpointPruner pruner;
  private final Runnable countRefusal;

  TreeSigner(TileCache cache, CheckpointPruner pruner, Runnable countRefusal) {
    this.cache = cache;
    this.pruner = pruner;
    this.countRefusal = countRefusal;
  }

  /** Signs the tree's next checkpoint, if it has grown (or has none) and passes the checks; halts it if not. */
  void sign(Connection connection, long tenant, List<SigningKeyPair> keys) throws SQLException {
    Optional<String> refusal;
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      refusal = signInTransaction(connection, tenant, keys);
    } catch (TileReadException e) {
      connection.rollback();
      throw e.getCause();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    if (refusal.isPresent()) {
      halt(connection, tenant, refusal.get());
    }
  }

  /** Commits the next note, or rolls back and says why the tree is refused. */
  private Optional<String> signInTransaction(Connection connection, long tenant, List<SigningKeyPair> keys)
      throws SQLException {
    StoredTiles tiles = new StoredTiles(connection, tenant, cache);
    Optional<TreeRow> row = treeRow(connection, tenant);
    Optional<Signed> latest = latest(connection, tenant);
    if (row.isEmpty() || row.get().halted() || latest.isPresent() && latest.get().size() == row.get().size()) {
      connection.rollback();
      return Optional.empty();
    }
    Optional<String> foreign = foreignOrigin(tenant, row.get(), latest);
    if (foreign.isPresent()) {
      connection.rollback();
      return foreign;
    }
    Checkpoint next;
    try {
      next = latest.isEmpty()
          ? new Checkpoint(row.get().origin(), 0, TreeHash.empty())
          : checked(row.get(), latest.get(), tiles);
    } catch (InconsistentTreeException | VerificationException | IllegalArgumentException e) {
      connection.rollback();
      return Optional.of("checkpoint refused after size "
          + latest.map(signed -> Long.toUnsignedString(signed.size())).orElse("(none)") + ": " + e.getMessage());
    }
    insert(connection, tenant, next, SignedNote.sign(next.body(),
        keys.stream().map(key -> key.signerFor(next.origin())).toList()));
    if (latest.isPresent()) {
      pruner.superseded(connection, tenant, latest.get().size());
    }
    connection.commit();
    tiles.cacheFullTiles();
    return Optional.empty();
  }

  /**
   * Why the row's origin is not this tree's, if it is not: an origin is frozen when the tree is made and names its
   * tenant, so a row that names another tenant, or differs from the origin already signed, was changed behind the
   * service's back (no service role may update it), and signing it would sign another log's name.
   */
  private static Optional<String> foreignOrigin(long tenant, TreeRow row, Optional<Signed> latest) {
    if (!row.origin().endsWith("/audit/" + tenant)) {
      return Optional.of("the tree row's origin " + row.origin() + " does not name tenant " + tenant);
    }
    if (latest.isPresent() && !latest.get().origin().equals(row.origin())) {
      return Optional.of("the tree row's origin " + row.origin() + " is not the origin signed before, "
          + latest.get().origin());
    }
    return Optional.empty();
  }

  /** The checkpoint of the tree's current size, once the stored tiles prove it extends the latest one. */
  private static Checkpoint checked(TreeRow row, Signed latest, StoredTiles tiles) {
    if (Long.compareUnsigned(latest.size(), row.size()) > 0) {
      throw new InconsistentTreeException("the tree has " + Long.toUnsignedString(row.size())
          + " leaves, fewer than its checkpoint of size " + Long.toUnsignedString(latest.size()));
    }
    byte[] root = Proofs.root(row.size(), tiles);
    if (!Arrays.equals(root, row.root())) {
      throw new InconsistentTreeException("the tree row's root is not the root of its stored tiles");
    }
    Proofs.verifyAppendOnly(latest.size(), row.size(), latest.root(), root,
        Proofs.consistency(latest.size(), row.size(), tiles));
    return new Checkpoint(row.origin(), row.size(), root);
  }

  private void halt(Connection connection, long tenant, String reason) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE tlog_trees SET halted = ? WHERE tenant = ? AND halted IS NULL")) {
      update.setString(1, reason);
      update.setLong(2, tenant);
      update.executeUpdate();
    }
    countRefusal.run();
    LOG.error("tenant {}: {}; the tree is halted: no checkpoint is signed until tlog_trees.halted is cleared",
        tenant, reason);
  }

  private static Optional<TreeRow> treeRow(Connection connection, long tenant) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT origin, size, root, halted IS NOT NULL FROM tlog_trees WHERE tenant = ?")) {
      select.setLong(1, tenant);
      try (ResultSet result = select.executeQuery()) {
        return result.next()
            ? Optional.of(new TreeRow(result.getString(1), result.getLong(2), result.getBytes(3), result.getBoolean(4)))
            : Optional.empty();
      }
    }
  }

  private static Optional<Signed> latest(Connection connection, long tenant) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT size, root, split_part(note, E'\\n', 1) FROM tlog_checkpoints WHERE tenant = ? ORDER BY size DESC "
            + "LIMIT 1")) {
      select.setLong(1, tenant);
      try (ResultSet result = select.executeQuery()) {
        return result.next() ? Optional.of(new Signed(result.getLong(1), result.getBytes(2), result.getString(3)))
            : Optional.empty();
      }
    }
  }

  private static void insert(Connection connection, long tenant, Checkpoint checkpoint, String note)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO tlog_checkpoints (tenant, size, root, note) VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, tenant);
      insert.setLong(2, checkpoint.size());
      insert.setBytes(3, checkpoint.root());
      insert.setString(4, note);
      insert.executeUpdate();
    }
  }
}
