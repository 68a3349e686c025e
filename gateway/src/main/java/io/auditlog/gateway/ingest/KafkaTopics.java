package io.auditlog.gateway.ingest;

import io.auditlog.model.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
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

  public Future<Void> ensure(String topic, int partitions) {
    List<Future<Void>> created = java.util.stream.Stream.of(topic, Topics.INGRESS, Topics.DEAD_LETTERS)
        .map(name -> adapt(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all())
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
