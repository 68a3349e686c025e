package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.store.TagShape;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.EventSink;
import io.auditlog.model.KafkaLogin;
import io.auditlog.model.InfluxCredential;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop's bookkeeping for records produced straight to Kafka, on a mock consumer (the real broker is in
 * IngestWorkerIT and the stack's DirectProducerIT): what is committed, with which stamp, and what is left alone.
 */
class IngestLoopTest {

  private static final String INGRESS = "ingress";
  private static final long MILLIS = 1_700_000_000_000L;
  private static final byte[] BODY = Json.MAPPER.valueToTree(SampleEvents.seedJson()).toString()
      .getBytes(StandardCharsets.UTF_8);

  private final TopicPartition first = new TopicPartition(INGRESS, 0);
  private final TopicPartition second = new TopicPartition(INGRESS, 1);
  private static final KafkaLogin LOGIN = KafkaLogin.scram("auditlog-ingest", "unused");
  /** Every offset committed, in order, kept after the consumer is closed. */
  private final List<Map<TopicPartition, OffsetAndMetadata>> commits = Collections.synchronizedList(new ArrayList<>());
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      commits.add(Map.copyOf(offsets));
      super.commitSync(offsets);
    }
  };
  private final List<String> stored = Collections.synchronizedList(new ArrayList<>());
  private final DeadLetters deadLetters = new DeadLetters("127.0.0.1:9", LOGIN, "dlq");

  @AfterEach
  void closeDeadLetters() {
    deadLetters.close();
  }

  @Test
  void aPartitionTakenAwayWhileTheAccountsDatabaseIsDownIsLeftToItsNewOwner() throws Exception {
    AtomicBoolean failed = new AtomicBoolean();
    KeyOwners owners = key -> {
      if (key.equals("key-1") && failed.compareAndSet(false, true)) {
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(first)));
        throw new EventSink.TransientWriteException("accounts database unavailable", null);
      }
      return Optional.of("7");
    };
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(first, second));
      consumer.updateBeginningOffsets(Map.of(first, 0L, second, 0L));
      for (int offset = 0; offset < 3; offset++) {
        consumer.addRecord(record(first, offset, MILLIS, "key-0"));
        consumer.addRecord(record(second, offset, MILLIS, "key-1"));
      }
    });

    Run run = runUntilCommitted(owners, 3);

    assertThat(run.loop().failed()).isFalse();
    List<Long> stamps = eventStamps();
    assertThat(stamps).hasSize(3).allSatisfy(nanos ->
        assertThat(Math.floorMod(nanos, 1_000_000L)).isBetween(500_000L, 500_999L));
    assertThat(run.committed().get(first)).isEqualTo(new OffsetAndMetadata(3, "stamp=" + stamps.get(2)));
    assertThat(run.committed().get(second)).isNull();
  }

  @Test
  void aNewOwnerStampsAfterTheCommittedStampEvenForAnOlderRecordTime() throws Exception {
    long checkpoint = MILLIS * 1_000_000L + 500_041L;
    consumer.schedulePollTask(() -> {
      // The partition's previous owner committed offset 5 with its stamp; then this member takes it over.
      consumer.rebalance(List.of(first));
      consumer.commitSync(Map.of(first, new OffsetAndMetadata(5, "stamp=" + checkpoint)));
      consumer.rebalance(List.of());
      consumer.rebalance(List.of(first));
      consumer.addRecord(record(first, 5, MILLIS - 3, "key-0"));
    });

    Run run = runUntilCommitted(key -> Optional.of("7"), 6);

    assertThat(eventStamps()).containsExactly(checkpoint + 1);
    assertThat(run.committed().get(first)).isEqualTo(new OffsetAndMetadata(6, "stamp=" + (checkpoint + 1)));
  }

  @Test
  void aBatchStoredBeforeAnEarlierOneWaitsForItsCommit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch laterStored = new CountDownLatch(1);
    EventSink sink = (database, lines) -> {
      if (database.endsWith("7")) {
        await(release);
      } else {
        laterStored.countDown();
      }
      stored.addAll(lines);
      return List.of();
    };
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(first));
      consumer.updateBeginningOffsets(Map.of(first, 0L));
      consumer.addRecord(record(first, 0, MILLIS, "key-7"));
    });
    consumer.schedulePollTask(() -> consumer.addRecord(record(first, 1, MILLIS, "key-8")));
    Started started = start(key -> Optional.of(key.substring(4)), sink, 4);

    assertThat(laterStored.await(20, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(300);
    assertThat(started.committed()).doesNotContainKey(first);
    release.countDown();
    Map<TopicPartition, OffsetAndMetadata> committed = started.awaitCommitted(2);
    started.stop();

    assertThat(committed.get(first).offset()).isEqualTo(2);
    assertThat(eventStamps()).hasSize(2);
  }

  @Test
  void theStoreStageFallingBehindPausesThePartitionsUntilItCatchesUp() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    EventSink sink = (database, lines) -> {
      await(release);
      stored.addAll(lines);
      return List.of();
    };
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(first));
      consumer.updateBeginningOffsets(Map.of(first, 0L));
      consumer.addRecord(record(first, 0, MILLIS, "key-0"));
    });
    consumer.schedulePollTask(() -> consumer.addRecord(record(first, 1, MILLIS, "key-0")));
    consumer.schedulePollTask(() -> consumer.addRecord(record(first, 2, MILLIS, "key-0")));
    Started started = start(key -> Optional.of("7"), sink, 2);

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && !pausedFirst()) {
      Thread.sleep(20);
    }
    assertThat(pausedFirst()).isTrue();
    assertThat(stored).isEmpty();
    release.countDown();
    Map<TopicPartition, OffsetAndMetadata> committed = started.awaitCommitted(3);
    boolean pausedAfter = pausedFirst();
    started.stop();

    assertThat(committed.get(first).offset()).isEqualTo(3);
    assertThat(pausedAfter).isFalse();
    assertThat(eventStamps()).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void aBatchHoldsAtMostItsBytesWhateverTheRecordsCarry() throws Exception {
    List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    EventSink sink = countingWrites(writes);
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(first));
      consumer.updateBeginningOffsets(Map.of(first, 0L));
      for (int offset = 0; offset < 5; offset++) {
        consumer.addRecord(record(first, offset, MILLIS, "key-0"));
      }
    });
    // A record's bytes are its value's and its api-key header's.
    int recordBytes = BODY.length + Topics.API_KEY_HEADER.length() + "key-0".length();
    Started started = start(key -> Optional.of("7"), sink, 4, 1_000, recordBytes * 2);
    Map<TopicPartition, OffsetAndMetadata> committed = started.awaitCommitted(5);
    started.stop();

    assertThat(committed.get(first).offset()).isEqualTo(5);
    // Two records of events and their trail points per write: 2 + 2 + 1 records (batches may land in any order).
    assertThat(writes).containsExactlyInAnyOrder(4, 4, 2);
  }

  @Test
  void aBatchOfEventsOfManySmallValuesHoldsFewerThanItsBytesAllow() throws Exception {
    List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    EventSink sink = countingWrites(writes);
    ObjectNode dense = SampleEvents.seedJson().deepCopy();
    ArrayNode empties = ((ObjectNode) dense.path("event").path("detail")).putArray("empties");
    for (int i = 0; i < 2_000; i++) {
      empties.addObject();
    }
    byte[] body = Json.toBytes(dense);
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(first));
      consumer.updateBeginningOffsets(Map.of(first, 0L));
      for (int offset = 0; offset < 6; offset++) {
        consumer.addRecord(record(first, offset, MILLIS, "key-0", body));
      }
    });
    // Ten such records fit the bytes; their trees, about 43 times their bytes, only two at a time.
    int recordBytes = body.length + Topics.API_KEY_HEADER.length() + "key-0".length();
    assertThat(DecodedCost.of(record(first, 0, MILLIS, "key-0", body))).isGreaterThan(40L * body.length);
    Started started = start(key -> Optional.of("7"), sink, 4, 1_000, recordBytes * 10);
    Map<TopicPartition, OffsetAndMetadata> committed = started.awaitCommitted(6);
    started.stop();

    assertThat(committed.get(first).offset()).isEqualTo(6);
    assertThat(writes).containsExactly(4, 4, 4);
  }

  @Test
  void aBatchThatEndsTheLoopOnAnErrorIsNeitherSkippedNorCommittedPast() throws Exception {
    AtomicBoolean thrown = new AtomicBoolean();
    KeyOwners owners = key -> {
      if (key.equals("key-1") && thrown.compareAndSet(false, true)) {
        throw new OutOfMemoryError("decoding ran out of heap");
      }
      return Optional.of("7");
    };
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(first));
      consumer.updateBeginningOffsets(Map.of(first, 0L));
      consumer.addRecord(record(first, 0, MILLIS, "key-0"));
      consumer.addRecord(record(first, 1, MILLIS, "key-1"));
      consumer.addRecord(record(first, 2, MILLIS, "key-2"));
    });
    Started started = start(owners, storing(), 4);
    started.thread.join(20_000);

    assertThat(started.thread.isAlive()).isFalse();
    assertThat(started.loop().failed()).isTrue();
    // Committed: the record before the error, and nothing past the record that was never stored.
    assertThat(commits).isNotEmpty().allSatisfy(offsets ->
        assertThat(offsets.get(first).offset()).isLessThanOrEqualTo(1));
    assertThat(eventStamps()).hasSize(1);
  }

  private boolean pausedFirst() {
    synchronized (consumer) {
      return consumer.paused().contains(first);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A finished loop, and the offsets committed when it was stopped. */
  private record Run(IngestLoop loop, Map<TopicPartition, OffsetAndMetadata> committed) {
  }

  /** Runs the loop until the first partition's committed offset is {@code offset} (or 20 s), then stops it. */
  private Run runUntilCommitted(KeyOwners owners, long offset) throws Exception {
    Started started = start(owners, storing(), 4);
    Map<TopicPartition, OffsetAndMetadata> committed = started.awaitCommitted(offset);
    started.stop();
    return new Run(started.loop(), committed);
  }

  /** A sink that stores every line at once. */
  private EventSink storing() {
    return (database, lines) -> {
      stored.addAll(lines);
      return List.of();
    };
  }

  private Started start(KeyOwners owners, EventSink sink, int batchesInFlight) {
    return start(owners, sink, batchesInFlight, 1, 4 << 20);
  }

  private Started start(KeyOwners owners, EventSink sink, int batchesInFlight, int batchSize, int batchBytes) {
    WorkerConfig config = new WorkerConfig("127.0.0.1", 0, "127.0.0.1:9", LOGIN, "events", INGRESS, "dlq", "group",
        "http://127.0.0.1:9", new InfluxCredential("audit_writer", "unused"), batchSize, batchBytes, Duration.ZERO, 2,
        batchesInFlight,
        Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(10),
        new WorkerConfig.Accounts("jdbc:none", "", "", Duration.ofSeconds(5), 1000, Duration.ofSeconds(30), true),
        new WorkerConfig.History(false, "localhost", "", Duration.ofSeconds(1), Duration.ofDays(7),
            Duration.ofDays(30)), PausePoint.Point.NONE);
    HistoryStage history = HistoryStage.off();
    IngressPartitions ingress = new IngressPartitions(history);
    IngestLoop loop = new IngestLoop(consumer, () -> new MockConsumer<>("earliest"),
        new RecordDecoder(INGRESS, ingress, owners, 1000), ingress, sink,
        history, ChangedHours.none(), TenantShapes.all(TagShape.FOUR_TAGS), deadLetters,
        new WorkerMetrics(new SimpleMeterRegistry()), config);
    Thread thread = new Thread(loop, "ingest-loop-test");
    thread.start();
    return new Started(loop, thread);
  }

  /** A running loop on the mock consumer. */
  private final class Started {
    private final IngestLoop loop;
    private final Thread thread;

    Started(IngestLoop loop, Thread thread) {
      this.loop = loop;
      this.thread = thread;
    }

    IngestLoop loop() {
      return loop;
    }

    /** The committed offsets once the first partition's is {@code offset}, or after 20 s. */
    Map<TopicPartition, OffsetAndMetadata> awaitCommitted(long offset) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
      while (System.nanoTime() < deadline && thread.isAlive()) {
        committed = committed();
        if (committed.containsKey(first) && committed.get(first).offset() == offset) {
          break;
        }
        Thread.sleep(20);
      }
      return committed;
    }

    Map<TopicPartition, OffsetAndMetadata> committed() {
      synchronized (consumer) {
        return new HashMap<>(consumer.committed(Set.of(first, second)));
      }
    }

    void stop() throws InterruptedException {
      loop.stop();
      thread.join(10_000);
    }
  }

  private List<Long> eventStamps() {
    return stored.stream().filter(line -> !LineProtocol.isTrail(line))
        .map(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sorted().toList();
  }

  /** A sink that stores every line and notes how many each write carried. */
  private EventSink countingWrites(List<Integer> writes) {
    return (database, lines) -> {
      writes.add(lines.size());
      stored.addAll(lines);
      return List.of();
    };
  }

  private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, long millis,
      String apiKey) {
    return record(partition, offset, millis, apiKey, BODY);
  }

  private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, long millis,
      String apiKey, byte[] body) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, millis,
        TimestampType.LOG_APPEND_TIME, 0, body.length, null, body, headers, Optional.empty());
  }
}
