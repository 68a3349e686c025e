package io.auditlog.tlog;

/** The verifiable history's tables (db/tlog). Blocking (JDBC). */
public final class TlogSchema {

  private TlogSchema() {
  }

  /** Applies pending migrations; returns how many ran. */
  public static int migrate(PgLogin login) {
    return PgSchema.migrate(login, "classpath:db/tlog", "tlog_schema_history");
  }
}
