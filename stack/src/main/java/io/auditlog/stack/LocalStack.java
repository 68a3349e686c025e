package io.auditlog.stack;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.ChildProcess;
import io.auditlog.infra.Ports;
import io.auditlog.infra.PostgresServer;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.infra.Readiness;
import io.auditlog.infra.ServiceRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The start command: Kafka, PostgreSQL and InfluxDB, then the query-service, the ingest worker(s) and the gateway,
 * each a child process on loopback, each waited for until healthy. Stays in the foreground and supervises them: one
 * that exits is started again ({@link Supervisor}); when one fails again and again before it ever ran stably, the
 * launcher stops everything and exits 1. On SIGTERM or Ctrl-C it stops everything it started, by process id, in reverse order (the gateway
 * first, the stores last).
 */
public final class LocalStack implements AutoCloseable {

  private final BackingServices backing;
  private final List<ServiceProcess> services = new ArrayList<>();
  private final Supervisor supervisor = new Supervisor(Supervisor.Policy.DEFAULT,
      line -> System.err.println("start: " + line));
  private final StackConfig config;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Set<Path> jarsCopied = new HashSet<>();

  private LocalStack(BackingServices backing, StackConfig config) {
    this.backing = backing;
    this.config = config;
  }

  public static void main(String[] args) throws InterruptedException {
    ProjectLayout layout = ProjectLayout.locate();
    StackConfig config;
    try {
      config = StackConfig.from(System.getenv(), layout.root());
    } catch (IllegalArgumentException e) {
      System.err.println("start: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (Ports.isOpen(config.publicPort())) {
      System.err.println("start: port " + config.publicPort() + " is already in use; set AUDIT_PORT to another port");
      System.exit(2);
    }
    LocalStack stack;
    try {
      stack = start(layout, config);
    } catch (RuntimeException e) {
      System.err.println("start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-local-stack"));
    stack.printBanner();
    String reason = stack.supervisor.gaveUp().join();
    System.err.println("start: " + reason + "; stopping everything");
    System.exit(1);
  }

  /** Starts everything; the caller owns the stack and must close it. */
  public static LocalStack start(ProjectLayout layout, StackConfig config) {
    if (Files.exists(config.stateDir().resolve("kafka/data/meta.properties"))
        && !StackSecrets.stored(config.stateDir(), StackSecrets.KAFKA_NODE)) {
      throw new IllegalStateException(config.stateDir().resolve("kafka") + " was created without Kafka users "
          + "(before SASL/SCRAM); let the workers drain it, then remove that folder and start again");
    }
    Map<String, String> secrets = StackSecrets.loadOrCreate(config.stateDir(), System.getenv());
    System.out.println("starting Kafka, PostgreSQL and InfluxDB under " + config.stateDir() + " ...");
    BackingServices backing = BackingServices.start(config.stateDir(), new BackingServices.PortPlan(
        config.kafkaPort(), 0, config.postgresPort(), config.influxPort(), 0, 0), 12, true,
        StackSecrets.kafkaUsers(secrets), StackSecrets.influx(secrets), secrets.get(StackSecrets.PG_PASSWORD));
    LocalStack stack = new LocalStack(backing, config);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-on-failed-start"));
    try {
      stack.startServices(layout, secrets);
      stack.superviseAll();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startServices(ProjectLayout layout, Map<String, String> secrets) {
    PostgresServer postgres = backing.postgres();
    SchemaOwner.migrate(SchemaOwner.MIGRATING.stream().map(m -> copied(layout.serviceJar(m))).toList(), postgres,
        config.stateDir().resolve("logs"));
    String kafka = backing.kafka().bootstrapServers();
    String influx = backing.influx().url();
    int queryPort = Ports.orFree(config.queryPort());
    Map<String, String> query = new HashMap<>(Map.of(
        "AUDIT_QUERY_HOST", "127.0.0.1",
        "AUDIT_QUERY_PORT", Integer.toString(queryPort),
        "AUDIT_INFLUX_URL", influx,
        "AUDIT_INFLUX_TENANT_SECRET", secrets.get("AUDIT_INFLUX_TENANT_SECRET"),
        "AUDIT_INTERNAL_SECRET", secrets.get("AUDIT_INTERNAL_SECRET")));
    query.putAll(Map.of(
        "AUDIT_TLOG", config.history() ? "on" : "off",
        "AUDIT_RETENTION", config.retention()));
    query.putAll(SchemaOwner.loginOf(postgres, ServiceRole.QUERY));
    start(layout, "query-service", "256m", query, queryPort, "/health");
    for (int i = 1; i <= config.workers(); i++) {
      int workerPort = i == 1 ? Ports.orFree(config.workerPort()) : Ports.free();
      Map<String, String> worker = new HashMap<>(Map.of(
          "AUDIT_WORKER_HOST", "127.0.0.1",
          "AUDIT_WORKER_PORT", Integer.toString(workerPort),
          "AUDIT_KAFKA_BOOTSTRAP", kafka,
          "AUDIT_KAFKA_PASSWORD", secrets.get(StackSecrets.KAFKA_WORKER),
          "AUDIT_INFLUX_URL", influx,
          "AUDIT_INFLUX_WRITER_PASSWORD", secrets.get("AUDIT_INFLUX_WRITER_PASSWORD")));
      worker.putAll(SchemaOwner.loginOf(postgres, ServiceRole.WORKER));
      worker.putAll(Map.of(
          "AUDIT_TLOG", config.history() ? "on" : "off",
          "AUDIT_TLOG_SECRET", secrets.get(StackSecrets.TLOG_SECRET),
          "AUDIT_PUBLIC_HOST", config.publicHost()));
      start(layout, "ingest-worker", config.workerHeapMib() + "m", worker, workerPort, "/health");
    }
    Map<String, String> gateway = new HashMap<>();
    for (String name : StackSecrets.GATEWAY_NAMES) {
      gateway.put(name, secrets.get(name));
    }
    gateway.put("AUDIT_KAFKA_PASSWORD", secrets.get(StackSecrets.KAFKA_GATEWAY));
    gateway.put("AUDIT_KAFKA_ADMIN_PASSWORD", secrets.get(StackSecrets.KAFKA_OPERATOR));
    gateway.put("AUDIT_KAFKA_PRODUCER_BOOTSTRAP", backing.kafka().producerBootstrapServers());
    gateway.putAll(Map.of(
        "AUDIT_HOST", config.host(),
        "AUDIT_PORT", Integer.toString(config.publicPort()),
        "AUDIT_KAFKA_BOOTSTRAP", kafka,
        "AUDIT_INFLUX_URL", influx,
        "AUDIT_QUERY_URL", "http://127.0.0.1:" + queryPort,
        "AUDIT_ADMIN_PASSWORD", config.adminPassword(),
        "AUDIT_ADMIN_EMAIL", config.adminEmail(),
        "AUDIT_MAIL_MODE", config.mailMode()));
    gateway.put("AUDIT_KAFKA_COMPRESSION", config.kafkaCompression());
    gateway.put("AUDIT_MAIL_MAX_PER_ADDRESS", Integer.toString(config.mailMaxPerAddress()));
    if (config.loopbackOnly()) {
      // Reachable from this machine only: dev mail and the documented default password are the local stack's ease.
      // On any other address the gateway's own refusals apply.
      gateway.put("AUDIT_ALLOW_DEV_MAIL", "true");
      gateway.put("AUDIT_ALLOW_WEAK_ADMIN_PASSWORD", "true");
    }
    gateway.putAll(SchemaOwner.loginOf(postgres, ServiceRole.GATEWAY));
    int metricsPort = Ports.orFree(config.metricsPort());
    gateway.put("AUDIT_METRICS_PORT", Integer.toString(metricsPort));
    addresses.put("gateway metrics", "http://127.0.0.1:" + metricsPort + "/metrics");
    ServiceProcess started = start(layout, "gateway", "512m", gateway, config.publicPort(), "/openapi.json");
    Readiness.await(started.process(), Duration.ofSeconds(60),
        () -> Readiness.answers(started.url() + "/health", 200));
  }

  private void superviseAll() {
    List.of(backing.kafka(), backing.postgres(), backing.influx()).forEach(supervisor::watch);
    services.forEach(supervisor::watch);
  }

  private ServiceProcess start(ProjectLayout layout, String module, String heap, Map<String, String> env, int port,
      String readyPath) {
    String name = module + (module.equals("ingest-worker") ? "-" + (countOf(module) + 1) : "");
    List<String> command = new ArrayList<>(List.of(ProjectLayout.javaBinary(), "-Xms64m", "-Xmx" + heap));
    if (!module.equals("ingest-worker")) {
      // The worker survives a poll that runs out of heap on one record, and halts on any other error itself.
      command.add("-XX:+ExitOnOutOfMemoryError");
    }
    config.javaOptions().forEach(option -> command.add(option.replace("{service}", name)));
    command.addAll(List.of("-jar", copied(layout.serviceJar(module)).toString()));
    ServiceProcess service = ServiceProcess.start(name, command, env,
        config.stateDir().resolve("logs").resolve(name + ".log"), port, readyPath);
    services.add(service);
    addresses.put(name, service.url() + " (pid " + service.process().pid() + ")");
    return service;
  }

  /**
   * The service's jar, copied into the state folder once per start: a build that rewrites the jar in the project
   * while the stack runs must not change the classes of a running service, or of one its supervisor restarts.
   */
  private Path copied(Path jar) {
    Path copy = config.stateDir().resolve("jars").resolve(jar.getFileName());
    try {
      if (jarsCopied.add(copy)) {
        Files.createDirectories(copy.getParent());
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + jar + " into " + copy.getParent(), e);
    }
  }

  private long countOf(String module) {
    return services.stream().filter(s -> s.name().startsWith(module)).count();
  }

  /** The stores under the stack, for tools that load data straight into them. */
  public BackingServices backing() {
    return backing;
  }

  /** The services' current processes, named {@code gateway}, {@code query-service}, {@code ingest-worker-1}, .... */
  public List<ChildProcess> services() {
    return services.stream().map(ServiceProcess::process).toList();
  }

  /** The address of one service, e.g. {@code ingest-worker-1} for its {@code /metrics}. */
  public String url(String service) {
    return services.stream().filter(s -> s.name().equals(service)).map(ServiceProcess::url).findFirst()
        .orElse(null);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + config.publicPort();
  }

  private void printBanner() {
    System.out.println();
    System.out.println("audit log service: http://127.0.0.1:" + config.publicPort()
        + "   (admin / AUDIT_ADMIN_PASSWORD, mail mode " + config.mailMode() + ")");
    addresses.forEach((name, address) -> System.out.println("  " + name + ": " + address));
    System.out.println("  kafka: producers " + backing.kafka().producerBootstrapServers() + ", services "
        + backing.kafka().bootstrapServers() + " (SASL/SCRAM-SHA-512; pid " + backing.kafka().pid() + ")");
    System.out.println("  postgres: 127.0.0.1:" + backing.postgres().port() + " (pid " + backing.postgres().pid()
        + ")");
    System.out.println("  influxdb: " + backing.influx().url() + " (pid " + backing.influx().pid() + ")");
    System.out.println("  logs: " + config.stateDir().resolve("logs"));
    System.out.println("ready. Ctrl-C or SIGTERM stops everything.");
    System.out.flush();
  }

  /** Stops the services newest first, then the stores. Safe to call twice. */
  @Override
  public synchronized void close() {
    supervisor.close();
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).process().stop(Duration.ofSeconds(30));
    }
    services.clear();
    backing.close();
  }
}
