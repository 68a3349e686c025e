package io.auditlog.gateway.storage;

import io.auditlog.web.MigrateCommand;
import io.auditlog.web.ServiceRoles;
import io.auditlog.web.Settings;
import io.auditlog.web.TableGrants;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The gateway's tables (db/migration) and who may use them. Only the gateway reads and writes them; it deletes only
 * expired idempotency keys and attempts, and a Kafka credential whose user could not be made (accounts and tokens
 * are turned off, never deleted). The ingest workers may read, of the accounts, the three columns that turn an access
 * key into its tenant, and the query-service nothing at all (it never sees a password hash, a token or a credential).
 */
public final class GatewaySchema {

  static final List<String> TABLES = List.of("users", "account_keys", "api_tokens", "idempotency_keys",
      "kafka_credentials", "rate_limit_attempts");
  static final List<String> SEQUENCES = List.of("users_id_seq", "api_tokens_id_seq", "kafka_credentials_id_seq");
  /** What an ingest worker needs to authenticate a producer's record: {@code AccessKeyDirectory}'s columns. */
  static final String WORKER_READS = "SELECT (id, access_key_hash, is_active)";

  private GatewaySchema() {
  }

  /**
   * Applies pending migrations over JDBC; blocking. The database is shared: the verifiable history's tables (the
   * tlog module, with a history table of their own) may be there first, as when a fresh stack starts its workers
   * before the gateway, so a schema without this history table is taken as at version 0.
   */
  static int migrate(String jdbcUrl, String user, String password) {
    return Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate()
        .migrationsExecuted;
  }

  public static TableGrants grants(ServiceRoles roles) {
    return TableGrants.on(TABLES, SEQUENCES, roles.all())
        .grant("SELECT, INSERT, UPDATE", TABLES, roles.gateway())
        .grant("DELETE", List.of("idempotency_keys", "kafka_credentials", "rate_limit_attempts"), roles.gateway())
        .drawFrom(SEQUENCES, roles.gateway())
        .grant(WORKER_READS, List.of("users"), roles.worker());
  }

  /** {@code gateway.jar migrate}: the migrations, then the grants, as the owner {@code AUDIT_PG_USER}. */
  public static String migrateAndGrant(Settings settings) throws Exception {
    ServiceRoles roles = ServiceRoles.from(settings);
    String url = Postgres.jdbcUrl(settings.text("AUDIT_PG_HOST", "127.0.0.1"), settings.port("AUDIT_PG_PORT", 5432),
        settings.text("AUDIT_PG_DATABASE", "auditlog"));
    String user = settings.text("AUDIT_PG_USER", "auditlog");
    String password = settings.text("AUDIT_PG_PASSWORD", "");
    int applied;
    try (Connection owner = DriverManager.getConnection(url, user, password)) {
      applied = MigrateCommand.apply(owner, roles, () -> migrate(url, user, password), List.of(grants(roles)));
    }
    return applied + " migrations applied; " + roles.gateway() + " uses the gateway's tables, " + roles.worker()
        + " reads an access key's tenant";
  }
}
