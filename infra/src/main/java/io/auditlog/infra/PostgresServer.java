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
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from the machine's PostgreSQL binaries: created with {@code initdb} on first start,
 * listening on 127.0.0.1 only (no Unix socket), trust authentication for loopback, one database for the service.
 * Run as the {@code postgres} user when this process is root, since PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "auditlog";

  private final ChildProcess process;
  private final int port;
  private final String database;

  private PostgresServer(ChildProcess process, int port, String database) {
    this.process = process;
    this.port = port;
    this.database = database;
  }

  /**
   * Starts the cluster in {@code dir}, creating it if needed, and creates {@code database} if it is missing.
   *
   * @param durable false turns fsync off (for tests); the local stack keeps it on
   */
  public static PostgresServer start(Path dir, int port, String database, boolean durable) {
    Path bin = binDirectory();
    Path data = dir.resolve("data");
    try {
      if (!Files.exists(data.resolve("PG_VERSION"))) {
        initdb(bin, dir, data);
      }
      List<String> command = asServiceUser(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
          "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
          "-c", "fsync=" + (durable ? "on" : "off"), "-c", "max_connections=200"));
      ChildProcess process = ChildProcess.start("postgres", command, Map.of(), dir.resolve("postgres.log"), "INT");
      Readiness.await(process, Duration.ofSeconds(60), () -> isReady(bin, port));
      createDatabase(bin, dir, port, database);
      return new PostgresServer(process, port, database);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void initdb(Path bin, Path dir, Path data) throws IOException {
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    if (isRoot()) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()), dir.resolve("chown.log"));
    }
    run(asServiceUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "--username=" + USER,
        "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")), dir.resolve("initdb.log"));
  }

  private static void createDatabase(Path bin, Path dir, int port, String database) {
    ChildProcess createdb = ChildProcess.start("createdb", List.of(bin.resolve("createdb").toString(),
        "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, database), Map.of(),
        dir.resolve("createdb.log"), "TERM");
    try {
      boolean exited = createdb.awaitExit(Duration.ofSeconds(60));
      if (!exited || createdb.exitCode() != 0 && !createdb.tail(1).contains("already exists")) {
        throw new IllegalStateException("createdb failed:\n" + createdb.tail(20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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

  public String database() {
    return database;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
  }
}
