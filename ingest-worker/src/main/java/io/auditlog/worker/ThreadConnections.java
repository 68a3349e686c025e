package io.auditlog.worker;

import io.auditlog.tlog.PgLogin;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One JDBC connection per thread (the writer pool's, and the consumer's to read placed records), opened on first
 * use; a connection that failed is dropped, so the next attempt reconnects.
 */
final class ThreadConnections implements AutoCloseable {

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final PgLogin login;
  private final ThreadLocal<Connection> connections = new ThreadLocal<>();
  private final List<Connection> opened = new CopyOnWriteArrayList<>();

  ThreadConnections(PgLogin login) {
    this.login = login;
  }

  /** Runs the work on this thread's connection; when it fails, the connection is closed and forgotten. */
  <T> T with(Work<T> work) throws SQLException {
    Connection connection = connections.get();
    if (connection == null) {
      connection = login.connect();
      connections.set(connection);
      opened.add(connection);
    }
    try {
      return work.run(connection);
    } catch (SQLException e) {
      discard(connection);
      throw e;
    }
  }

  private void discard(Connection connection) {
    connections.remove();
    opened.remove(connection);
    try {
      connection.close();
    } catch (SQLException ignored) {
      // A broken connection is being dropped; nothing more to do with it.
    }
  }

  @Override
  public void close() {
    for (Connection connection : opened) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing at shutdown; the server drops the session anyway.
      }
    }
    opened.clear();
  }
}
