package io.auditlog.tlog;

import io.auditlog.web.ServiceRoles;
import io.auditlog.web.TableGrants;
import java.util.List;

/**
 * The verifiable history's tables (db/tlog), and who may use them, each right one that a statement of the code needs.
 * The ingest workers append to the trees, sign their checkpoints and keep the keys; the query-service reads them, and
 * appends erasure records (so it writes the trees, their tiles and bundles, and the erasure index too) but reads no
 * sealed key; the gateway has nothing here. A tree row's origin, which every checkpoint signs, is written once, when
 * a worker makes the row, and never updated by anyone but the owner. Nobody but the owner may delete from the trees,
 * their tiles, bundles, batch rows or erasures. Blocking (JDBC).
 */
public final class TlogSchema {

  static final List<String> TABLES = List.of("tlog_trees", "tlog_tiles", "tlog_bundles", "tlog_batches",
      "tlog_republished", "tlog_checkpoints", "tlog_keys", "tlog_erasures", "tlog_erased");
  /** What the query-service reads of the keys: everything but the sealed secrets. */
  static final String PUBLIC_KEY_COLUMNS = "SELECT (key_id, purpose, public_key, valid_from, valid_until, active)";
  /** What appending leaves changes in a tree row ({@code TreeRow.storeLeaves}); a worker moves watermarks too. */
  private static final String APPENDED = "size, root, compact_range, updated_at";

  private TlogSchema() {
  }

  /** Applies pending migrations; returns how many ran. */
  public static int migrate(PgLogin login) {
    return PgSchema.migrate(login, "classpath:db/tlog", "tlog_schema_history");
  }

  public static TableGrants grants(ServiceRoles roles) {
    return TableGrants.on(TABLES, List.of(), roles.all())
        .grant("SELECT", TABLES, roles.worker())
        .grant("INSERT (tenant, origin, root, compact_range), UPDATE (" + APPENDED + ", watermarks, halted)",
            List.of("tlog_trees"), roles.worker())
        .grant("INSERT, UPDATE", List.of("tlog_tiles", "tlog_bundles", "tlog_keys"), roles.worker())
        .grant("INSERT", List.of("tlog_batches", "tlog_republished", "tlog_checkpoints", "tlog_erasures",
            "tlog_erased"), roles.worker())
        .grant("DELETE", List.of("tlog_republished", "tlog_checkpoints"), roles.worker())
        .grant("SELECT", List.of("tlog_trees", "tlog_tiles", "tlog_bundles", "tlog_checkpoints", "tlog_erasures",
            "tlog_erased"), roles.query())
        .grant("UPDATE (" + APPENDED + ", retained_before, retention_seq)", List.of("tlog_trees"), roles.query())
        .grant("INSERT, UPDATE", List.of("tlog_tiles", "tlog_bundles"), roles.query())
        .grant("INSERT", List.of("tlog_erasures", "tlog_erased"), roles.query())
        .grant(PUBLIC_KEY_COLUMNS, List.of("tlog_keys"), roles.query());
  }
}
