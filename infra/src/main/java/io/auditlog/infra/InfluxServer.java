package io.auditlog.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * InfluxDB 1.x ({@code influxd} from the machine's packages) with a generated config that binds HTTP and RPC to
 * 127.0.0.1 on the given ports, disables every other listener and usage reporting, and keeps meta, data and WAL
 * under {@code dir}.
 */
public final class InfluxServer implements AutoCloseable {

  private final ChildProcess process;
  private final Path dir;
  private final int port;
  private final int rpcPort;

  private InfluxServer(ChildProcess process, Path dir, int port, int rpcPort) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.rpcPort = rpcPort;
  }

  public static InfluxServer start(Path dir, int port, int rpcPort) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("influxdb.conf");
      Files.writeString(config, config(dir.toAbsolutePath(), port, rpcPort));
      ChildProcess process = ChildProcess.start("influxdb", List.of(binary(), "run", "-config", config.toString()),
          Map.of(), dir.resolve("influxdb.log"), "TERM");
      Readiness.await(process, Duration.ofSeconds(60),
          () -> Readiness.answers("http://127.0.0.1:" + port + "/ping", 204));
      return new InfluxServer(process, dir, port, rpcPort);
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

  /** Starts this server again on the same folder and ports, after {@link #close()}. */
  public InfluxServer restart() {
    return start(dir, port, rpcPort);
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
