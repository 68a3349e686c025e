package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.Ports;
import io.auditlog.infra.PostgresServer;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.infra.Secrets;
import io.auditlog.infra.ServiceRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each service's PostgreSQL role may not do, asked of a real PostgreSQL after the services' own {@code migrate}
 * commands ran (twice, as every start of the stack runs them). That the roles may do what the services need is shown
 * by every other test of this module: its clusters run each service as its role.
 */
class ServiceRolesIT {

  private static Path dir;
  private static PostgresServer postgres;

  @BeforeAll
  static void migrate() throws Exception {
    dir = Files.createTempDirectory("auditlog-roles-");
    dir.toFile().setExecutable(true, false);
    postgres = PostgresServer.start(dir.resolve("postgres"), Ports.free(), "auditlog", false, Secrets.generate());
    ProjectLayout layout = ProjectLayout.locate();
    for (int run = 0; run < 2; run++) {
      SchemaOwner.migrate(SchemaOwner.MIGRATING.stream().map(layout::serviceJar).toList(), postgres,
          Path.of("target", "roles-logs").toAbsolutePath());
    }
    try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER,
        postgres.password()); Statement sql = owner.createStatement()) {
      sql.execute("INSERT INTO users (username, email, password_hash, is_active, access_key_hash, access_key_sealed) "
          + "VALUES ('owner', 'owner@example.com', '$argon2id$secret', TRUE, 'hash-of-key', 'sealed-key')");
      sql.execute("INSERT INTO tlog_keys (key_id, purpose, public_key, sealed, active) "
          + "VALUES ('ed25519:00', 'ed25519', '\\x00', '\\x01', TRUE)");
    }
  }

  @AfterAll
  static void stop() {
    postgres.close();
    BackingServices.deleteTree(dir);
  }

  @Test
  void theGatewayUsesItsOwnTablesAndNeitherReadsNorChangesTheHistoryOrTheCounts() throws Exception {
    try (Connection gateway = login(ServiceRole.GATEWAY)) {
      assertThat(count(gateway, "SELECT count(*) FROM users")).isEqualTo(1);
      run(gateway, "INSERT INTO users (username, email, password_hash, access_key_hash, access_key_sealed) "
          + "VALUES ('second', 'second@example.com', 'x', 'h2', 's2')");
      for (String denied : new String[] {"DELETE FROM users", "DELETE FROM api_tokens", "SELECT sealed FROM tlog_keys", "SELECT * FROM tlog_trees",
          "UPDATE tlog_checkpoints SET note = ''", "DELETE FROM tlog_erased", "SELECT * FROM count_rollups",
          "INSERT INTO count_marks (tenant, hour, version) VALUES (1, 1, 1)", "SELECT * FROM flyway_schema_history"}) {
        assertDenied(gateway, denied);
      }
      assertNoSchemaChanges(gateway, postgres.password(ServiceRole.GATEWAY));
    }
  }

  @Test
  void aWorkerReadsOnlyTheColumnsThatTurnAnAccessKeyIntoItsTenant() throws Exception {
    try (Connection worker = login(ServiceRole.WORKER)) {
      assertThat(count(worker, "SELECT count(id) FROM users WHERE access_key_hash = 'hash-of-key' AND is_active"))
          .isEqualTo(1);
      for (String denied : new String[] {"SELECT password_hash FROM users", "SELECT access_key_sealed FROM users",
          "SELECT * FROM users", "UPDATE users SET is_active = TRUE", "SELECT * FROM api_tokens",
          "SELECT * FROM kafka_credentials", "DELETE FROM tlog_trees", "DELETE FROM tlog_tiles",
          "DELETE FROM tlog_bundles", "DELETE FROM tlog_erasures", "UPDATE tlog_erasures SET record = ''",
          "UPDATE tlog_trees SET origin = 'elsewhere/audit/1'", "UPDATE tlog_trees SET retained_before = 0",
          "UPDATE tlog_batches SET first_seq = 0", "UPDATE tlog_checkpoints SET note = ''",
          "DELETE FROM count_rollups"}) {
        assertDenied(worker, denied);
      }
      assertThat(count(worker, "SELECT count(*) FROM tlog_keys")).isEqualTo(1);
      run(worker, "DELETE FROM tlog_checkpoints WHERE size < 0");
      assertNoSchemaChanges(worker, postgres.password(ServiceRole.WORKER));
    }
  }

  @Test
  void theQueryServiceSeesNoAccountAndNoSealedKeyAndCannotDeleteFromTheHistory() throws Exception {
    try (Connection query = login(ServiceRole.QUERY)) {
      assertThat(count(query, "SELECT count(public_key) FROM tlog_keys")).isEqualTo(1);
      assertThat(count(query, "SELECT count(*) FROM count_rollups")).isZero();
      for (String denied : new String[] {"SELECT count(*) FROM users", "SELECT * FROM api_tokens",
          "SELECT * FROM account_keys", "SELECT * FROM kafka_credentials", "SELECT * FROM idempotency_keys",
          "SELECT sealed FROM tlog_keys", "SELECT * FROM tlog_keys", "UPDATE tlog_keys SET active = FALSE",
          "INSERT INTO tlog_checkpoints (tenant, size, root, note) VALUES (1, 1, '\\x00', 'forged')",
          "DELETE FROM tlog_checkpoints", "DELETE FROM tlog_trees", "DELETE FROM tlog_erasures",
          "UPDATE tlog_batches SET first_seq = 0", "SELECT * FROM tlog_batches", "DELETE FROM tlog_republished",
          "UPDATE tlog_trees SET origin = 'elsewhere/audit/1'", "UPDATE tlog_trees SET halted = NULL",
          "UPDATE tlog_trees SET watermarks = '{}'"}) {
        assertDenied(query, denied);
      }
      assertNoSchemaChanges(query, postgres.password(ServiceRole.QUERY));
    }
  }

  @Test
  void theComposeClustersRoleScriptMakesTheRolesWithPasswordsOfAnyCharacters() throws Exception {
    String password = "it's \"quoted\"; DROP ROLE auditlog; -- :'x' $$";
    Path log = Path.of("target", "roles-logs", "service-roles.log").toAbsolutePath();
    ProcessBuilder script = new ProcessBuilder("bash",
        ProjectLayout.locate().root().resolve("infra/postgres/service-roles.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    script.environment().putAll(Map.of("POSTGRES_USER", PostgresServer.ADMIN, "POSTGRES_DB", "auditlog",
        "PGHOST", "127.0.0.1", "PGPORT", Integer.toString(postgres.port()), "PGPASSWORD", postgres.adminPassword(),
        "AUDIT_PG_GATEWAY_PASSWORD", password, "AUDIT_PG_WORKER_PASSWORD", password + "w",
        "AUDIT_PG_QUERY_PASSWORD", password + "q"));
    try {
      assertThat(script.start().waitFor()).as(() -> read(log)).isZero();
      try (Connection gateway = DriverManager.getConnection(postgres.jdbcUrl(), "auditlog_gateway", password);
          Connection query = DriverManager.getConnection(postgres.jdbcUrl(), "auditlog_query", password + "q")) {
        assertThat(count(gateway, "SELECT count(*) FROM users")).isEqualTo(1);
        assertDenied(query, "SELECT count(*) FROM users");
        assertNoSchemaChanges(gateway, password);
      }
    } finally {
      try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.ADMIN,
          postgres.adminPassword()); Statement sql = admin.createStatement()) {
        for (ServiceRole role : ServiceRole.values()) {
          sql.execute("ALTER ROLE " + role.roleName() + " PASSWORD '" + postgres.password(role) + "'");
        }
      }
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void migrateRefusesRoleNamesThatAreNotServiceLoginsOfTheirOwn() throws Exception {
    Path worker = ProjectLayout.locate().serviceJar("ingest-worker");
    Path logs = Path.of("target", "roles-logs").toAbsolutePath();
    Map<String, String> refused = Map.of(
        "auditlog", "is the owner, may become it, or is a superuser",
        "auditlog_admin", "is the owner, may become it, or is a superuser",
        "auditlog_missing", "PostgreSQL has no role auditlog_missing",
        "public", "is not a role of its own",
        "auditlog_worker", "each service needs a role of its own");
    for (Map.Entry<String, String> name : refused.entrySet()) {
      var run = SchemaOwner.run(worker, postgres, logs, Map.of("AUDIT_PG_QUERY_ROLE", name.getKey()));
      assertThat(run.exitCode()).as(name.getKey()).isEqualTo(2);
      assertThat(run.tail(5)).as(name.getKey()).contains(name.getValue());
    }
    try (Connection query = login(ServiceRole.QUERY)) {
      assertThat(count(query, "SELECT count(public_key) FROM tlog_keys")).as("the grants stand").isEqualTo(1);
    }
  }

  /** Nothing made, altered or dropped, here or in another database of the cluster, which it may not even reach. */
  private static void assertNoSchemaChanges(Connection role, String password) throws SQLException {
    for (String database : new String[] {"postgres", "template1"}) {
      assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl().replace("/auditlog", "/" + database),
          role.getMetaData().getUserName(), password)).isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied for database");
    }
    for (String denied : new String[] {"SELECT lo_create(0)", "SELECT lo_from_bytea(0, '\\x00')",
        "CREATE TABLE extra (x INT)", "CREATE TEMPORARY TABLE extra (x INT)",
        "DROP TABLE users", "DROP TABLE tlog_trees", "ALTER TABLE tlog_tiles ADD COLUMN x INT",
        "TRUNCATE tlog_checkpoints", "TRUNCATE users"}) {
      assertDenied(role, denied);
    }
  }

  private static void assertDenied(Connection role, String sql) {
    assertThatThrownBy(() -> run(role, sql)).as(sql).isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
            .isEqualTo("42501"));
  }

  private static Connection login(ServiceRole role) throws SQLException {
    Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), role.roleName(), postgres.password(role));
    connection.setAutoCommit(true);
    return connection;
  }

  private static void run(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
