package io.auditlog.worker;

import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.PgSchema;
import io.auditlog.tlog.TlogSchema;
import io.auditlog.web.MigrateCommand;
import io.auditlog.web.ServiceRoles;
import io.auditlog.web.Settings;
import io.auditlog.web.TableGrants;
import java.sql.Connection;
import java.util.List;

/**
 * The tables the ingest workers migrate: the verifiable history's (tlog) and the hourly counts' (db/counts), and who
 * may use the counts: a worker marks the hours it stored events in and reads which tenants have eight tags; the
 * query-service keeps the counts (rollups, leases, coverage, generations) and takes marks it has counted; the gateway
 * has nothing here. Blocking (JDBC).
 */
public final class WorkerSchema {

  static final List<String> COUNT_TABLES = List.of("count_marks", "count_generations", "count_leases",
      "count_rollups", "count_coverage", "eight_tag_tenants");

  private WorkerSchema() {
  }

  /** Applies the counts' pending migrations; returns how many ran. */
  public static int migrateCounts(PgLogin login) {
    return PgSchema.migrate(login, "classpath:db/counts", "count_schema_history");
  }

  /** Applies both sets' pending migrations; returns how many ran. */
  static int migrate(PgLogin login) {
    return TlogSchema.migrate(login) + migrateCounts(login);
  }

  static TableGrants countGrants(ServiceRoles roles) {
    return TableGrants.on(COUNT_TABLES, List.of(), roles.all())
        .grant("SELECT, INSERT, UPDATE", List.of("count_marks"), roles.worker())
        .grant("SELECT", List.of("eight_tag_tenants"), roles.worker())
        .grant("SELECT, INSERT, UPDATE, DELETE", COUNT_TABLES.subList(0, 5), roles.query());
  }

  /** {@code ingest-worker.jar migrate}: both sets' migrations, then their grants, as the owner {@code AUDIT_PG_USER}. */
  static String migrateAndGrant(Settings settings) throws Exception {
    ServiceRoles roles = ServiceRoles.from(settings);
    PgLogin owner = WorkerConfig.pgLogin(settings);
    int applied;
    try (Connection connection = owner.connect()) {
      applied = MigrateCommand.apply(connection, roles, () -> migrate(owner),
          List.of(TlogSchema.grants(roles), countGrants(roles)));
    }
    return applied + " migrations applied; " + roles.worker() + " and " + roles.query()
        + " granted the history's and the counts' tables";
  }
}
