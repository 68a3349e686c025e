package io.auditlog.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Everything in the account tables as text, as a leaked dump would show it. */
final class DatabaseDump {

  private DatabaseDump() {
  }

  static String all(int port, String password) throws Exception {
    StringBuilder dump = new StringBuilder();
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/auditlog",
        "auditlog", password);
        Statement statement = connection.createStatement()) {
      for (String table : new String[] {"users", "account_keys", "api_tokens", "rate_limit_attempts"}) {
        try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
          int columns = rows.getMetaData().getColumnCount();
          while (rows.next()) {
            for (int i = 1; i <= columns; i++) {
              dump.append(rows.getString(i)).append('|');
            }
            dump.append('\n');
          }
        }
      }
    }
    return dump.toString();
  }
}
