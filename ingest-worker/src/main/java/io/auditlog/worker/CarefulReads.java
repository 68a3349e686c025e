package io.auditlog.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Ingress partitions read one record at a time, after a poll of the group's consumer ran out of heap. The broker
 * limits a record batch by its compressed size only, so a producer writing to the ingress topic itself can send a
 * record whose value decompresses to more than the worker's heap, and the consumer allocates a value whole before
 * anything could refuse it; every member that polled it would fail, again and again. Each partition read here is
 * paused in the group's consumer and read by a consumer of its own (no group, one record a poll) from the next offset
 * the loop has not gathered up to the end the partition had when the poll failed. A poll of one record that runs out
 * of heap, while the heap is otherwise mostly free once that consumer is closed, names that record by its offset: it
 * is reported ({@link Sink#unreadable}) and passed, and a new consumer reads on after it. Past that end, the partition
 * goes back to the group's consumer ({@link #finished()}).
 */
final class CarefulReads implements AutoCloseable {

  /** Where the records read here go, one by one, in each partition's offset order. */
  interface Sink {
    /** A record read; false when no more are wanted for now. */
    boolean read(ConsumerRecord<byte[], byte[]> record);

    /** The record at {@code offset} could not be read; false when no more are wanted for now. */
    boolean unreadable(TopicPartition partition, long offset);
  }

  /** How long a poll of one partition's consumer waits for its next record. */
  private static final Duration POLL = Duration.ofMillis(20);

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final Map<TopicPartition, Reader> readers = new HashMap<>();

  /** {@code consumers}: a new consumer outside any group, each call, which returns one record a poll. */
  CarefulReads(Supplier<Consumer<byte[], byte[]>> consumers) {
    this.consumers = consumers;
  }

  /** One partition's consumer, and the offset past which the partition is read by the group's consumer again. */
  private record Reader(Consumer<byte[], byte[]> consumer, long end) {
    boolean done(TopicPartition partition) {
      return consumer.position(partition) >= end;
    }
  }

  /** Reads {@code partition} here from {@code from} until {@code end}. */
  void start(TopicPartition partition, long from, long end) {
    readers.put(partition, reader(partition, from, end));
  }

  private Reader reader(TopicPartition partition, long from, long end) {
    Consumer<byte[], byte[]> consumer = consumers.get();
    consumer.assign(List.of(partition));
    consumer.seek(partition, from);
    return new Reader(consumer, end);
  }

  boolean isEmpty() {
    return readers.isEmpty();
  }

  Set<TopicPartition> partitions() {
    return readers.keySet();
  }

  /**
   * Reads each partition read here into {@code sink}, one record a poll, until it has no record at hand, is read to its
   * end, or the sink wants no more. A record whose read runs out of heap is given to the sink as unreadable and passed.
   */
  void poll(Sink sink) {
    for (Map.Entry<TopicPartition, Reader> entry : readers.entrySet()) {
      TopicPartition partition = entry.getKey();
      boolean more = true;
      while (more && !entry.getValue().done(partition)) {
        Reader reader = entry.getValue();
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = reader.consumer().poll(POLL);
        } catch (OutOfMemoryError e) {
          long offset = reader.consumer().position(partition);
          // A consumer keeps the record it read last while it reads the next one, and that record may be large too:
          // it goes with the consumer before the heap is judged, and a new consumer reads on past the failed record.
          reader.consumer().close(Duration.ZERO);
          if (!heapMostlyFree()) {
            throw e;
          }
          entry.setValue(reader(partition, offset + 1, reader.end()));
          more = sink.unreadable(partition, offset);
          continue;
        }
        if (records.isEmpty()) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
          more = sink.read(record);
        }
      }
      if (!more) {
        return;
      }
    }
  }

  /**
   * Whether at most half the heap is in use once collected, just after an out-of-memory error: then what failed was one
   * allocation larger than the room left, a record's, not the heap filling up with everything else. A record is taken
   * for unreadable only so; otherwise the error stands. (A request larger than the whole heap may fail without a
   * collection first, hence the one asked for here, on this rare path.)
   */
  static boolean heapMostlyFree() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory() <= runtime.maxMemory() / 2;
  }

  /** The partitions read past their end, each with the offset the group's consumer goes on from; no longer read here. */
  Map<TopicPartition, Long> finished() {
    Map<TopicPartition, Long> finished = new HashMap<>();
    readers.forEach((partition, reader) -> {
      if (reader.done(partition)) {
        finished.put(partition, reader.consumer().position(partition));
      }
    });
    forget(finished.keySet());
    return finished;
  }

  /** Stops reading {@code partitions} here (taken away, or finished). */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : List.copyOf(partitions)) {
      Reader reader = readers.remove(partition);
      if (reader != null) {
        reader.consumer().close(Duration.ofSeconds(5));
      }
    }
  }

  @Override
  public void close() {
    forget(List.copyOf(readers.keySet()));
  }
}
