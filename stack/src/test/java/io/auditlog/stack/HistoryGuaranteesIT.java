package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.ChildProcess;
import io.auditlog.model.Topics;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.Proofs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifiable history through crashes and rebalances, with real processes: a worker killed with SIGKILL right
 * after the history's commit or right after the InfluxDB write (and after the history's commit with an access key
 * rotated before the records are read again), and three workers joining, leaving, stalling past their poll interval
 * while partitions are added. Afterwards every event holds exactly one leaf (the tree's size is
 * the number of events), every tenant's whole export verifies offline, and consecutive checkpoints are consistent.
 */
class HistoryGuaranteesIT {

  private static final String DIRECT_EVENT = """
      {"category":"direct","source_information":{"application":"producer","environment":"prod"},
       "method":"PUT","status":"ok","level":"info","event":{"name":"Sync","type":"job","total_duration":1,
       "affected_resources":1,"latency":1,"cpu_usage":1,"memory_usage":1},"actor":{"origin":"10.1.1.1"}}""";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"placed", "written"})
  void aWorkerKilledAtEitherCommitKeepsOneUnchangedLeafPerEvent(String point) throws Exception {
    try (Cluster cluster = new Cluster()) {
      List<Cluster.Tenant> tenants = List.of(cluster.newTenant(), cluster.newTenant());
      ChildProcess worker = cluster.startWorker(Map.of("AUDIT_KAFKA_SESSION_TIMEOUT", "6s",
          "AUDIT_TEST_PAUSE_AT", point));
      EventStream stream = new EventStream(cluster.base, tenants, 80, 50, 20).start();
      int direct = produceDirectly(cluster, tenants.get(0), 20, 5, null);
      awaitLog(worker, "paused at " + point, Duration.ofSeconds(60));
      worker.kill();
      cluster.startWorker();
      stream.await();
      assertThat(stream.refused.get()).isZero();
      for (Cluster.Tenant tenant : tenants) {
        long events = stream.accepted.get(tenant.id()).get() + (tenant == tenants.get(0) ? direct : 0);
        assertOneLeafPerEventAndVerified(cluster, tenant, events);
      }
    }
  }

  /**
   * One tenant's records placed, its access key rotated, the worker killed before it committed: read again, those
   * records are stored as placed (though their key no longer works), and the next tenant's records, later in the same
   * partition, keep the stamps their leaves commit to.
   */
  @Test
  void recordsPlacedBeforeTheirKeyWasRotatedAreStoredAsPlacedAfterACrash() throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant rotated = cluster.newTenant();
      Cluster.Tenant next = cluster.newTenant();
      int rotatedEvents = produceDirectly(cluster, rotated, 10, 3, 0);
      int nextEvents = produceDirectly(cluster, next, 10, 2, 0);
      ChildProcess worker = cluster.startWorker(Map.of("AUDIT_KAFKA_SESSION_TIMEOUT", "6s",
          "AUDIT_TEST_PAUSE_AT", "placed"));
      awaitLog(worker, "paused at placed", Duration.ofSeconds(60));
      assertThat(new HistoryClient(cluster, rotated).awaitCheckpoint(rotatedEvents, Duration.ofSeconds(30)).size())
          .isEqualTo(rotatedEvents);
      assertThat(new HistoryClient(cluster, next).awaitCheckpoint(nextEvents, Duration.ofSeconds(30)).size())
          .isEqualTo(nextEvents);
      cluster.rotateAccessKey(rotated);
      HttpResponse<String> oldKey = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/audit/log"))
          .header("api-key", rotated.accessKey()).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(DIRECT_EVENT)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(oldKey.statusCode()).as("the old key no longer works").isEqualTo(401);
      worker.kill();
      cluster.startWorker();
      assertOneLeafPerEventAndVerified(cluster, rotated, rotatedEvents);
      assertOneLeafPerEventAndVerified(cluster, next, nextEvents);
    }
  }

  @Test
  void threeWorkersJoiningLeavingStallingAndNewPartitionsKeepOneConsistentHistory() throws Exception {
    try (Cluster cluster = new Cluster()) {
      List<Cluster.Tenant> tenants = List.of(cluster.newTenant(), cluster.newTenant(), cluster.newTenant());
      ChildProcess first = cluster.startWorker();
      ChildProcess second = cluster.startWorker();
      EventStream stream = new EventStream(cluster.base, tenants, 150, 40, 30).start();
      CheckpointWatch watch = new CheckpointWatch(new HistoryClient(cluster, tenants.get(0))).start();
      awaitAnswered(stream, 30);
      ChildProcess third = cluster.startWorker();
      awaitAnswered(stream, 60);
      Cluster.signal(second.pid(), "STOP");
      Thread.sleep(10_000);
      try (Admin admin = Admin.create(cluster.kafka().operatorProperties())) {
        admin.createPartitions(Map.of(Topics.EVENTS, NewPartitions.increaseTo(9))).all().get(30, TimeUnit.SECONDS);
      }
      Cluster.signal(second.pid(), "CONT");
      awaitAnswered(stream, 100);
      first.close();
      stream.await();
      assertThat(stream.refused.get()).isZero();
      for (Cluster.Tenant tenant : tenants) {
        assertOneLeafPerEventAndVerified(cluster, tenant, stream.accepted.get(tenant.id()).get());
      }
      watch.stop();
      assertThat(watch.sizes).hasSizeGreaterThan(2);
      watch.assertConsecutiveConsistent();
      assertThat(third.isAlive()).isTrue();
    }
  }

  private void assertOneLeafPerEventAndVerified(Cluster cluster, Cluster.Tenant tenant, long events)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (cluster.storedEvents(tenant.id()) < events && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertThat(cluster.storedEvents(tenant.id())).as(() -> "stored events\n" + cluster.describe()).isEqualTo(events);
    HistoryClient history = new HistoryClient(cluster, tenant);
    Checkpoint checkpoint = history.awaitCheckpoint(events, Duration.ofSeconds(30));
    Thread.sleep(1_500);
    assertThat(history.checkpoint().size()).as("one leaf per event, no more").isEqualTo(events)
        .isEqualTo(checkpoint.size());
    HistoryClient.Verdict verdict = history.verify(history.export(dir.resolve(tenant.id() + ".ndjson"), ""));
    assertThat(verdict.exit()).as(verdict.output()).isZero();
    assertThat(verdict.output()).contains("present " + events + ", redacted 0, missing 0", "RESULT: OK");
  }

  /**
   * Sends {@code records} records of {@code events} events each to the ingress topic, to {@code partition} or where
   * their keys fall (null); answers the event count.
   */
  private static int produceDirectly(Cluster cluster, Cluster.Tenant tenant, int records, int events,
      Integer partition) throws Exception {
    Map<String, Object> properties = Cluster.producerProperties(cluster.kafkaCredential(tenant));
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    String body = "[" + String.join(",", java.util.Collections.nCopies(events, DIRECT_EVENT)) + "]";
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < records; i++) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGRESS, partition, "producer-" + i,
            body);
        record.headers().add(Topics.API_KEY_HEADER, tenant.accessKey().getBytes(StandardCharsets.UTF_8));
        producer.send(record).get(30, TimeUnit.SECONDS);
      }
    }
    return records * events;
  }

  private static void awaitLog(ChildProcess process, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!process.tail(400).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in " + process.name() + "\n" + process.tail(40));
      }
      Thread.sleep(100);
    }
  }

  private static void awaitAnswered(EventStream stream, int answered) throws InterruptedException {
    while (stream.answered.get() < answered) {
      Thread.sleep(50);
    }
  }

  /** The sizes of the checkpoints one tenant's tree had, read every 300 ms while the load runs. */
  private static final class CheckpointWatch implements Runnable {
    private final HistoryClient history;
    private final Set<Long> sizes = new TreeSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this, "checkpoint-watch");

    CheckpointWatch(HistoryClient history) {
      this.history = history;
    }

    CheckpointWatch start() {
      thread.start();
      return this;
    }

    @Override
    public void run() {
      while (running.get()) {
        try {
          Checkpoint latest = history.checkpoint();
          if (latest != null) {
            synchronized (sizes) {
              sizes.add(latest.size());
            }
          }
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // The gateway may be busy; the next read will do.
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(5_000);
    }

    /** Each checkpoint seen, with the next one seen, has a consistency proof that verifies against both roots. */
    void assertConsecutiveConsistent() throws Exception {
      List<Long> seen = new ArrayList<>(sizes);
      for (int i = 0; i + 1 < seen.size(); i++) {
        long from = seen.get(i);
        long to = seen.get(i + 1);
        Checkpoint older = note(from);
        Checkpoint newer = note(to);
        JsonNode proof = history.json("/proof/consistency?from=" + from + "&to=" + to);
        List<byte[]> hashes = new ArrayList<>();
        proof.path("hashes").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
        Proofs.verifyAppendOnly(from, to, older.root(), newer.root(), hashes);
      }
    }

    private Checkpoint note(long size) throws Exception {
      String text = new String(history.get("/checkpoints/" + size).body(), StandardCharsets.UTF_8);
      return Checkpoint.parse(io.auditlog.verify.SignedNote.open(text, history.keys()).body());
    }
  }
}
