package io.auditlog.worker;

import io.auditlog.store.EventSink;
import io.auditlog.store.HistoryLeaf;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.TagShape;
import io.auditlog.tlog.Erasures;
import io.micrometer.core.instrument.Counter;
import io.auditlog.model.InfluxNames;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history and store stages: places each tenant's part of a decoded batch in the tenant's tree
 * ({@link HistoryStage}), then encodes it in the tenant's {@link TagShape} and writes it as one write, on a pool of
 * {@code AUDIT_WRITERS} threads, so that several batches and several tenants are written at once while the consumer
 * thread decodes the next batch. A tenant's parts are placed in the order their batches were dispatched (a later
 * batch placed first would move the partition's watermark past the earlier one's records), none after one that
 * failed; their writes may overlap. A step that fails for now is retried on its thread with exponential backoff;
 * what the store refuses for good, and what the decode stage refused, is dead-lettered. A batch's future completes,
 * with the number of events stored, only when every part of it is stored or dead-lettered.
 */
final class BatchWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  private final EventSink sink;
  private final HistoryStage history;
  private final ChangedHours changed;
  private final TenantShapes shapes;
  private final PausePoint pausePoint;
  /** Each tenant's last part dispatched to the history stage: the next part of that tenant is placed after it. */
  private final Map<String, CompletableFuture<?>> lastPlaced = new HashMap<>();
  private final DeadLetters deadLetters;
  private final WorkerMetrics metrics;
  private final Duration maxBackoff;
  private final BooleanSupplier stopping;
  private final ExecutorService pool;

  BatchWriter(EventSink sink, HistoryStage history, ChangedHours changed, TenantShapes shapes,
      DeadLetters deadLetters, WorkerMetrics metrics, WorkerConfig config, BooleanSupplier stopping) {
    this.sink = sink;
    this.history = history;
    this.changed = changed;
    this.shapes = shapes;
    this.pausePoint = new PausePoint(config.pauseAt());
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.maxBackoff = config.maxBackoff();
    this.stopping = stopping;
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(config.writers(), task -> {
      Thread thread = new Thread(task, "influx-writer-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Stores the batch, then marks the hours it wrote in ({@link ChangedHours}); the future fails only when a part could
   * not be stored (or the hours marked) while stopping, or not dead-lettered.
   */
  CompletableFuture<Integer> store(DecodedBatch batch) {
    List<CompletableFuture<Integer>> parts = new ArrayList<>();
    Set<ChangedHours.Hour> hours = ConcurrentHashMap.newKeySet();
    batch.byTenant().forEach((tenant, entries) -> {
      CompletableFuture<HistoryStage.Placed> placed = afterPreviousPart(tenant)
          .thenApplyAsync(previous -> untilPlaced(tenant, entries), pool);
      lastPlaced.put(tenant, placed.thenApply(p -> null));
      parts.add(placed.thenApplyAsync(p -> {
        pausePoint.pass(PausePoint.Point.PLACED);
        int stored = write(tenant, p);
        pausePoint.pass(PausePoint.Point.WRITTEN);
        ChangedHours.collect(tenant, p.entries(), hours);
        return stored;
      }, pool));
    });
    if (!batch.refused().isEmpty()) {
      parts.add(CompletableFuture.supplyAsync(() -> {
        batch.refused().forEach(refused -> deadLetter(refused.record(), refused.reason()));
        return 0;
      }, pool));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApplyAsync(done -> {
          retrying("marking the hours written", metrics.markRetries, () -> {
            changed.mark(hours);
            return null;
          });
          return parts.stream().mapToInt(CompletableFuture::join).sum();
        }, pool)
        .whenComplete((stored, failure) -> {
          if (failure == null) {
            metrics.written.increment(stored);
            metrics.batchLatency.record(Duration.ofNanos(System.nanoTime() - batch.startedNanos()));
          }
        });
  }

  /**
   * Called on the consumer's thread, in dispatch order: completes when the tenant's previous part is placed, and fails
   * when it failed. A part placed after a failed one would move the partition's watermark past the failed part's
   * records, which a replay would then take for records placed before and skip; so once a tenant's part fails, every
   * later part of that tenant fails too, and the loop ends with its batches uncommitted. Parts long placed are
   * forgotten once many tenants were seen (a failed one is kept).
   */
  private CompletableFuture<?> afterPreviousPart(String tenant) {
    if (lastPlaced.size() > 4096) {
      lastPlaced.values().removeIf(part -> part.isDone() && !part.isCompletedExceptionally());
    }
    return lastPlaced.getOrDefault(tenant, CompletableFuture.completedFuture(null));
  }

  /** Places a part in its tenant's tree, retrying while PostgreSQL is unavailable. */
  private HistoryStage.Placed untilPlaced(String tenant, List<DecodedBatch.Entry> entries) {
    HistoryStage.Placed placed = retrying("placing tenant " + tenant + "'s events", metrics.historyRetries,
        () -> history.place(tenant, entries));
    metrics.replaysWithoutLeaves.increment(placed.skippedRecords());
    return placed;
  }

  /**
   * Encodes one tenant's placed part, writes it until the store takes it, and dead-letters the lines it refuses; an
   * event refused for good that has a leaf gets an erasure record (reason {@code rejected}), so its leaf is
   * explained rather than missing.
   */
  private int write(String tenant, HistoryStage.Placed placed) {
    placed.refused().forEach(refused -> deadLetter(refused.record(), refused.reason()));
    String database = InfluxNames.database(tenant);
    List<DecodedBatch.Entry> entries = placed.entries();
    TagShape shape = retrying("looking up tenant " + tenant + "'s shape", metrics.writeRetries,
        () -> shapes.of(tenant));
    List<String> lines = new ArrayList<>(entries.size() * 2);
    List<Integer> entryOfLine = new ArrayList<>(entries.size() * 2);
    for (int i = 0; i < entries.size(); i++) {
      for (String line : LineProtocol.encodeWithTrail(entries.get(i).event(), placed.leaves().get(i), shape)) {
        lines.add(line);
        entryOfLine.add(i);
      }
    }
    List<EventSink.Rejected> rejected = retrying("write to " + database, metrics.writeRetries,
        () -> sink.write(database, lines));
    // Lines are hashed only when the store refused some: they are long, and hashing every one costs.
    Map<String, Integer> entryByLine = new HashMap<>();
    if (!rejected.isEmpty()) {
      for (int i = 0; i < lines.size(); i++) {
        entryByLine.put(lines.get(i), entryOfLine.get(i));
      }
    }
    List<Erasures.Erased> erased = new ArrayList<>();
    for (EventSink.Rejected reject : rejected) {
      int index = entryByLine.get(reject.line());
      deadLetter(entries.get(index).record(), reject.reason());
      HistoryLeaf leaf = placed.leaves().get(index);
      if (!LineProtocol.isTrail(reject.line()) && leaf != null) {
        erased.add(new Erasures.Erased(entries.get(index).event().id(), leaf.seq()));
      }
    }
    if (!erased.isEmpty()) {
      retrying("recording tenant " + tenant + "'s rejected events", metrics.historyRetries,
          () -> history.rejected(tenant, erased).size());
    }
    return entries.size() - (int) rejected.stream().filter(r -> !LineProtocol.isTrail(r.line())).count();
  }

  /** A step that may fail for now: an outage of InfluxDB or PostgreSQL. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws EventSink.TransientWriteException, SQLException;
  }

  /**
   * Runs a step until it succeeds, backing off between attempts. Once the worker is stopping it tries only once
   * more: what is not stored then stays uncommitted for the partition's next owner.
   */
  private <T> T retrying(String what, Counter retries, Step<T> step) {
    Duration backoff = Backoff.FIRST;
    while (true) {
      try {
        return step.run();
      } catch (EventSink.TransientWriteException | SQLException e) {
        if (stopping.getAsBoolean()) {
          throw new IllegalStateException("stopping while " + what + " fails: " + e.getMessage(), e);
        }
        retries.increment();
        LOG.warn("{} failed, retrying in {} ms: {}", what, backoff.toMillis(), e.getMessage());
        sleep(backoff);
        backoff = Backoff.after(backoff, maxBackoff);
      }
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
    deadLetters.send(record, reason);
    metrics.deadLettered.increment();
  }

  private static void sleep(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }

  /** Lets the writes under way finish (up to 30 s), then stops the pool. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
  }
}
