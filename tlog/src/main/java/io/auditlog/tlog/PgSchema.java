package io.auditlog.tlog;

import org.flywaydb.core.Flyway;

/**
 * Applies a set of PostgreSQL migrations with a history table of its own, so that each set moves with the code that
 * writes its tables. Blocking (JDBC).
 */
public final class PgSchema {

  private PgSchema() {
  }

  /** Applies the pending migrations found at {@code location}; returns how many ran. */
  public static int migrate(PgLogin login, String location, String historyTable) {
    return Flyway.configure()
        .dataSource(login.jdbcUrl(), login.user(), login.password())
        .locations(location)
        .table(historyTable)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
