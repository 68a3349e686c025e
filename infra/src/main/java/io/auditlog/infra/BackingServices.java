package io.auditlog.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Kafka, PostgreSQL and InfluxDB started together (in parallel) under one state folder, stopped together in
 * reverse order. {@link #forTests()} is the JVM-wide instance integration tests share.
 */
public final class BackingServices implements AutoCloseable {

  private static BackingServices shared;

  private final KafkaBroker kafka;
  private final PostgresServer postgres;
  private final InfluxServer influx;
  private final InfluxAccess influxAccess;

  private BackingServices(KafkaBroker kafka, PostgresServer postgres, InfluxServer influx, InfluxAccess influxAccess) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.influx = influx;
    this.influxAccess = influxAccess;
  }

  /**
   * Port numbers for the three services; 0 picks a free port. {@code kafka} is the direct producers' listener,
   * {@code kafkaInternal} the services' one.
   */
  public record PortPlan(int kafka, int kafkaController, int postgres, int influx, int influxRpc, int kafkaInternal) {

    public static PortPlan allFree() {
      return new PortPlan(0, 0, 0, 0, 0, 0);
    }
  }

  /**
   * Starts the three stores; Kafka with SASL/SCRAM and ACLs, its node and operator users from {@code kafkaUsers},
   * then the services' users and ACLs provisioned by the operator.
   */
  public static BackingServices start(Path stateDir, PortPlan ports, int partitions, boolean durable,
      KafkaUsers kafkaUsers, InfluxAccess influxAccess, String postgresPassword) {
    Path kafkaLib = ProjectLayout.locate().kafkaLib();
    int[] chosen = Ports.resolve(ports.kafka(), ports.kafkaController(), ports.postgres(), ports.influx(),
        ports.influxRpc(), ports.kafkaInternal());
    CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> onPorts(
        new int[] {ports.kafka(), ports.kafkaInternal(), ports.kafkaController()},
        new int[] {chosen[0], chosen[5], chosen[1]}, p -> {
          KafkaBroker broker = KafkaBroker.start(stateDir.resolve("kafka"), new KafkaBroker.Listeners(p[0], p[1],
              p[2]), partitions, kafkaLib, kafkaUsers);
          try {
            KafkaProvisioning.provisionServices(broker, kafkaUsers);
          } catch (RuntimeException e) {
            broker.close();
            throw e;
          }
          return broker;
        }));
    CompletableFuture<PostgresServer> postgres = CompletableFuture.supplyAsync(() -> onPorts(
        new int[] {ports.postgres()}, new int[] {chosen[2]},
        p -> PostgresServer.start(stateDir.resolve("postgres"), p[0], "auditlog", durable, postgresPassword)));
    CompletableFuture<InfluxServer> influx = CompletableFuture.supplyAsync(() -> onPorts(
        new int[] {ports.influx(), ports.influxRpc()}, new int[] {chosen[3], chosen[4]},
        p -> InfluxServer.start(stateDir.resolve("influxdb"), p[0], p[1], influxAccess.admin())));
    try {
      CompletableFuture.allOf(kafka, postgres, influx).join();
    } catch (CompletionException e) {
      Stream.of(kafka, postgres, influx).forEach(f -> f.thenAccept(BackingServices::closeQuietly));
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    return new BackingServices(kafka.join(), postgres.join(), influx.join(), influxAccess);
  }

  /**
   * Starts a service on {@code chosen}, and once more on other free ports when it could not bind one of them and they
   * were all free choices ({@code requested} 0): another program on the machine may take a free port between its
   * choice and the service's bind. A port that was configured is never changed.
   */
  static <T> T onPorts(int[] requested, int[] chosen, Function<int[], T> start) {
    try {
      return start.apply(chosen);
    } catch (IllegalStateException e) {
      if (!Arrays.stream(requested).allMatch(port -> port == 0)
          || !String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("address already in use")) {
        throw e;
      }
      System.err.println("a port of " + Arrays.toString(chosen) + " was taken meanwhile; starting on others");
      return start.apply(Ports.resolve(requested));
    }
  }

  /**
   * One set of services for every integration test in this JVM, on free ports, with fresh InfluxDB credentials,
   * removed when the JVM exits.
   */
  public static synchronized BackingServices forTests() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("auditlog-test-");
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        BackingServices services;
        try {
          services = start(dir, PortPlan.allFree(), 4, false, KafkaUsers.generate(), InfluxAccess.generate(),
              Secrets.generate());
        } catch (RuntimeException e) {
          deleteTree(dir);
          throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          services.close();
          deleteTree(dir);
        }, "stop-test-services"));
        shared = services;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return shared;
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public InfluxServer influx() {
    return influx;
  }

  /** The InfluxDB credentials the services get: admin, writer, and the tenant credential secret. */
  public InfluxAccess influxAccess() {
    return influxAccess;
  }

  @Override
  public void close() {
    Stream.<AutoCloseable>of(influx, postgres, kafka).forEach(BackingServices::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      System.err.println("could not stop " + closeable + ": " + e);
    }
  }

  public static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
