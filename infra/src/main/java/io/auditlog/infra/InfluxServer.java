package io.auditlog.infra;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.InfluxCredential;
import io.auditlog.model.Json;
import io.auditlog.store.InfluxProvisioning;
import io.auditlog.store.Statement;
import io.auditlog.store.StoreAnswer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * InfluxDB 1.x ({@code influxd} from the machine's packages) with a generated config that binds HTTP and RPC to
 * 127.0.0.1 on the given ports, disables every other listener and usage reporting, keeps meta, data and WAL under
 * {@code dir}, and requires authentication. The admin user is created on first start through InfluxDB's bootstrap
 * window (with authentication on and no user yet, it accepts {@code CREATE USER ... WITH ALL PRIVILEGES}); on later
 * starts the same statement, sent as that admin, checks the password.
 */
public final class InfluxServer implements Restartable, AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private volatile ChildProcess process;
  private final Path dir;
  private final int port;
  private final int rpcPort;
  private final InfluxCredential admin;

  private InfluxServer(Path dir, int port, int rpcPort, InfluxCredential admin) {
    this.dir = dir;
    this.port = port;
    this.rpcPort = rpcPort;
    this.admin = admin;
  }

  public static InfluxServer start(Path dir, int port, int rpcPort, InfluxCredential admin) {
    InfluxServer server = new InfluxServer(dir, port, rpcPort, admin);
    server.startAgain();
    return server;
  }

  @Override
  public String name() {
    return "influxdb";
  }

  @Override
  public ChildProcess process() {
    return process;
  }

  /** Starts {@code influxd} on this server's folder and ports, and checks (or on first start creates) the admin. */
  @Override
  public void startAgain() {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("influxdb.conf");
      Files.writeString(config, config(dir.toAbsolutePath(), port, rpcPort));
      process = ChildProcess.start("influxdb", List.of(binary(), "run", "-config", config.toString()),
          Map.of(), dir.resolve("influxdb.log"), "TERM");
      Readiness.await(process, Duration.ofSeconds(60),
          () -> Readiness.answers("http://127.0.0.1:" + port + "/ping", 204));
      try {
        execute(InfluxProvisioning.admin(admin));
      } catch (RuntimeException e) {
        close();
        throw new IllegalStateException("InfluxDB in " + dir + " does not accept its admin user " + admin.user()
            + " (another password set before?): " + e.getMessage());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String binary() {
    String configured = System.getenv("AUDIT_INFLUXD");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String candidate : List.of("/usr/bin/influxd", "/usr/local/bin/influxd")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("influxd is not installed: run infra/bin/install-deps");
  }

  private static String config(Path dir, int port, int rpcPort) {
    return """
        reporting-disabled = true
        bind-address = "127.0.0.1:%2$d"

        [meta]
          dir = "%1$s/meta"

        [data]
          dir = "%1$s/data"
          wal-dir = "%1$s/wal"
          index-version = "tsi1"
          query-log-enabled = false
          cache-max-memory-size = "512m"

        [monitor]
          store-enabled = false

        [http]
          enabled = true
          auth-enabled = true
          pprof-enabled = false
          bind-address = "127.0.0.1:%3$d"
          log-enabled = false
          max-body-size = 0
          max-row-limit = 0

        [ifql]
          enabled = false

        [subscriber]
          enabled = false

        [continuous_queries]
          enabled = false

        [logging]
          level = "warn"
        """.formatted(dir, rpcPort, port);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The admin user: for provisioning, and for tests, which read and write as an operator would. */
  public InfluxCredential admin() {
    return admin;
  }

  /**
   * Runs InfluxQL statements as the admin (POST {@code /query}), in the given database or none when empty; fails
   * with InfluxDB's error. Blocking: for tools and tests.
   */
  public JsonNode query(String database, String statements) {
    return send(database, "q=" + URLEncoder.encode(statements, StandardCharsets.UTF_8));
  }

  /** Runs a built statement (its values bound) as the admin, outside any database. */
  public JsonNode execute(Statement statement) {
    return query("", statement);
  }

  /** Runs a built statement (its values bound) as the admin in a database. */
  public JsonNode query(String database, Statement statement) {
    return send(database, "q=" + URLEncoder.encode(statement.text(), StandardCharsets.UTF_8) + "&params="
        + URLEncoder.encode(statement.paramsJson(), StandardCharsets.UTF_8));
  }

  private JsonNode send(String database, String form) {
    String uri = url() + "/query?epoch=ns&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    try {
      // The statements travel in the body: some hold passwords, which have no place in a URL.
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri))
          .header("Authorization", admin.basicAuthorization()).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form))
          .build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer = Json.MAPPER.readTree(response.body());
      StoreAnswer.firstError(answer).ifPresent(error -> {
        throw new IllegalStateException("InfluxDB " + response.statusCode() + ": " + error);
      });
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@link #query} outside any database. */
  public JsonNode execute(String statements) {
    return query("", statements);
  }

  /** Provisions a tenant (database, users, grants) as the gateway does, for tools and tests that skip the gateway. */
  public void provision(InfluxProvisioning provisioning, String tenant) {
    JsonNode users = execute(InfluxProvisioning.SHOW_USERS.statement()).path("results").path(0);
    execute(provisioning.statements(tenant, InfluxProvisioning.users(users)));
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
  }
}
