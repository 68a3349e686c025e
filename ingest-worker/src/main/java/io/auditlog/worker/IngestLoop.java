package io.auditlog.worker;

import io.auditlog.store.LineProtocol;
import io.auditlog.store.EventSink;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.StampedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop, on its own thread: poll, gather a batch (by size or linger time), store it, dead-letter what
 * can never be stored, and only then commit the batch's offsets. While InfluxDB fails, the assigned partitions are
 * paused and the write is retried with exponential backoff; nothing is skipped.
 */
public final class IngestLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);

  private final Consumer<byte[], byte[]> consumer;
  private final EventSink sink;
  private final DeadLetters deadLetters;
  private final WorkerMetrics metrics;
  private final WorkerConfig config;
  private final RecordDecoder decoder;
  private final IngressStampers stampers;
  private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
  /** Partitions taken from this member while a batch is being stored: their records are no longer its to store. */
  private final Set<TopicPartition> revokedDuringFlush = new HashSet<>();
  private volatile boolean running = true;
  private volatile boolean failed;
  private volatile long lastPollNanos = System.nanoTime();
  private volatile int assigned;
  private volatile long lag;
  private long batchStartNanos;

  public IngestLoop(Consumer<byte[], byte[]> consumer, RecordDecoder decoder, IngressStampers stampers,
      EventSink sink, DeadLetters deadLetters, WorkerMetrics metrics, WorkerConfig config) {
    this.consumer = consumer;
    this.decoder = decoder;
    this.stampers = stampers;
    this.sink = sink;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.config = config;
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(config.topic(), config.ingressTopic()), new Rebalance());
    try {
      while (running) {
        poll(nextPollTimeout());
        if (batchIsDue()) {
          flush();
        }
      }
    } catch (WakeupException e) {
      // stop() was called: fall through to the final flush.
    } catch (RuntimeException e) {
      failed = true;
      LOG.error("ingest loop failed; uncommitted records will be read again", e);
    } finally {
      running = false;
      try {
        flush();
      } catch (RuntimeException e) {
        LOG.warn("final flush not completed; its records stay uncommitted and will be read again: {}", e.toString());
      }
      consumer.close(Duration.ofSeconds(10));
    }
  }

  /** Asks the loop to finish its batch and leave the group. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /** True when the loop ended on an unexpected error rather than on {@link #stop()}. */
  public boolean failed() {
    return failed;
  }

  /** True while the loop polls regularly (for /health). */
  public boolean healthy() {
    return sinceLastPoll().compareTo(Duration.ofSeconds(30)) < 0;
  }

  public Duration sinceLastPoll() {
    return Duration.ofNanos(System.nanoTime() - lastPollNanos);
  }

  /** The partitions assigned to this member at its last poll. */
  public int assignedPartitions() {
    return assigned;
  }

  /** Records behind the end of the assigned partitions at the last poll. */
  public long lag() {
    return lag;
  }

  private void poll(Duration timeout) {
    var records = consumer.poll(timeout);
    lastPollNanos = System.nanoTime();
    if (!records.isEmpty() && pending.isEmpty()) {
      batchStartNanos = System.nanoTime();
    }
    records.forEach(pending::add);
    metrics.consumed.increment(records.count());
    Set<TopicPartition> assignment = consumer.assignment();
    assigned = assignment.size();
    lag = assignment.stream().mapToLong(partition -> consumer.currentLag(partition).orElse(0)).sum();
    metrics.lag(lag);
  }

  private Duration nextPollTimeout() {
    if (pending.isEmpty()) {
      return Duration.ofMillis(500);
    }
    long left = config.batchLinger().toNanos() - (System.nanoTime() - batchStartNanos);
    return Duration.ofNanos(Math.max(0, left));
  }

  private boolean batchIsDue() {
    return !pending.isEmpty() && (pending.size() >= config.batchSize()
        || System.nanoTime() - batchStartNanos >= config.batchLinger().toNanos());
  }

  /** Stores the pending batch, dead-letters its rejects, then commits; retries while the store is unavailable. */
  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    revokedDuringFlush.clear();
    List<ConsumerRecord<byte[], byte[]>> batch = List.copyOf(pending);
    Map<String, List<String>> linesByDatabase = new LinkedHashMap<>();
    Map<String, ConsumerRecord<byte[], byte[]>> recordByLine = new HashMap<>();
    Map<TopicPartition, String> checkpoints = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      // A retry polls, and a poll may take the partition away: its records are then left to the new owner.
      RecordDecoder.Decoded decoded = retrying(() -> revokedDuringFlush.contains(partition) ? null
          : decoder.decode(record));
      if (decoded == null) {
        continue;
      }
      if (isIngress(partition)) {
        checkpoints.put(partition, stampers.checkpoint(partition));
      }
      if (decoded.deadLetterReason() != null) {
        deadLetter(record, decoded.deadLetterReason());
        continue;
      }
      for (StampedEvent event : decoded.events()) {
        List<String> lines = linesByDatabase.computeIfAbsent(InfluxNames.database(event.tenant()),
            d -> new ArrayList<>());
        for (String line : LineProtocol.encodeWithTrail(event)) {
          lines.add(line);
          recordByLine.put(line, record);
        }
      }
    }
    int stored = 0;
    for (Map.Entry<String, List<String>> entry : linesByDatabase.entrySet()) {
      List<EventSink.Rejected> rejected = retrying(() -> sink.write(entry.getKey(), entry.getValue()));
      for (EventSink.Rejected reject : rejected) {
        deadLetter(recordByLine.get(reject.line()), reject.reason());
      }
      stored += entry.getValue().stream().filter(line -> !LineProtocol.isTrail(line)).count()
          - rejected.stream().filter(r -> !LineProtocol.isTrail(r.line())).count();
    }
    commit(batch, checkpoints);
    pending.removeAll(batch);
    metrics.written.increment(stored);
    metrics.batchLatency.record(Duration.ofNanos(System.nanoTime() - started));
  }

  /** A step that may fail for now: the store or the accounts database is down or slow. */
  @FunctionalInterface
  private interface TransientStep<T> {
    T run() throws EventSink.TransientWriteException;
  }

  /**
   * Runs {@code step} until it succeeds, pausing the assigned partitions and backing off between attempts. Once the
   * loop is stopping it tries only once more: what is not stored then stays uncommitted for the next owner.
   */
  private <T> T retrying(TransientStep<T> step) {
    Duration backoff = Duration.ofMillis(100);
    while (true) {
      try {
        T result = step.run();
        resumeAll();
        return result;
      } catch (EventSink.TransientWriteException e) {
        if (!running) {
          throw new IllegalStateException("stopping while a dependency is unavailable: " + e.getMessage(), e);
        }
        metrics.writeRetries.increment();
        LOG.warn("batch step failed, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
        consumer.pause(consumer.assignment());
        // Polling while paused keeps this member in its group; partitions assigned meanwhile are not paused yet,
        // so whatever they return joins the next batch.
        poll(backoff);
        backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
            : backoff.multipliedBy(2);
      }
    }
  }

  private boolean isIngress(TopicPartition partition) {
    return partition.topic().equals(config.ingressTopic());
  }

  private void resumeAll() {
    Set<TopicPartition> paused = new HashSet<>(consumer.paused());
    paused.retainAll(consumer.assignment());
    if (!paused.isEmpty()) {
      consumer.resume(paused);
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
    deadLetters.send(record, reason);
    metrics.deadLettered.increment();
  }

  /**
   * Commits the next offset of every partition in the batch that this member owned throughout, with an ingress
   * partition's stamp checkpoint as the offset's metadata.
   */
  private void commit(List<ConsumerRecord<byte[], byte[]>> batch, Map<TopicPartition, String> checkpoints) {
    Set<TopicPartition> owned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      if (owned.contains(partition) && !revokedDuringFlush.contains(partition)) {
        offsets.merge(partition, new OffsetAndMetadata(record.offset() + 1, checkpoints.getOrDefault(partition, "")),
            (a, b) -> a.offset() >= b.offset() ? a : b);
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (RebalanceInProgressException | CommitFailedException e) {
      // The batch is stored; whoever owns these partitions after the rebalance reads the uncommitted records again
      // and rewrites the same points. Losing the loop here would leave its partitions unread.
      LOG.info("commit skipped during a rebalance; the records will be read and rewritten: {}", e.toString());
    }
  }

  /**
   * On revocation, records of lost partitions are dropped uncommitted: their new owner reads them again. On
   * assignment, ingress partitions resume stamping from their committed checkpoints.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      revokedDuringFlush.addAll(partitions);
      stampers.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("assigned {}", partitions);
      Set<TopicPartition> ingress = new HashSet<>();
      for (TopicPartition partition : partitions) {
        if (isIngress(partition)) {
          ingress.add(partition);
        }
      }
      if (!ingress.isEmpty()) {
        stampers.resume(ingress, consumer.committed(ingress, Duration.ofSeconds(30)));
      }
    }
  }
}
