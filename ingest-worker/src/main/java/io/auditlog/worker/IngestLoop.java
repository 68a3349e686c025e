package io.auditlog.worker;

import io.auditlog.model.StampedEvent;
import io.auditlog.store.EventSink;
import io.auditlog.tlog.SequencedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop, on its own thread, as a pipeline: poll and gather a batch (by size or linger time), decode it,
 * hand it to the store stage ({@link BatchWriter}, which writes while this thread decodes the next batch), and commit
 * the offsets of the batches stored, in the order they were dispatched. At most {@code AUDIT_BATCHES_IN_FLIGHT}
 * batches are under way; when the store stage is that far behind (InfluxDB slow or down), the assigned partitions are
 * paused until it catches up, and polling continues so the member keeps its partitions. Nothing is committed before
 * it is stored or dead-lettered, and nothing is skipped.
 */
public final class IngestLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
  /** Why a record is dead-lettered as a reference when reading it ran out of heap. */
  private static final String UNREADABLE = "reading the record ran out of the worker's heap: its value decompresses to "
      + "more than a worker can hold (records of its batch after it are unreadable as well)";
  /**
   * The most bytes of key, value and headers an ingress record may have as read (decompressed): four times the
   * gateway's default body limit. Its text takes twice that as a string, and its tree is bounded by its tokens
   * ({@code Json.MAX_BODY_TOKENS}). Fixed rather than a setting, so that a record is decided the same way when it is
   * read again after a restart.
   */
  static final int MAX_INGRESS_RECORD_BYTES = 4 << 20;
  /** How long the last batches may take to be stored when the worker stops. */
  private static final Duration FINAL_WRITES = Duration.ofSeconds(30);

  private final Consumer<byte[], byte[]> consumer;
  private final WorkerConfig config;
  private final RecordDecoder decoder;
  private final IngressPartitions ingress;
  private final HistoryStage history;
  private final BatchWriter writer;
  private final InFlightBatches inFlight;
  private final WorkerMetrics metrics;
  private final CarefulReads careful;
  private final Rebalance rebalance = new Rebalance();
  private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
  /** The offset after the last record gathered, of each partition that gave any since it was assigned. */
  private final Map<TopicPartition, Long> nextGathered = new HashMap<>();
  /**
   * Gathered records already known never to be stored, with why: references (no key, value or headers) to records too
   * large to keep or to read. They go through a batch like any refused record, so that their offsets are committed
   * only once they are dead-lettered.
   */
  private final Map<ConsumerRecord<byte[], byte[]>, String> refusedWhenGathered = new IdentityHashMap<>();
  private long pendingBytes;
  /** The batch being decoded, so that a rebalance during a retry of its decoding reaches it too. */
  private DecodedBatch decoding;
  private boolean pausedForStore;
  private volatile boolean running = true;
  private volatile boolean failed;
  private volatile long lastPollNanos = System.nanoTime();
  private volatile int assigned;
  private volatile long lag;
  private long batchStartNanos;

  /**
   * {@code carefulConsumers}: for {@link CarefulReads}, a new consumer outside the group each call, one record a poll.
   */
  public IngestLoop(Consumer<byte[], byte[]> consumer, Supplier<Consumer<byte[], byte[]>> carefulConsumers,
      RecordDecoder decoder, IngressPartitions ingress, EventSink sink, HistoryStage history, ChangedHours changed,
      TenantShapes shapes, DeadLetters deadLetters, WorkerMetrics metrics, WorkerConfig config) {
    this.consumer = consumer;
    this.careful = new CarefulReads(carefulConsumers);
    this.decoder = decoder;
    this.ingress = ingress;
    this.metrics = metrics;
    this.config = config;
    this.history = history;
    this.writer = new BatchWriter(sink, history, changed, shapes, deadLetters, metrics, config, () -> !running);
    this.inFlight = new InFlightBatches(config.batchesInFlight());
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(config.topic(), config.ingressTopic()), rebalance);
    try {
      while (running) {
        commitStored();
        if (inFlight.full()) {
          pauseForStore();
          inFlight.awaitOldest(Duration.ofMillis(100));
          poll(Duration.ZERO);
          continue;
        }
        resumeAfterStore();
        poll(nextPollTimeout());
        pollCarefully();
        while (batchIsDue() && !inFlight.full()) {
          dispatch(nextBatch());
        }
      }
    } catch (WakeupException e) {
      // stop() was called: fall through to the final batches.
    } catch (RuntimeException | Error e) {
      // Failed, on an error too: nothing gathered after a batch that was never stored may be stored and committed.
      failed = true;
      LOG.error("ingest loop failed; uncommitted records will be read again", e);
    } finally {
      running = false;
      finish();
    }
  }

  /** Stores what was gathered, waits for the batches under way, commits what is stored and leaves the group. */
  private void finish() {
    try {
      while (!failed && !pending.isEmpty()) {
        dispatch(nextBatch());
      }
      inFlight.awaitAll(FINAL_WRITES);
      commitStored();
    } catch (RuntimeException e) {
      LOG.warn("final batches not completed; their records stay uncommitted and will be read again: {}",
          e.toString());
    } finally {
      writer.close();
      careful.close();
      consumer.close(Duration.ofSeconds(10));
    }
  }

  /** Asks the loop to finish its batches and leave the group. */
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
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(timeout);
    } catch (OutOfMemoryError e) {
      readCarefully(e);
      return;
    }
    lastPollNanos = System.nanoTime();
    for (TopicPartition partition : records.partitions()) {
      gather(records.records(partition));
    }
    Set<TopicPartition> assignment = consumer.assignment();
    assigned = assignment.size();
    lag = assignment.stream().mapToLong(partition -> consumer.currentLag(partition).orElse(0)).sum();
    metrics.lag(lag);
  }

  /**
   * Adds records of one partition, in offset order, to what is gathered for the next batch. An ingress record larger
   * than {@link #MAX_INGRESS_RECORD_BYTES} is replaced at once by a reference to it, so that its bytes are not kept.
   */
  private void gather(List<ConsumerRecord<byte[], byte[]>> records) {
    if (records.isEmpty()) {
      return;
    }
    for (ConsumerRecord<byte[], byte[]> record : records) {
      long size = bytes(record);
      if (size > MAX_INGRESS_RECORD_BYTES && record.topic().equals(config.ingressTopic())) {
        gatherRefused(reference(record), "larger than an ingress record may be: " + size + " bytes of key, value "
            + "and headers, more than " + MAX_INGRESS_RECORD_BYTES);
      } else {
        pend(record);
        pendingBytes += size;
      }
    }
    ConsumerRecord<byte[], byte[]> last = records.get(records.size() - 1);
    nextGathered.put(new TopicPartition(last.topic(), last.partition()), last.offset() + 1);
    metrics.consumed.increment(records.size());
  }

  private void gatherRefused(ConsumerRecord<byte[], byte[]> reference, String reason) {
    pend(reference);
    refusedWhenGathered.put(reference, reason);
  }

  /** Adds one record to what is gathered; the first starts the next batch's linger. */
  private void pend(ConsumerRecord<byte[], byte[]> record) {
    if (pending.isEmpty()) {
      batchStartNanos = System.nanoTime();
    }
    pending.add(record);
  }

  /** A record's place (topic, partition, offset, time) without its key, value or headers. */
  private static ConsumerRecord<byte[], byte[]> reference(TopicPartition partition, long offset) {
    return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, ConsumerRecord.NO_TIMESTAMP,
        TimestampType.NO_TIMESTAMP_TYPE, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, null, null,
        new RecordHeaders(), Optional.empty());
  }

  private static ConsumerRecord<byte[], byte[]> reference(ConsumerRecord<byte[], byte[]> record) {
    return reference(new TopicPartition(record.topic(), record.partition()), record.offset());
  }

  /**
   * A poll ran out of heap: most likely on a record that decompresses to more than the heap, which only a producer
   * writing to the ingress topic itself can send. The poll may have moved positions past records it never returned,
   * so every assigned partition goes back to the next offset this loop has not gathered; the ingress partitions are
   * then read one record at a time ({@link CarefulReads}) up to their current ends. With no ingress partition left to
   * read so, or a heap that is full even once the consumer let go of what it fetched from them, the heap is short for
   * another reason, and the loop fails as before.
   */
  private void readCarefully(OutOfMemoryError error) {
    Set<TopicPartition> assignment = consumer.assignment();
    Set<TopicPartition> toRead = new HashSet<>();
    for (TopicPartition partition : assignment) {
      if (isIngress(partition) && !careful.partitions().contains(partition)) {
        toRead.add(partition);
      }
    }
    if (toRead.isEmpty()) {
      throw error;
    }
    dropFetchedIngress();
    if (!CarefulReads.heapMostlyFree()) {
      throw error;
    }
    LOG.error("a poll ran out of heap; reading the ingress partitions {} one record at a time", toRead);
    Map<TopicPartition, Long> from = gatheredOrCommitted(assignment);
    Map<TopicPartition, Long> ends = consumer.endOffsets(toRead, Duration.ofSeconds(30));
    from.forEach(consumer::seek);
    consumer.pause(toRead);
    for (TopicPartition partition : toRead) {
      careful.start(partition, from.get(partition), ends.get(partition));
    }
  }

  /**
   * Lets go of what the group's consumer fetched from the ingress topic and still holds. A consumer keeps the record it
   * read last while it reads the next one, so a poll that failed on one large record may still hold another, which
   * would make the heap look full. Subscribing to the events topic alone drops the fetched data of every partition left
   * out; the subscription is both topics again before the next poll, so the member does not leave or rejoin its group.
   */
  private void dropFetchedIngress() {
    consumer.subscribe(List.of(config.topic()), rebalance);
    consumer.subscribe(List.of(config.topic(), config.ingressTopic()), rebalance);
  }

  /** Each partition's next offset not gathered: after its last gathered record, else its committed or first offset. */
  private Map<TopicPartition, Long> gatheredOrCommitted(Set<TopicPartition> partitions) {
    Map<TopicPartition, Long> next = new HashMap<>();
    Set<TopicPartition> unread = new HashSet<>();
    for (TopicPartition partition : partitions) {
      Long gathered = nextGathered.get(partition);
      if (gathered != null) {
        next.put(partition, gathered);
      } else {
        unread.add(partition);
      }
    }
    if (!unread.isEmpty()) {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(unread, Duration.ofSeconds(30));
      Map<TopicPartition, Long> first = consumer.beginningOffsets(unread, Duration.ofSeconds(30));
      for (TopicPartition partition : unread) {
        OffsetAndMetadata offset = committed.get(partition);
        next.put(partition, offset != null ? offset.offset() : first.get(partition));
      }
    }
    return next;
  }

  /**
   * Gathers what the partitions read one record at a time give, up to a batch's records or bytes; a record whose read
   * ran out of heap is gathered as a reference, to be dead-lettered with its batch before its offset is committed.
   * Hands the partitions read past their ends back to the group's consumer.
   */
  private void pollCarefully() {
    if (careful.isEmpty()) {
      return;
    }
    careful.poll(new CarefulReads.Sink() {
      @Override
      public boolean read(ConsumerRecord<byte[], byte[]> record) {
        gather(List.of(record));
        return wantsMore();
      }

      @Override
      public boolean unreadable(TopicPartition partition, long offset) {
        LOG.error("the record at {} offset {} runs out of heap when read; it is dead-lettered as a reference",
            partition, offset);
        gatherRefused(reference(partition, offset), UNREADABLE);
        nextGathered.put(partition, offset + 1);
        return wantsMore();
      }

      private boolean wantsMore() {
        return pending.size() < config.batchSize() && pendingBytes < config.batchBytes();
      }
    });
    careful.finished().forEach((partition, position) -> {
      consumer.seek(partition, position);
      consumer.resume(List.of(partition));
      LOG.info("{} is read by the group's consumer again from offset {}", partition, position);
    });
  }

  private Duration nextPollTimeout() {
    if (pending.isEmpty()) {
      return Duration.ofMillis(500);
    }
    long left = config.batchLinger().toNanos() - (System.nanoTime() - batchStartNanos);
    return Duration.ofNanos(Math.max(0, left));
  }

  private boolean batchIsDue() {
    return !pending.isEmpty() && (pending.size() >= config.batchSize() || pendingBytes >= config.batchBytes()
        || System.nanoTime() - batchStartNanos >= config.batchLinger().toNanos());
  }

  /**
   * The oldest gathered records, up to {@code AUDIT_BATCH_SIZE} records, {@code AUDIT_BATCH_BYTES} and a decoded
   * cost of {@link DecodedCost#PER_BATCH_BYTE} times that (at least one record): a batch's memory is bounded by its
   * bytes and by the trees they make, whatever the number of events a record carries or how small their values are.
   */
  private List<ConsumerRecord<byte[], byte[]>> nextBatch() {
    int count = 0;
    long bytes = 0;
    long cost = 0;
    long maxCost = (long) config.batchBytes() * DecodedCost.PER_BATCH_BYTE;
    while (count < pending.size() && count < config.batchSize()) {
      long next = bytes(pending.get(count));
      long nextCost = DecodedCost.of(pending.get(count));
      if (count > 0 && (bytes + next > config.batchBytes() || cost + nextCost > maxCost)) {
        break;
      }
      bytes += next;
      cost += nextCost;
      count++;
    }
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(pending.subList(0, count));
    pending.subList(0, count).clear();
    pendingBytes -= bytes;
    return batch;
  }

  /** A record's key, value and headers, as read (its headers measured without copying them: {@link HeaderBytes}). */
  private static long bytes(ConsumerRecord<byte[], byte[]> record) {
    return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize())
        + HeaderBytes.of(record.headers());
  }

  /** Decodes the records and hands them to the store stage. */
  private void dispatch(List<ConsumerRecord<byte[], byte[]>> records) {
    DecodedBatch batch = decode(records);
    inFlight.add(batch, writer.store(batch));
  }

  /**
   * The decode stage, on this thread because an ingress partition's stamps must follow its records' order: each
   * record becomes its events or the reason it can never be stored, and the batch covers its offset.
   */
  private DecodedBatch decode(List<ConsumerRecord<byte[], byte[]>> records) {
    DecodedBatch batch = new DecodedBatch();
    decoding = batch;
    try {
      retrying(() -> {
        decoder.prefetchKeys(records);
        return null;
      });
      for (ConsumerRecord<byte[], byte[]> record : records) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String refused = refusedWhenGathered.remove(record);
        if (refused != null) {
          if (!batch.forgot(partition)) {
            batch.refuse(record, refused);
            batch.covers(record, isIngress(partition) ? ingress.checkpoint(partition) : "");
          }
          continue;
        }
        // A retry polls, and a poll may take the partition away: its records are then left to the new owner.
        RecordDecoder.Decoded decoded = retrying(() -> batch.forgot(partition) ? null : decoder.decode(record));
        if (decoded == null) {
          continue;
        }
        if (decoded.deadLetterReason() != null) {
          batch.refuse(record, decoded.deadLetterReason());
        } else {
          addWithLeaves(batch, record, decoded.events());
        }
        batch.covers(record, isIngress(partition) ? ingress.checkpoint(partition) : "");
      }
      return batch;
    } finally {
      decoding = null;
    }
  }

  /** The record's events with their leaves; a record with an event no leaf can commit to is refused. */
  private void addWithLeaves(DecodedBatch batch, ConsumerRecord<byte[], byte[]> record, List<StampedEvent> events) {
    List<SequencedEvent> leaves;
    try {
      leaves = history.leaves(record, events);
    } catch (IllegalArgumentException e) {
      batch.refuse(record, "an event has no leaf in the history (no canonical form, RFC 8785, or a malformed id, "
          + "timestamp or salt): " + e.getMessage());
      return;
    }
    batch.add(record, events, leaves);
  }

  /** A step that may fail for now: the accounts database is down or slow. */
  @FunctionalInterface
  private interface TransientStep<T> {
    T run() throws EventSink.TransientWriteException;
  }

  /**
   * Runs {@code step} until it succeeds, pausing the assigned partitions and backing off between attempts. Once the
   * loop is stopping it tries only once more: what is not decoded then stays uncommitted for the next owner.
   */
  private <T> T retrying(TransientStep<T> step) {
    Duration backoff = Backoff.FIRST;
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
        LOG.warn("decoding failed, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
        consumer.pause(consumer.assignment());
        // Polling while paused keeps this member in its group; partitions assigned meanwhile are not paused yet,
        // so whatever they return joins the next batch.
        poll(backoff);
        backoff = Backoff.after(backoff, config.maxBackoff());
      }
    }
  }

  private boolean isIngress(TopicPartition partition) {
    return partition.topic().equals(config.ingressTopic());
  }

  private void pauseForStore() {
    consumer.pause(consumer.assignment());
    pausedForStore = true;
  }

  private void resumeAfterStore() {
    if (pausedForStore) {
      pausedForStore = false;
      resumeAll();
    }
  }

  private void resumeAll() {
    Set<TopicPartition> paused = new HashSet<>(consumer.paused());
    paused.retainAll(consumer.assignment());
    paused.removeAll(careful.partitions());
    if (!paused.isEmpty()) {
      consumer.resume(paused);
    }
  }

  /**
   * Commits the next offset of every partition this member still owns in the stored batches at the head, with an
   * ingress partition's stamp checkpoint as the offset's metadata.
   */
  private void commitStored() {
    Map<TopicPartition, OffsetAndMetadata> offsets = inFlight.takeStored();
    offsets.keySet().retainAll(consumer.assignment());
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (RebalanceInProgressException | CommitFailedException e) {
      // The batches are stored; whoever owns these partitions after the rebalance reads the uncommitted records
      // again and rewrites the same points. Losing the loop here would leave its partitions unread.
      LOG.info("commit skipped during a rebalance; the records will be read and rewritten: {}", e.toString());
    }
  }

  /**
   * On revocation, what is stored is committed first; then records of the lost partitions, gathered or under way,
   * are left uncommitted: their new owner reads them again and rewrites the same points. A lost member (its session
   * expired) cannot commit any more and only forgets. On assignment, ingress partitions resume stamping from their
   * committed checkpoints (and from the records placed past them, read at their first record).
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        commitStored();
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      refusedWhenGathered.keySet().removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      nextGathered.keySet().removeAll(partitions);
      careful.forget(partitions);
      pendingBytes = pending.stream().mapToLong(IngestLoop::bytes).sum();
      inFlight.forget(partitions);
      if (decoding != null) {
        decoding.forget(partitions);
      }
      ingress.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("assigned {}", partitions);
      Set<TopicPartition> assigned = new HashSet<>();
      for (TopicPartition partition : partitions) {
        if (isIngress(partition)) {
          assigned.add(partition);
        }
      }
      if (!assigned.isEmpty()) {
        ingress.resume(assigned, consumer.committed(assigned, Duration.ofSeconds(30)));
      }
    }
  }
}
