package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.BackingServices;
import io.auditlog.tlog.PgLogin;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The lookups' one connection, against the real PostgreSQL: a session ended under it costs one lookup, not all. */
class LookupConnectionIT {

  private static final BackingServices SERVICES = BackingServices.forTests();

  @Test
  void aLookupOnASessionTheServerEndedFailsAndTheNextOneReconnects() throws Exception {
    PgLogin login = new PgLogin("jdbc:postgresql://127.0.0.1:" + SERVICES.postgres().port() + "/auditlog", "auditlog",
        SERVICES.postgres().password());
    try (LookupConnection lookups = new LookupConnection(login)) {
      int first = backend(lookups);
      assertThat(backend(lookups)).as("one session for every lookup").isEqualTo(first);
      try (Connection admin = login.connect(); Statement statement = admin.createStatement()) {
        statement.execute("SELECT pg_terminate_backend(" + first + ")");
      }
      assertThatThrownBy(() -> backend(lookups)).isInstanceOf(SQLException.class);
      assertThat(backend(lookups)).isNotEqualTo(first);
    }
  }

  private static int backend(LookupConnection lookups) throws SQLException {
    return lookups.query("SELECT pg_backend_pid() WHERE ? = 1", statement -> statement.setInt(1, 1), rows -> {
      rows.next();
      return rows.getInt(1);
    });
  }
}
