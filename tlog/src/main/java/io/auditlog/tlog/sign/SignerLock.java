package io.auditlog.tlog.sign;

import io.auditlog.tlog.PgLogin;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The right to sign checkpoints: a PostgreSQL session-level advisory lock held by a connection of its own. The
 * signer does all its work on that connection, so once the connection breaks (and the server releases the lock for
 * another worker), nothing it does can commit any more. Closing releases the lock.
 */
final class SignerLock implements AutoCloseable {

  /** The advisory lock's key: "tlogsign" in ASCII, shared by every worker of the database. */
  static final long KEY = 0x746c6f677369676eL;
  /** A connection that stops answering for this long counts as broken. */
  private static final int NETWORK_TIMEOUT_MS = 30_000;
  private static final Executor DIRECT = Runnable::run;

  private final Connection connection;

  private SignerLock(Connection connection) {
    this.connection = connection;
  }

  /** The lock on a new connection, or empty when another session holds it. */
  static Optional<SignerLock> tryAcquire(PgLogin login) throws SQLException {
    Connection connection = login.connect();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
      result.next();
      if (result.getBoolean(1)) {
        connection.setNetworkTimeout(DIRECT, NETWORK_TIMEOUT_MS);
        return Optional.of(new SignerLock(connection));
      }
      connection.close();
      return Optional.empty();
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The connection holding the lock: everything the signer reads and writes goes through it. */
  Connection connection() {
    return connection;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closed or broken either way: the server releases a session lock when its session ends.
    }
  }
}
