package io.auditlog.tlog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where and as whom to reach PostgreSQL over JDBC. */
public record PgLogin(String jdbcUrl, String user, String password) {

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  @Override
  public String toString() {
    return "PgLogin[" + jdbcUrl + " as " + user + "]";
  }
}
