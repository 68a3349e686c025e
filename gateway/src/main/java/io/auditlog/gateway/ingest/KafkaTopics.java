package io.auditlog.gateway.ingest;

import io.auditlog.model.RecordStamper;
import io.auditlog.model.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the events topic, the ingress topic for direct producers and the dead-letter topic when missing, and probes
 * the broker for /health.
 */
public final class KafkaTopics implements AutoCloseable {

  private final Vertx vertx;
  private final Admin admin;

  public KafkaTopics(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
  }

  /**
   * The ingress topic takes the broker's append time as each record's time (when the service received it, whatever
   * the producer's clock says) and has at most {@link RecordStamper#PARTITIONS} partitions.
   */
  public Future<Void> ensure(String topic, int partitions) {
    NewTopic ingress = new NewTopic(Topics.INGRESS, Math.min(partitions, RecordStamper.PARTITIONS), (short) 1)
        .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
    List<Future<Void>> created = Stream.of(new NewTopic(topic, partitions, (short) 1), ingress,
            new NewTopic(Topics.DEAD_LETTERS, partitions, (short) 1))
        .map(newTopic -> adapt(admin.createTopics(List.of(newTopic)).all())
            .recover(e -> rootCause(e) instanceof TopicExistsException ? Future.succeededFuture()
                : Future.failedFuture(e)))
        .toList();
    return Future.all(created).mapEmpty();
  }

  public Future<Void> ping() {
    return adapt(admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes())
        .compose(nodes -> nodes.isEmpty() ? Future.failedFuture("no broker") : Future.succeededFuture());
  }

  private <T> Future<T> adapt(KafkaFuture<T> future) {
    Context context = vertx.getOrCreateContext();
    return Future.fromCompletionStage(future.toCompletionStage(), context);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public void close() {
    admin.close();
  }
}
