package io.auditlog.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.nio.ByteBuffer;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one JVM), run from the jars of
 * infra/kafka-runtime, listening on 127.0.0.1 only. Its data survives restarts in {@code dir}.
 */
public final class KafkaBroker implements AutoCloseable {

  private final ChildProcess process;
  private final int port;

  private KafkaBroker(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static KafkaBroker start(Path dir, int port, int controllerPort, int partitions, Path kafkaLib) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("server.properties");
      Files.writeString(config, properties(dir, port, controllerPort, partitions));
      Path logging = dir.resolve("logback.xml");
      Files.writeString(logging, LOGBACK);
      String classpath = kafkaLib.toAbsolutePath() + "/*";
      if (!Files.exists(dir.resolve("data/meta.properties"))) {
        format(dir, config, classpath, logging);
      }
      ChildProcess process = ChildProcess.start("kafka", List.of(ProjectLayout.javaBinary(), "-Xms256m", "-Xmx512m",
          "-Dlogback.configurationFile=" + logging, "-cp", classpath, "kafka.Kafka", config.toString()),
          Map.of(), dir.resolve("kafka.log"), "TERM");
      Readiness.await(process, Duration.ofSeconds(60), () -> Ports.isOpen(port));
      return new KafkaBroker(process, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void format(Path dir, Path config, String classpath, Path logging) {
    ChildProcess format = ChildProcess.start("kafka-storage-format", List.of(ProjectLayout.javaBinary(), "-Xmx256m",
        "-Dlogback.configurationFile=" + logging, "-cp", classpath, "kafka.tools.StorageTool", "format",
        "--cluster-id=" + clusterId(), "--config=" + config), Map.of(), dir.resolve("format.log"), "TERM");
    try {
      if (!format.awaitExit(Duration.ofSeconds(60)) || !Files.exists(dir.resolve("data/meta.properties"))) {
        throw new IllegalStateException("formatting Kafka storage failed:\n" + format.tail(20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      format.close();
    }
  }

  /**
   * A random cluster id in Kafka's form: 16 bytes, URL-safe base64 without padding, never starting with '-' (which a
   * command line would take for an option).
   */
  static String clusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
          .putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (id.charAt(0) != '-') {
        return id;
      }
    }
  }

  private static String properties(Path dir, int port, int controllerPort, int partitions) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.toAbsolutePath().resolve("data"),
        "num.partitions=" + partitions,
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=10",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "min.insync.replicas=1",
        "group.initial.rebalance.delay.ms=0",
        "") ;
  }

  private static final String LOGBACK = """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
        </appender>
        <logger name="kafka" level="INFO"/>
        <logger name="org.apache.kafka" level="WARN"/>
        <root level="WARN"><appender-ref ref="OUT"/></root>
      </configuration>
      """;

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
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
