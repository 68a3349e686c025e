package io.auditlog.worker;

import io.auditlog.model.Topics;
import io.auditlog.web.Settings;
import java.time.Duration;

/** The ingest worker's configuration, read once from the environment (table in ingest-worker/README.md). */
public record WorkerConfig(
    String host,
    int port,
    String kafkaBootstrap,
    String topic,
    String deadLetterTopic,
    String groupId,
    String influxUrl,
    int batchSize,
    Duration batchLinger,
    Duration influxTimeout,
    Duration maxBackoff,
    Duration sessionTimeout) {

  public static WorkerConfig from(Settings s) {
    return new WorkerConfig(
        s.text("AUDIT_WORKER_HOST", "127.0.0.1"),
        s.port("AUDIT_WORKER_PORT", 8082),
        s.text("AUDIT_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        s.text("AUDIT_TOPIC", Topics.EVENTS),
        s.text("AUDIT_DLQ_TOPIC", Topics.DEAD_LETTERS),
        s.text("AUDIT_GROUP_ID", "auditlog-ingest"),
        s.text("AUDIT_INFLUX_URL", "http://127.0.0.1:8086"),
        s.integer("AUDIT_BATCH_SIZE", 5000, 1, 100_000),
        s.duration("AUDIT_BATCH_LINGER", Duration.ofMillis(200)),
        s.duration("AUDIT_INFLUX_TIMEOUT", Duration.ofSeconds(10)),
        s.duration("AUDIT_MAX_BACKOFF", Duration.ofSeconds(5)),
        s.duration("AUDIT_KAFKA_SESSION_TIMEOUT", Duration.ofSeconds(10)));
  }
}
