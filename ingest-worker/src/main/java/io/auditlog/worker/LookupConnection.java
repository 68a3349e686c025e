package io.auditlog.worker;

import io.auditlog.tlog.PgLogin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One JDBC connection for small lookups from the worker's own threads (never an event loop): opened on the first
 * lookup and dropped after any failure, so the next lookup reconnects instead of reusing a broken session.
 */
final class LookupConnection implements AutoCloseable {

  /** Binds a lookup's parameters. */
  interface Parameters {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Reads a lookup's answer from its rows. */
  interface Answer<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private final PgLogin login;
  private Connection connection;

  LookupConnection(PgLogin login) {
    this.login = login;
  }

  synchronized <T> T query(String sql, Parameters parameters, Answer<T> answer) throws SQLException {
    try {
      if (connection == null) {
        connection = login.connect();
      }
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        parameters.bind(statement);
        try (ResultSet rows = statement.executeQuery()) {
          return answer.read(rows);
        }
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // reconnect on the next lookup
    }
    connection = null;
  }
}
