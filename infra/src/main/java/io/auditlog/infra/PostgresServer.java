package io.auditlog.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from the machine's PostgreSQL binaries: created with {@code initdb} on first start,
 * listening on 127.0.0.1 only (no Unix socket), one database for the service. Every connection authenticates with
 * SCRAM-SHA-256: the cluster's superuser ({@value #ADMIN}, its generated password kept in the cluster's folder,
 * mode 600) is used only here, to create the service's role ({@value #USER}: owner of its database, no superuser, no
 * role or database creation) and to set its password on every start, and a login role for each service
 * ({@link ServiceRole}: no rights of its own beyond connecting; each service's {@code migrate} grants them), each with
 * a password generated once and kept beside the superuser's. A cluster created before with trust authentication is
 * converted at its next start. Run as the {@code postgres} user when this process is root, since
 * PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements Restartable, AutoCloseable {

  public static final String USER = "auditlog";
  /** The cluster's superuser: this class provisions with it; tests of provisioning scripts log in as it too. */
  public static final String ADMIN = "auditlog_admin";

  private volatile ChildProcess process;
  private final Path dir;
  private final int port;
  private final String database;
  private final boolean durable;
  private final String password;

  private PostgresServer(Path dir, int port, String database, boolean durable, String password) {
    this.dir = dir;
    this.port = port;
    this.database = database;
    this.durable = durable;
    this.password = password;
  }

  /**
   * Starts the cluster in {@code dir}, creating it if needed, and creates {@code database} if it is missing.
   *
   * @param durable false turns fsync off (for tests); the local stack keeps it on
   */
  public static PostgresServer start(Path dir, int port, String database, boolean durable, String password) {
    PostgresServer server = new PostgresServer(dir, port, database, durable, password);
    server.startAgain();
    return server;
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public ChildProcess process() {
    return process;
  }

  /** Starts the server on its cluster (creating the cluster on first start) and provisions the service role. */
  @Override
  public void startAgain() {
    Path bin = binDirectory();
    Path data = dir.resolve("data");
    try {
      String admin = adminPassword(dir);
      if (!Files.exists(data.resolve("PG_VERSION"))) {
        initdb(bin, dir, data, admin);
      }
      List<String> command = asServiceUser(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
          "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
          "-c", "fsync=" + (durable ? "on" : "off"), "-c", "max_connections=200"));
      process = ChildProcess.start("postgres", command, Map.of(), dir.resolve("postgres.log"), "INT");
      Readiness.await(process, Duration.ofSeconds(60), () -> isReady(bin, port));
      try {
        if (Files.readString(data.resolve("pg_hba.conf")).contains(" trust")) {
          requireAuthentication(bin, dir, data, port, admin);
        }
        provision(bin, dir, port, admin, database, password);
        provisionServiceRoles(bin, dir, port, admin, database);
      } catch (RuntimeException e) {
        process.stop(Duration.ofSeconds(30));
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cluster superuser's password: generated once, kept in the cluster's folder, readable by this user only. */
  private static String adminPassword(Path dir) throws IOException {
    return storedPassword(dir.resolve("admin.password"));
  }

  /** A password generated once and kept in {@code file}, readable by this user only. */
  private static String storedPassword(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, Secrets.generate());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    return Files.readString(file).strip();
  }

  private static void initdb(Path bin, Path dir, Path data, String admin) throws IOException {
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    Path pwfile = dir.resolve("initdb.password");
    Files.writeString(pwfile, admin + "\n");
    Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
    try {
      if (isRoot()) {
        run(List.of("chown", "-R", "postgres:postgres", data.toString(), pwfile.toString()),
            dir.resolve("chown.log"));
      }
      run(asServiceUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "--username=" + ADMIN,
          "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8")),
          dir.resolve("initdb.log"));
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  /**
   * A cluster made with trust authentication (and {@value #USER} as its superuser): its superuser is created with a
   * password through the still-trusted service role, then every connection must authenticate.
   */
  private static void requireAuthentication(Path bin, Path dir, Path data, int port, String admin)
      throws IOException {
    psql(bin, dir, port, USER, "", "postgres", String.join("\n",
        "DO $$ BEGIN",
        "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ADMIN + "') THEN",
        "    CREATE ROLE " + ADMIN + " SUPERUSER LOGIN;",
        "  END IF;",
        "END $$;",
        "ALTER ROLE " + ADMIN + " PASSWORD '" + literal(admin) + "';"));
    Path hba = data.resolve("pg_hba.conf");
    Files.writeString(hba, Files.readString(hba).replace(" trust", " scram-sha-256"));
    psql(bin, dir, port, ADMIN, admin, "postgres", "SELECT pg_reload_conf();");
  }

  /** The service's role, not a superuser, with this password, owning its database. */
  private static void provision(Path bin, Path dir, int port, String admin, String database, String password) {
    psql(bin, dir, port, ADMIN, admin, "postgres", String.join("\n",
        "DO $$ BEGIN",
        "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN",
        "    CREATE ROLE " + USER + " LOGIN;",
        "  END IF;",
        "END $$;",
        "ALTER ROLE " + USER + " NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS LOGIN PASSWORD '"
            + literal(password) + "';",
        "SELECT 'CREATE DATABASE " + literal(database) + " OWNER " + USER + "' WHERE NOT EXISTS "
            + "(SELECT FROM pg_database WHERE datname = '" + literal(database) + "')\\gexec",
        "ALTER DATABASE \"" + database.replace("\"", "\"\"") + "\" OWNER TO " + USER + ";"));
  }

  /**
   * The services' login roles: no superuser, no role or database creation, not inheriting, their passwords set on
   * every start; what they may read and write is granted by the migrations' owner. What PostgreSQL gives every role
   * by default is taken back where a service has no use for it: temporary tables, objects in schema public, large
   * objects, and connecting to the cluster's other databases.
   */
  private void provisionServiceRoles(Path bin, Path dir, int port, String admin, String database)
      throws IOException {
    String quoted = "\"" + database.replace("\"", "\"\"") + "\"";
    List<String> sql = new ArrayList<>();
    for (ServiceRole role : ServiceRole.values()) {
      sql.addAll(List.of(
          "DO $$ BEGIN",
          "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role.roleName() + "') THEN",
          "    CREATE ROLE " + role.roleName() + " LOGIN;",
          "  END IF;",
          "END $$;",
          "ALTER ROLE " + role.roleName() + " NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
              + "NOINHERIT LOGIN PASSWORD '" + literal(password(role)) + "';"));
    }
    sql.addAll(List.of(
        "REVOKE TEMPORARY ON DATABASE " + quoted + " FROM PUBLIC;",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        "REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea) FROM PUBLIC;",
        "REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;",
        "REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;",
        "GRANT CONNECT ON DATABASE " + quoted + " TO " + String.join(", ",
            Stream.of(ServiceRole.values()).map(ServiceRole::roleName).toList()) + ";"));
    psql(bin, dir, port, ADMIN, admin, database, String.join("\n", sql));
  }

  /**
   * Runs SQL with psql from a file readable by this user only (it may hold a password, which has no place on a
   * command line), the password in psql's environment.
   */
  private static void psql(Path bin, Path dir, int port, String user, String password, String database,
      String sql) {
    Path script = dir.resolve("setup-" + UUID.randomUUID() + ".sql");
    try {
      Files.writeString(script, sql + "\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
      awaitSuccess(ChildProcess.start("psql", List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p",
          Integer.toString(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-f",
          script.toString()), Map.of("PGPASSWORD", password), dir.resolve("psql.log"), "TERM"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(script);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A value inside a single-quoted SQL literal. */
  private static String literal(String value) {
    return value.replace("'", "''");
  }

  private static boolean isReady(Path bin, int port) {
    try {
      Process probe = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p",
          Integer.toString(port)).start();
      return probe.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(List<String> command, Path log) {
    awaitSuccess(ChildProcess.start(command.get(0), command, Map.of(), log, "TERM"));
  }

  private static void awaitSuccess(ChildProcess child) {
    try {
      if (!child.awaitExit(Duration.ofSeconds(120)) || child.exitCode() != 0) {
        throw new IllegalStateException(child.name() + " failed:\n" + child.tail(20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command as the postgres user when we are root ({@code setpriv} execs, so the pid is the server's). */
  private static List<String> asServiceUser(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
        "--init-groups", "--reset-env", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The newest installed PostgreSQL's bin directory, or {@code AUDIT_PG_BIN}. */
  static Path binDirectory() {
    String configured = System.getenv("AUDIT_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: run "
              + "infra/bin/install-deps"));
    } catch (IOException e) {
      throw new IllegalStateException("no PostgreSQL installed: run infra/bin/install-deps", e);
    }
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of this server's database, over loopback. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database();
  }

  public String database() {
    return database;
  }

  /** The service role's password. */
  public String password() {
    return password;
  }

  /** The cluster superuser's password. */
  public String adminPassword() {
    try {
      return adminPassword(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The password of a service's login role (generated on the cluster's first start with it, then kept). */
  public String password(ServiceRole role) {
    try {
      return storedPassword(dir.resolve(role.roleName() + ".password"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
  }
}
