package io.auditlog.gateway.ingest;

import io.auditlog.model.ApiException;
import io.auditlog.model.EventCodec;
import io.auditlog.model.KafkaLogin;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes stamped events to the events topic (key = tenant) with {@code acks=all} and idempotence, and completes
 * only when Kafka has acknowledged every one of them. {@code send} may block while metadata is missing, so it is
 * called on a worker thread; the acknowledgement comes back on the caller's context. Acknowledged events are counted
 * ({@code auditlog_events_accepted_total}) and the producer's own metrics are bound to the service's registry.
 */
public final class EventPublisher implements AutoCloseable {

  private final Vertx vertx;
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final Duration timeout;
  private final EventCodec codec = new EventCodec();
  private final KafkaClientMetrics producerMetrics;
  private final Counter accepted;

  public EventPublisher(Vertx vertx, String bootstrap, KafkaLogin login, String topic, Duration timeout,
      String compression, MeterRegistry registry) {
    this.vertx = vertx;
    this.topic = topic;
    this.timeout = timeout;
    long millis = timeout.toMillis();
    Map<String, Object> properties = new HashMap<>(login.clientProperties());
    properties.putAll(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 2,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, millis - 100),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(1500, millis + 500)));
    this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    this.producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(registry);
    this.accepted = Counter.builder("auditlog_events_accepted").description("events acknowledged by Kafka")
        .register(registry);
  }

  /**
   * Fails with a 503 (with {@code Retry-After}) when Kafka does not acknowledge within the publish timeout.
   * {@code idempotent}: the events were stamped under an idempotency key, and a retry may publish them again.
   */
  public Future<Void> publish(List<StampedEvent> events, boolean idempotent) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    Context context = vertx.getOrCreateContext();
    Promise<Void> acknowledged = Promise.promise();
    AtomicInteger pending = new AtomicInteger(events.size());
    vertx.executeBlocking(() -> {
      for (StampedEvent event : events) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.tenant(), codec.encode(event));
        record.headers().add(Topics.SCHEMA_VERSION_HEADER, Topics.SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8));
        if (idempotent) {
          record.headers().add(Topics.IDEMPOTENT_HEADER, new byte[] {'1'});
        }
        producer.send(record, (metadata, error) -> {
          if (error != null) {
            context.runOnContext(v -> acknowledged.tryFail(error));
          } else if (pending.decrementAndGet() == 0) {
            context.runOnContext(v -> acknowledged.tryComplete());
          }
        });
      }
      return null;
    }, false).onFailure(acknowledged::tryFail);
    return acknowledged.future()
        .timeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .onSuccess(v -> accepted.increment(events.size()))
        .recover(e -> Future.failedFuture(unavailable()));
  }

  private static ApiException unavailable() {
    return ApiException.unavailable("broker_unavailable", "The event log is unavailable; retry later.", 5);
  }

  @Override
  public void close() {
    producerMetrics.close();
    producer.close(Duration.ofSeconds(10));
  }
}
