package io.auditlog.stack;

import io.auditlog.infra.ChildProcess;
import io.auditlog.infra.PostgresServer;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.infra.ServiceRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The database's owner at work before the services start: each service that has tables applies its migrations and
 * grants the service roles their rights ({@code <service>.jar migrate}, run to its end); then every service logs in
 * as its own role ({@link #loginOf}) and migrates nothing. So the gateway, which faces the network, cannot read or
 * change the verifiable history, and no service can change a table's shape.
 */
final class SchemaOwner {

  /** The services whose jars carry migrations: the gateway's tables, then the history's and the counts'. */
  static final List<String> MIGRATING = List.of("gateway", "ingest-worker");

  private SchemaOwner() {
  }

  /** Runs {@code java -jar <jar> migrate} as the owner for each of {@code jars}, in order; logs go to {@code logs}. */
  static void migrate(List<Path> jars, PostgresServer postgres, Path logs) {
    for (Path jar : jars) {
      ChildProcess run = run(jar, postgres, logs, Map.of());
      if (run.exitCode() != 0) {
        throw new IllegalStateException(run.name() + " failed:\n" + run.tail(20));
      }
    }
  }

  /** {@code java -jar <jar> migrate} as the owner, with {@code settings} on top, run to its end. */
  static ChildProcess run(Path jar, PostgresServer postgres, Path logs, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(Map.of(
        "AUDIT_PG_HOST", "127.0.0.1",
        "AUDIT_PG_PORT", Integer.toString(postgres.port()),
        "AUDIT_PG_DATABASE", postgres.database(),
        "AUDIT_PG_USER", PostgresServer.USER,
        "AUDIT_PG_PASSWORD", postgres.password()));
    env.put("AUDIT_PG_GATEWAY_ROLE", ServiceRole.GATEWAY.roleName());
    env.put("AUDIT_PG_WORKER_ROLE", ServiceRole.WORKER.roleName());
    env.put("AUDIT_PG_QUERY_ROLE", ServiceRole.QUERY.roleName());
    env.putAll(settings);
    String name = "migrate-" + jar.getFileName().toString().replace(".jar", "");
    ChildProcess run = ChildProcess.start(name, List.of(ProjectLayout.javaBinary(), "-Xmx128m", "-jar",
        jar.toString(), "migrate"), env, logs.resolve(name + ".log"), "TERM");
    try {
      if (!run.awaitExit(Duration.ofMinutes(2))) {
        run.stop(Duration.ofSeconds(5));
        throw new IllegalStateException(name + " did not end within 2 minutes:\n" + run.tail(20));
      }
      return run;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted", e);
    }
  }

  /** How a service logs in as {@code role}, on a schema the owner migrated. */
  static Map<String, String> loginOf(PostgresServer postgres, ServiceRole role) {
    return Map.of(
        "AUDIT_PG_HOST", "127.0.0.1",
        "AUDIT_PG_PORT", Integer.toString(postgres.port()),
        "AUDIT_PG_USER", role.roleName(),
        "AUDIT_PG_PASSWORD", postgres.password(role),
        "AUDIT_PG_MIGRATE", "off");
  }
}
