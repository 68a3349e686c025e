package io.auditlog.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The start command's settings, from the environment. Ports of the backing services and internal services default
 * to 0: a free port chosen at start and printed. The table is in the README.
 */
public record StackConfig(
    Path stateDir,
    String host,
    int publicPort,
    int kafkaPort,
    int postgresPort,
    int influxPort,
    int queryPort,
    int workerPort,
    int metricsPort,
    int workers,
    int workerHeapMib,
    String adminPassword,
    String adminEmail,
    String mailMode,
    String kafkaCompression,
    int mailMaxPerAddress,
    boolean history,
    String publicHost,
    String retention,
    List<String> javaOptions) {

  public static StackConfig from(Map<String, String> env, Path projectRoot) {
    return new StackConfig(
        Path.of(value(env, "AUDIT_STATE_DIR", projectRoot.resolve(".state").toString())).toAbsolutePath(),
        value(env, "AUDIT_HOST", "127.0.0.1"),
        port(env, "AUDIT_PORT", 8000),
        port(env, "AUDIT_KAFKA_PORT", 0),
        port(env, "AUDIT_PG_PORT", 0),
        port(env, "AUDIT_INFLUX_PORT", 0),
        port(env, "AUDIT_QUERY_PORT", 0),
        port(env, "AUDIT_WORKER_PORT", 0),
        port(env, "AUDIT_METRICS_PORT", 0),
        number(env, "AUDIT_WORKERS", 1, 1, 16),
        number(env, "AUDIT_WORKER_HEAP_MB", 384, 128, 65_536),
        value(env, "AUDIT_ADMIN_PASSWORD", "Admin@12345"),
        value(env, "AUDIT_ADMIN_EMAIL", "admin@example.com"),
        value(env, "AUDIT_MAIL_MODE", "dev"),
        value(env, "AUDIT_KAFKA_COMPRESSION", "none"),
        number(env, "AUDIT_MAIL_MAX_PER_ADDRESS", 20, 1, 1_000_000),
        !value(env, "AUDIT_TLOG", "on").equalsIgnoreCase("off"),
        value(env, "AUDIT_PUBLIC_HOST", value(env, "AUDIT_HOST", "127.0.0.1") + ":" + port(env, "AUDIT_PORT", 8000)),
        value(env, "AUDIT_RETENTION", "0s"),
        List.of(value(env, "AUDIT_JAVA_OPTS", "").split("\\s+")).stream().filter(o -> !o.isEmpty()).toList());
  }

  /** True when the gateway listens on a loopback address only. */
  public boolean loopbackOnly() {
    return List.of("127.0.0.1", "localhost", "::1").contains(host) || host.startsWith("127.");
  }

  private static String value(Map<String, String> env, String name, String defaultValue) {
    String value = env.get(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  private static int port(Map<String, String> env, String name, int defaultValue) {
    return number(env, name, defaultValue, 0, 65535);
  }

  private static int number(Map<String, String> env, String name, int defaultValue, int min, int max) {
    String value = value(env, name, Integer.toString(defaultValue));
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + "=" + value + " is not valid: expected " + min + " to " + max);
  }
}
