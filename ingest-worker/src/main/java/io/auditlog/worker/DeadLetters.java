package io.auditlog.worker;

import io.auditlog.model.KafkaLogin;
import io.auditlog.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records that can never be stored to the dead-letter topic, unchanged, with the reason and their origin in
 * headers, and waits for Kafka's acknowledgement so that their offsets may be committed.
 */
public final class DeadLetters implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  public DeadLetters(String bootstrap, KafkaLogin login, String topic) {
    this.topic = topic;
    Map<String, Object> properties = new HashMap<>(login.clientProperties());
    properties.putAll(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
    this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Blocks until the dead letter is acknowledged; throws when it is not within a minute. */
  public void send(ConsumerRecord<byte[], byte[]> original, String reason) {
    ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, original.key(), original.value());
    for (Header header : original.headers()) {
      if (!Topics.API_KEY_HEADER.equals(header.key())) {
        letter.headers().add(header);
      }
    }
    letter.headers().add(Topics.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    letter.headers().add("dlq-source", (original.topic() + "/" + original.partition() + "/" + original.offset())
        .getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(letter).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not dead-letter " + original.topic() + "/" + original.partition()
          + "/" + original.offset() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
