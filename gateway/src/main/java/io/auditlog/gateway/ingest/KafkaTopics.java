package io.auditlog.gateway.ingest;

import io.auditlog.model.RecordStamper;
import io.auditlog.model.Topics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the events topic, the ingress topic for direct producers and the dead-letter topic when missing (with the
 * admin credential: creating topics is provisioning, not the gateway's own right), and probes the broker for /health.
 */
public final class KafkaTopics {

  private final KafkaAdmin admin;

  public KafkaTopics(KafkaAdmin admin) {
    this.admin = admin;
  }

  /**
   * The ingress topic takes the broker's append time as each record's time (when the service received it, whatever
   * the producer's clock says) and has at most {@link RecordStamper#PARTITIONS} partitions.
   */
  public Future<Void> ensure(String topic, int partitions) {
    NewTopic ingress = new NewTopic(Topics.INGRESS, Math.min(partitions, RecordStamper.PARTITIONS), (short) 1)
        .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
    // A dead letter is a record of another topic plus headers: the topic takes twice what a producer may send.
    NewTopic deadLetters = new NewTopic(Topics.DEAD_LETTERS, partitions, (short) 1)
        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(Topics.DEAD_LETTER_MAX_BYTES)));
    List<Future<Void>> created = Stream.of(new NewTopic(topic, partitions, (short) 1), ingress, deadLetters)
        .map(newTopic -> admin.call(a -> a.createTopics(List.of(newTopic)).all())
            .recover(e -> KafkaAdmin.rootCause(e) instanceof TopicExistsException ? Future.succeededFuture()
                : Future.failedFuture(e)))
        .toList();
    return Future.all(created).mapEmpty();
  }

  public Future<Void> ping() {
    return admin.call(a -> a.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes())
        .compose(nodes -> nodes.isEmpty() ? Future.failedFuture("no broker") : Future.succeededFuture());
  }
}
