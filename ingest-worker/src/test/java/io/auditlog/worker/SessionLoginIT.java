package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.BackingServices;
import io.auditlog.tlog.PgLogin;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The worker's thread sessions against the real PostgreSQL: no statement runs past its timeout, and a transaction
 * left idle by a stalled worker is ended, so the rows it locked are free for the members still working.
 */
class SessionLoginIT {

  private static final BackingServices SERVICES = BackingServices.forTests();

  private final WorkerConfig.Accounts accounts = new WorkerConfig.Accounts("jdbc:postgresql://127.0.0.1:"
      + SERVICES.postgres().port() + "/auditlog", "auditlog", SERVICES.postgres().password(), Duration.ofSeconds(5),
      1000, Duration.ofSeconds(1), true);

  @Test
  void aStatementPastItsTimeoutIsCancelled() throws Exception {
    try (Connection connection = accounts.sessionLogin().connect();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(5)")).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo("57014"));
    }
    // The login of migrations and the signer has no such bound.
    try (Connection connection = accounts.login().connect(); Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_sleep(1.5)");
    }
  }

  @Test
  void aTransactionLeftIdleIsEndedAndItsLocksReleased() throws Exception {
    PgLogin login = accounts.sessionLogin();
    String table = "locks_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection setup = accounts.login().connect(); Statement statement = setup.createStatement()) {
      statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
      statement.execute("INSERT INTO " + table + " VALUES (1)");
    }
    try (Connection stalled = login.connect(); Connection working = login.connect()) {
      stalled.setAutoCommit(false);
      try (Statement statement = stalled.createStatement()) {
        statement.execute("SELECT id FROM " + table + " WHERE id = 1 FOR UPDATE");
      }
      try (Statement statement = working.createStatement()) {
        assertThatThrownBy(() -> statement.execute("SELECT id FROM " + table + " WHERE id = 1 FOR UPDATE NOWAIT"))
            .isInstanceOf(SQLException.class);
        Thread.sleep(3_000);
        statement.execute("SELECT id FROM " + table + " WHERE id = 1 FOR UPDATE NOWAIT");
      }
      try (Statement statement = stalled.createStatement()) {
        assertThatThrownBy(() -> statement.execute("SELECT 1")).isInstanceOf(SQLException.class);
      }
    } finally {
      try (Connection setup = accounts.login().connect(); Statement statement = setup.createStatement()) {
        statement.execute("DROP TABLE " + table);
      }
    }
  }
}
