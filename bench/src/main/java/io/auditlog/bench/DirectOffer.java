package io.auditlog.bench;

import io.auditlog.model.Topics;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer writing straight to the ingress topic at a fixed rate (an open loop): a record of {@code eventsPerRecord}
 * events is due every {@code eventsPerRecord / eventsPerSecond} seconds, whatever the acknowledgements, with the
 * access key in its header and keys spread over the partitions, as a direct producer writes (with the operator's
 * Kafka login rather than a producer principal's: the worker reads the record the same). Kafka takes what is offered
 * whether or not the workers keep up. Each record is one request of the {@link Run}: from the moment it was due until
 * Kafka acknowledged it.
 */
final class DirectOffer implements AutoCloseable {

  private static final int PRODUCER_KEYS = 24;

  private final KafkaProducer<String, byte[]> producer;
  private final byte[] accessKey;

  DirectOffer(BenchStack bench) {
    producer = new KafkaProducer<>(IngestBenchmark.producerConfig(bench), new StringSerializer(),
        new ByteArraySerializer());
    accessKey = bench.accessKey.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Offers {@code eventsPerSecond} for {@code duration}, then waits for every acknowledgement. The rate offered is the
   * events Kafka acknowledged over the duration, or over the time their sending took if it fell behind the schedule
   * (this process starved of CPU, or the producer's buffer full).
   */
  Offered offer(String name, List<Buffer> bodies, int eventsPerRecord, int eventsPerSecond, Duration duration) {
    if (eventsPerSecond < eventsPerRecord) {
      throw new IllegalArgumentException("offer at least " + eventsPerRecord + " events/s, not " + eventsPerSecond);
    }
    Run run = new Run(name, eventsPerRecord, duration);
    long period = 1_000_000_000L * eventsPerRecord / eventsPerSecond;
    long records = duration.toNanos() / period;
    for (long i = 0; i < records; i++) {
      long due = run.startNanos + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.INGRESS, "producer-" + i % PRODUCER_KEYS,
          bodies.get((int) (i % bodies.size())).getBytes());
      record.headers().add(Topics.API_KEY_HEADER, accessKey);
      producer.send(record, (metadata, error) -> run.record(due, System.nanoTime(), error == null));
    }
    long sendingNanos = Math.max(duration.toNanos(), System.nanoTime() - run.startNanos);
    producer.flush();
    return new Offered(run.finish(), run.acceptedEvents() / (sendingNanos / 1e9));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
