package io.auditlog.worker;

import io.auditlog.model.KafkaLogin;
import io.auditlog.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records that can never be stored to the dead-letter topic, unchanged, with the reason and their origin in
 * headers, and waits for Kafka's acknowledgement so that their offsets may be committed. The reason is cut to
 * {@value #MAX_REASON} characters; a record too large to be dead-lettered whole (the topic takes
 * {@link Topics#DEAD_LETTER_MAX_BYTES} bytes) is dead-lettered as a reference to where it stays, without its value, so no
 * record a producer can write stops the worker.
 */
public final class DeadLetters implements AutoCloseable {

  static final int MAX_REASON = 1_024;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  public DeadLetters(String bootstrap, KafkaLogin login, String topic) {
    this.topic = topic;
    Map<String, Object> properties = new HashMap<>(login.clientProperties());
    properties.putAll(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.DEAD_LETTER_MAX_BYTES));
    this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Blocks until the dead letter is acknowledged; throws when it is not within a minute. */
  public void send(ConsumerRecord<byte[], byte[]> original, String reason) {
    String source = original.topic() + "/" + original.partition() + "/" + original.offset();
    String cut = printable(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason);
    try {
      deliver(letter(original, original.value(), cut, source, true));
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RecordTooLargeException)) {
        throw failed(source, e);
      }
      try {
        deliver(letter(original, null, cut + " (too large to dead-letter; the record stays at " + source + ")",
            source, false));
      } catch (ExecutionException again) {
        throw failed(source, again);
      }
    }
  }

  private ProducerRecord<byte[], byte[]> letter(ConsumerRecord<byte[], byte[]> original, byte[] value, String reason,
      String source, boolean withOriginal) {
    // Without its original, the letter is the source and the reason alone: a key can be megabytes too.
    ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, withOriginal ? original.key() : null, value);
    if (withOriginal) {
      for (Header header : original.headers()) {
        // The key is a secret; a dlq header from the producer (in any case or spelling) would pass for the worker's.
        if (!Topics.API_KEY_HEADER.equals(header.key()) && !header.key().toLowerCase(Locale.ROOT).startsWith("dlq")) {
          letter.headers().add(header);
        }
      }
    }
    letter.headers().add(Topics.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    letter.headers().add("dlq-source", source.getBytes(StandardCharsets.UTF_8));
    return letter;
  }

  /**
   * The reason with every control character written as {@code \\uXXXX}: it quotes what the producer sent (a field's
   * name, say), and a line break in it would let a producer write a line of its own into a reader's output.
   */
  static String printable(String reason) {
    StringBuilder out = new StringBuilder(reason.length());
    reason.chars().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.append((char) c);
      }
    });
    return out.toString();
  }

  private void deliver(ProducerRecord<byte[], byte[]> letter) throws ExecutionException {
    try {
      producer.send(letter).get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("dead letter not acknowledged within a minute", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static IllegalStateException failed(String source, ExecutionException e) {
    return new IllegalStateException("could not dead-letter " + source + ": " + e.getCause(), e);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
