package io.auditlog.gateway.health;

import io.auditlog.gateway.health.IngestionSample.Worker;
import io.auditlog.gateway.health.IngestionVerdict.Thresholds;
import io.auditlog.model.KafkaLogin;
import io.auditlog.web.HealthHandler.Report;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches ingestion from the outside, as Kafka sees it, on a thread of its own every sampling interval: the members
 * of the workers' consumer group, the lag (records on the events and ingress topics past the group's committed
 * offsets) and the age of the first uncommitted record of each lagging partition. On the events topic, which only
 * gateways write, that is the record's timestamp, looked up by time; on the ingress topic, which producers write
 * directly, it is how long this monitor has seen the record exist ({@link FirstSeenOffsets}), because a lookup by time
 * makes the broker decompress the partition's batches, whatever a producer put in them. All through the Admin API
 * with DESCRIBE rights only: no record is read. {@link #report()} judges the recent samples without calling Kafka.
 */
public final class IngestionMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestionMonitor.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration OLDEST_TRACKED = Duration.ofDays(30);

  private final Admin admin;
  private final String eventsTopic;
  private final List<String> topics;
  private final String group;
  private final Thresholds thresholds;
  private final Clock clock;
  private final Deque<IngestionSample> history = new ArrayDeque<>();
  private final FirstSeenOffsets firstSeen = new FirstSeenOffsets();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "ingestion-monitor");
    thread.setDaemon(true);
    return thread;
  });

  /** {@code eventsTopic}: written by gateways only; {@code ingressTopic}: written by producers directly. */
  public IngestionMonitor(String bootstrap, KafkaLogin login, String eventsTopic, String ingressTopic, String group,
      Thresholds thresholds, Clock clock) {
    Map<String, Object> properties = new HashMap<>(login.clientProperties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "gateway-ingestion-monitor");
    this.admin = Admin.create(properties);
    this.eventsTopic = eventsTopic;
    this.topics = List.of(eventsTopic, ingressTopic);
    this.group = group;
    this.thresholds = thresholds;
    this.clock = clock;
  }

  /**
   * Gauges of the newest sample, as this gateway sees ingestion: {@code auditlog_ingestion_lag},
   * {@code auditlog_ingestion_oldest_unstored_seconds} and {@code auditlog_ingestion_workers}.
   */
  public IngestionMonitor register(MeterRegistry registry) {
    Gauge.builder("auditlog_ingestion_lag", this, m -> m.latest().lag())
        .description("accepted records past the workers' committed offsets").register(registry);
    Gauge.builder("auditlog_ingestion_oldest_unstored_seconds", this,
            m -> m.latest().oldestUnstoredAge().toMillis() / 1000.0)
        .description("age of the oldest accepted, unstored record").register(registry);
    Gauge.builder("auditlog_ingestion_workers", this, m -> m.latest().workers().size())
        .description("members of the workers' consumer group").register(registry);
    return this;
  }

  private IngestionSample latest() {
    synchronized (history) {
      return history.isEmpty() ? IngestionSample.failed(clock.instant(), "not sampled yet") : history.peekLast();
    }
  }

  /** Takes a sample now and then every sampling interval. */
  public IngestionMonitor start() {
    long interval = thresholds.sampleInterval().toMillis();
    sampler.scheduleWithFixedDelay(this::sample, 0, interval, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The verdict on the samples so far (never calls Kafka; safe on an event loop). */
  public Future<Report> report() {
    List<IngestionSample> samples;
    synchronized (history) {
      samples = List.copyOf(history);
    }
    return Future.succeededFuture(IngestionVerdict.judge(samples, clock.instant(), thresholds));
  }

  private void sample() {
    Instant at = clock.instant();
    IngestionSample sample;
    try {
      sample = measure(at);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      sample = IngestionSample.failed(at, cause.getClass().getSimpleName() + ": " + cause.getMessage());
      LOG.warn("ingestion sample failed: {}", sample.error());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (history) {
      history.addLast(sample);
      Instant keepFrom = at.minus(thresholds.growthWindow()).minus(thresholds.sampleInterval().multipliedBy(2));
      while (history.size() > 2 && history.peekFirst().at().isBefore(keepFrom)) {
        history.removeFirst();
      }
    }
  }

  private IngestionSample measure(Instant at) throws ExecutionException, TimeoutException, InterruptedException {
    List<Worker> workers = workers();
    List<TopicPartition> partitions = partitions();
    Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata());
    Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> firstUnstored = new HashMap<>();
    List<TopicPartition> seen = new ArrayList<>();
    long oldest = at.toEpochMilli();
    long lag = 0;
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata commit = committed.get(partition);
      long from = Math.max(earliest.get(partition), commit == null ? 0 : commit.offset());
      long behind = Math.max(0, latest.get(partition) - from);
      if (behind == 0) {
        continue;
      }
      lag += behind;
      if (partition.topic().equals(eventsTopic)) {
        firstUnstored.put(partition, from);
      } else {
        seen.add(partition);
        oldest = Math.min(oldest, firstSeen.existsSince(partition, from, latest.get(partition), at).toEpochMilli());
      }
    }
    firstSeen.retainOnly(seen);
    if (!firstUnstored.isEmpty()) {
      oldest = Math.min(oldest, oldestTimestamp(firstUnstored, at.toEpochMilli()));
    }
    Duration age = Duration.between(Instant.ofEpochMilli(oldest), at);
    return new IngestionSample(at, workers, lag, age.isNegative() ? Duration.ZERO : age, null);
  }

  private List<Worker> workers() throws ExecutionException, TimeoutException, InterruptedException {
    ConsumerGroupDescription description;
    try {
      description = await(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw e;
    }
    return description.members().stream()
        .map(member -> new Worker(member.clientId(), (int) member.assignment().topicPartitions()
            .stream().filter(p -> topics.contains(p.topic())).count()))
        .toList();
  }

  private List<TopicPartition> partitions() throws ExecutionException, TimeoutException, InterruptedException {
    List<TopicPartition> partitions = new ArrayList<>();
    Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
    for (String topic : topics) {
      try {
        await(described.get(topic)).partitions()
            .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
    }
    return partitions;
  }

  private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, TimeoutException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(p -> p, p -> spec));
    return await(admin.listOffsets(request).all()).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  /**
   * The oldest of the timestamps of the records at the given offsets, found by bisection over ListOffsets by time:
   * the earliest offset whose timestamp is at or after {@code t} only grows with {@code t}, so the largest {@code t}
   * whose answer is still at or before a partition's offset is the newest timestamp up to that offset — the record's
   * own, as long as timestamps grow along the partition (the gateway's do). One call per step for all partitions;
   * a record older than {@link #OLDEST_TRACKED} counts as that old.
   */
  private long oldestTimestamp(Map<TopicPartition, Long> positions, long now)
      throws ExecutionException, TimeoutException, InterruptedException {
    Map<TopicPartition, Long> low = new HashMap<>();
    Map<TopicPartition, Long> high = new HashMap<>();
    positions.keySet().forEach(partition -> {
      low.put(partition, now - OLDEST_TRACKED.toMillis());
      high.put(partition, now + Duration.ofDays(1).toMillis());
    });
    while (low.entrySet().stream().anyMatch(e -> high.get(e.getKey()) - e.getValue() > 1)) {
      Map<TopicPartition, Long> middle = new HashMap<>();
      low.forEach((partition, from) -> middle.put(partition, from + (high.get(partition) - from) / 2));
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      middle.forEach((partition, t) -> request.put(partition, OffsetSpec.forTimestamp(t)));
      Map<TopicPartition, Long> answers = await(admin.listOffsets(request).all()).entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      middle.forEach((partition, t) -> {
        long first = answers.getOrDefault(partition, -1L);
        boolean reachesOffset = first >= 0 && first <= positions.get(partition);
        (reachesOffset ? low : high).put(partition, t);
      });
    }
    return low.values().stream().mapToLong(Long::longValue).min().orElse(now);
  }

  private static <T> T await(KafkaFuture<T> future)
      throws ExecutionException, TimeoutException, InterruptedException {
    return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    try {
      sampler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
