package io.auditlog.tlog;

import io.auditlog.web.ServiceRoles;
import io.auditlog.web.TableGrants;
import java.util.List;

/**
 * The verifiable history's tables (db/tlog), and who may use them. The ingest workers append to the trees, sign their
 * checkpoints and keep the keys; the query-service reads them, and appends erasure records (so it writes the trees,
 * their tiles and bundles, and the erasure index too) but reads no sealed key; the gateway has nothing here. Nobody
 * but the owner may delete from the trees, their tiles, bundles, batch rows or erasures. Blocking (JDBC).
 */
public final class TlogSchema {

  static final List<String> TABLES = List.of("tlog_trees", "tlog_tiles", "tlog_bundles", "tlog_batches",
      "tlog_republished", "tlog_checkpoints", "tlog_keys", "tlog_erasures", "tlog_erased");
  /** What the query-service reads of the keys: everything but the sealed secrets. */
  static final String PUBLIC_KEY_COLUMNS = "SELECT (key_id, purpose, public_key, valid_from, valid_until, active)";

  private TlogSchema() {
  }

  /** Applies pending migrations; returns how many ran. */
  public static int migrate(PgLogin login) {
    return PgSchema.migrate(login, "classpath:db/tlog", "tlog_schema_history");
  }

  public static TableGrants grants(ServiceRoles roles) {
    return TableGrants.on(TABLES, List.of(), roles.all())
        .grant("SELECT, INSERT, UPDATE", List.of("tlog_trees", "tlog_tiles", "tlog_bundles", "tlog_batches",
            "tlog_republished", "tlog_checkpoints", "tlog_keys"), roles.worker())
        .grant("SELECT, INSERT", List.of("tlog_erasures", "tlog_erased"), roles.worker())
        .grant("DELETE", List.of("tlog_republished", "tlog_checkpoints"), roles.worker())
        .grant("SELECT", List.of("tlog_checkpoints", "tlog_batches"), roles.query())
        .grant("SELECT, UPDATE", List.of("tlog_trees"), roles.query())
        .grant("SELECT, INSERT, UPDATE", List.of("tlog_tiles", "tlog_bundles"), roles.query())
        .grant("SELECT, INSERT", List.of("tlog_erasures", "tlog_erased"), roles.query())
        .grant(PUBLIC_KEY_COLUMNS, List.of("tlog_keys"), roles.query());
  }
}
