package io.auditlog.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import java.nio.ByteBuffer;
import java.nio.file.attribute.PosixFilePermissions;
import io.auditlog.model.KafkaLogin;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one JVM), run from the jars of
 * infra/kafka-runtime, listening on 127.0.0.1 only. Its data survives restarts in {@code dir}.
 *
 * <p>Every listener speaks SASL/SCRAM-SHA-512: {@code PRODUCERS} for direct producers, {@code INTERNAL} for the
 * services and inter-broker traffic, {@code CONTROLLER} for the quorum (a PLAINTEXT controller would run as
 * {@code User:ANONYMOUS}). The StandardAuthorizer denies what no ACL allows; the node's user and the operator are the
 * super users, both created when the storage is formatted. Connections on the producers' listener re-authenticate
 * every {@link #PRODUCER_REAUTH}, so a deleted producer user is cut off within that time.
 */
public final class KafkaBroker implements Restartable, AutoCloseable {

  /** How often a producer's connection must authenticate again (a revoked user fails at the next one). */
  public static final Duration PRODUCER_REAUTH = Duration.ofSeconds(30);

  private volatile ChildProcess process;
  private final Path dir;
  private final Listeners listeners;
  private final int partitions;
  private final Path kafkaLib;
  private final KafkaUsers users;

  /** The ports of the three listeners. */
  public record Listeners(int producers, int internal, int controller) {
  }

  private KafkaBroker(Path dir, Listeners listeners, int partitions, Path kafkaLib, KafkaUsers users) {
    this.dir = dir;
    this.listeners = listeners;
    this.partitions = partitions;
    this.kafkaLib = kafkaLib;
    this.users = users;
  }

  public static KafkaBroker start(Path dir, Listeners listeners, int partitions, Path kafkaLib, KafkaUsers users) {
    KafkaBroker broker = new KafkaBroker(dir, listeners, partitions, kafkaLib, users);
    broker.startAgain();
    return broker;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public ChildProcess process() {
    return process;
  }

  /** Writes the broker's config, formats the storage on first start, and starts the broker on its listeners. */
  @Override
  public void startAgain() {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("server.properties");
      // It holds the node's password: readable by the owner only.
      Files.deleteIfExists(config);
      Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(config, properties(dir, listeners, partitions, users));
      Path logging = dir.resolve("logback.xml");
      Files.writeString(logging, LOGBACK);
      String classpath = kafkaLib.toAbsolutePath() + "/*";
      if (!Files.exists(dir.resolve("data/meta.properties"))) {
        format(dir, config, classpath, logging, users);
      }
      process = ChildProcess.start("kafka", List.of(ProjectLayout.javaBinary(), "-Xms256m", "-Xmx512m",
          "-Dlogback.configurationFile=" + logging, "-cp", classpath, "kafka.Kafka", config.toString()),
          Map.of(), dir.resolve("kafka.log"), "TERM");
      Readiness.await(process, Duration.ofSeconds(60),
          () -> Ports.isOpen(listeners.producers()) && Ports.isOpen(listeners.internal()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Formats the storage with the node's user and the operator as SCRAM users. The tool prints the salted
   * credentials, so its output is deleted afterwards and never shown.
   */
  private static void format(Path dir, Path config, String classpath, Path logging, KafkaUsers users) {
    Path output = dir.resolve("format.log");
    ChildProcess format = ChildProcess.start("kafka-storage-format", List.of(ProjectLayout.javaBinary(), "-Xmx256m",
        "-Dlogback.configurationFile=" + logging, "-cp", classpath, "kafka.tools.StorageTool", "format",
        "--cluster-id=" + clusterId(), "--config=" + config,
        "--add-scram", scram(users.node()), "--add-scram", scram(users.operator())), Map.of(), output, "TERM");
    try {
      if (!format.awaitExit(Duration.ofSeconds(60)) || !Files.exists(dir.resolve("data/meta.properties"))) {
        throw new IllegalStateException("formatting Kafka storage failed:\n" + format.tail(20).lines()
            .filter(line -> !line.toLowerCase(Locale.ROOT).matches(".*(scram|salt).*"))
            .collect(Collectors.joining("\n")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      format.close();
      try {
        Files.deleteIfExists(output);
      } catch (IOException e) {
        System.err.println("could not delete " + output + ": " + e);
      }
    }
  }

  private static String scram(KafkaLogin login) {
    return KafkaLogin.MECHANISM + "=[name=" + login.user() + ",password=" + login.password() + "]";
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

  private static String properties(Path dir, Listeners ports, int partitions, KafkaUsers users) {
    String nodeLogin = KafkaLogin.jaas(KafkaUsers.NODE, users.nodePassword());
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + ports.controller(),
        "listeners=PRODUCERS://127.0.0.1:" + ports.producers() + ",INTERNAL://127.0.0.1:" + ports.internal()
            + ",CONTROLLER://127.0.0.1:" + ports.controller(),
        "advertised.listeners=PRODUCERS://127.0.0.1:" + ports.producers() + ",INTERNAL://127.0.0.1:"
            + ports.internal(),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=INTERNAL",
        "listener.security.protocol.map=PRODUCERS:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms=" + KafkaLogin.MECHANISM,
        "sasl.mechanism.controller.protocol=" + KafkaLogin.MECHANISM,
        "sasl.mechanism.inter.broker.protocol=" + KafkaLogin.MECHANISM,
        "listener.name.controller.scram-sha-512.sasl.jaas.config=" + nodeLogin,
        "listener.name.internal.scram-sha-512.sasl.jaas.config=" + nodeLogin,
        "listener.name.producers.scram-sha-512.sasl.jaas.config="
            + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "listener.name.producers.scram-sha-512.connections.max.reauth.ms=" + PRODUCER_REAUTH.toMillis(),
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found=false",
        "super.users=User:" + KafkaUsers.NODE + ";User:" + KafkaUsers.OPERATOR,
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

  /** The services' listener (SASL_PLAINTEXT): the gateway, the ingest workers and the operator connect here. */
  public String bootstrapServers() {
    return "127.0.0.1:" + listeners.internal();
  }

  /** The direct producers' listener (SASL_PLAINTEXT, re-authenticating every {@link #PRODUCER_REAUTH}). */
  public String producerBootstrapServers() {
    return "127.0.0.1:" + listeners.producers();
  }

  /** Properties for a client of the services' listener logged in as {@code login}. */
  public Map<String, Object> clientProperties(KafkaLogin login) {
    return KafkaProvisioning.clientProperties(bootstrapServers(), login);
  }

  /** Properties for a client of the services' listener logged in as the operator (a super user). */
  public Map<String, Object> operatorProperties() {
    return clientProperties(users.operator());
  }

  public Listeners listeners() {
    return listeners;
  }

  /** The node's, the operator's and the services' SCRAM logins. */
  public KafkaUsers users() {
    return users;
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
