package io.auditlog.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The batches dispatched to the store stage and not yet committed, oldest first, at most {@code capacity} of them.
 * Batches may finish in any order, but their offsets are released only in dispatch order: a partition's offset is
 * committed only when every batch before it is stored too. Used by the consumer's thread only.
 */
final class InFlightBatches {

  private record Dispatched(DecodedBatch batch, CompletableFuture<Integer> stored) {
  }

  private final ArrayDeque<Dispatched> batches = new ArrayDeque<>();
  private final int capacity;

  InFlightBatches(int capacity) {
    this.capacity = capacity;
  }

  void add(DecodedBatch batch, CompletableFuture<Integer> stored) {
    batches.addLast(new Dispatched(batch, stored));
  }

  boolean full() {
    return batches.size() >= capacity;
  }

  boolean isEmpty() {
    return batches.isEmpty();
  }

  int size() {
    return batches.size();
  }

  /**
   * Removes the stored batches at the head and returns their offsets, the latest per partition.
   *
   * @throws IllegalStateException when the oldest finished batch failed: its records could not be stored
   */
  Map<TopicPartition, OffsetAndMetadata> takeStored() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    while (!batches.isEmpty() && batches.peekFirst().stored().isDone()) {
      Dispatched head = batches.removeFirst();
      try {
        head.stored().join();
      } catch (CompletionException e) {
        throw new IllegalStateException("a batch could not be stored: " + e.getCause().getMessage(), e.getCause());
      }
      offsets.putAll(head.batch().offsets());
    }
    return offsets;
  }

  /** Waits up to {@code timeout} for the oldest batch to finish (for the store stage to make room). */
  void awaitOldest(Duration timeout) {
    if (batches.isEmpty()) {
      return;
    }
    try {
      batches.peekFirst().stored().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Still writing, or failed: takeStored() reports a failure.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits up to {@code timeout} for every batch to finish. */
  void awaitAll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Dispatched dispatched : batches) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        dispatched.stored().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return;
      } catch (ExecutionException e) {
        // Reported by takeStored().
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Partitions taken from this member: no batch commits them any more (their new owner reads them again). */
  void forget(Collection<TopicPartition> partitions) {
    batches.forEach(dispatched -> dispatched.batch().forget(partitions));
  }
}
