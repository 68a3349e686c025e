package io.auditlog.tlog.sign;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.PostgresServer;
import io.auditlog.infra.Ports;
import io.auditlog.infra.Secrets;
import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.TlogSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** A real PostgreSQL on a free port with the tlog schema, for one test class: started in @BeforeAll, closed after. */
public final class TestPostgres implements AutoCloseable {

  private final Path dir;
  private final PostgresServer server;
  private final PgLogin login;

  private TestPostgres(Path dir, PostgresServer server) {
    this.dir = dir;
    this.server = server;
    this.login = new PgLogin("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + server.database(),
        PostgresServer.USER, server.password());
  }

  public static TestPostgres start() {
    try {
      Path dir = Files.createTempDirectory("tlog-signer-it-");
      dir.toFile().setExecutable(true, false);
      TestPostgres postgres = new TestPostgres(dir, PostgresServer.start(dir, Ports.free(), "auditlog", false,
          Secrets.generate()));
      TlogSchema.migrate(postgres.login());
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PgLogin login() {
    return login;
  }

  /** The environment a service or tool of this database reads, with the given AUDIT_TLOG_SECRET. */
  public Map<String, String> environment(String secret) {
    return Map.of("AUDIT_PG_HOST", "127.0.0.1", "AUDIT_PG_PORT", Integer.toString(server.port()),
        "AUDIT_PG_DATABASE", server.database(), "AUDIT_PG_USER", PostgresServer.USER,
        "AUDIT_PG_PASSWORD", server.password(), "AUDIT_TLOG_SECRET", secret);
  }

  /** Runs statements in one transaction of their own. */
  public void execute(String... statements) throws SQLException {
    try (Connection connection = login.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      for (String sql : statements) {
        statement.execute(sql);
      }
      connection.commit();
    }
  }

  /** Empties every table this module writes. */
  public void clear() throws SQLException {
    execute("TRUNCATE tlog_trees, tlog_tiles, tlog_checkpoints, tlog_keys");
  }

  @Override
  public void close() {
    server.close();
    BackingServices.deleteTree(dir);
  }
}
