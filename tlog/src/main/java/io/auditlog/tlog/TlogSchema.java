package io.auditlog.tlog;

import org.flywaydb.core.Flyway;

/**
 * The verifiable history's tables (db/tlog), applied with their own history table so that they move with the code
 * that writes them. Blocking (JDBC).
 */
public final class TlogSchema {

  private TlogSchema() {
  }

  /** Applies pending migrations; returns how many ran. */
  public static int migrate(PgLogin login) {
    return Flyway.configure()
        .dataSource(login.jdbcUrl(), login.user(), login.password())
        .locations("classpath:db/tlog")
        .table("tlog_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
