package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The promise of an audit log, with real processes: what the gateway accepted ends up in InfluxDB exactly once,
 * through a worker killed with SIGKILL, workers leaving the group, and an InfluxDB outage.
 */
class IngestGuaranteesIT {

  private static List<Cluster.Tenant> tenants(Cluster cluster, int count) throws Exception {
    List<Cluster.Tenant> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tenants.add(cluster.newTenant());
    }
    return tenants;
  }

  /** Waits until every tenant's stored count reaches what was accepted, then checks it is exactly that. */
  private static void assertStoredExactly(Cluster cluster, EventStream stream, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean complete = false;
    while (!complete && System.nanoTime() < deadline) {
      complete = true;
      for (Map.Entry<String, AtomicLong> tenant : stream.accepted.entrySet()) {
        complete &= cluster.storedEvents(tenant.getKey()) >= tenant.getValue().get();
      }
      Thread.sleep(500);
    }
    Thread.sleep(1_000);
    for (Map.Entry<String, AtomicLong> tenant : stream.accepted.entrySet()) {
      long stored = cluster.storedEvents(tenant.getKey());
      assertThat(stored).as(() -> "events of tenant " + tenant.getKey() + "\n" + cluster.describe())
          .isEqualTo(tenant.getValue().get());
    }
  }

  @Test
  void aWorkerKilledMidStreamLosesAndDoublesNothing() throws Exception {
    try (Cluster cluster = new Cluster()) {
      List<Cluster.Tenant> tenants = tenants(cluster, 4);
      ChildProcess worker = cluster.startWorker();
      EventStream stream = new EventStream(cluster.base, tenants, 200, 100, 25).start();
      while (stream.answered.get() < 70) {
        Thread.sleep(50);
      }
      worker.kill();
      cluster.startWorker();
      stream.await();
      assertThat(stream.acceptedTotal()).isEqualTo(20_000);
      assertThat(stream.refused.get()).isZero();
      assertStoredExactly(cluster, stream, Duration.ofSeconds(120));
    }
  }

  @Test
  void threeWorkersShareThePartitionsAndSurviveOneLeaving() throws Exception {
    try (Cluster cluster = new Cluster()) {
      List<Cluster.Tenant> tenants = tenants(cluster, 6);
      List<ChildProcess> workers = List.of(cluster.startWorker(), cluster.startWorker(), cluster.startWorker());
      EventStream stream = new EventStream(cluster.base, tenants, 120, 100, 25).start();
      while (stream.answered.get() < 50) {
        Thread.sleep(50);
      }
      workers.get(1).close();
      stream.await();
      assertThat(stream.refused.get()).isZero();
      assertStoredExactly(cluster, stream, Duration.ofSeconds(120));
    }
  }

  @Test
  void anInfluxOutageDelaysButLosesNothing() throws Exception {
    try (Cluster cluster = new Cluster()) {
      List<Cluster.Tenant> tenants = tenants(cluster, 3);
      cluster.startWorker();
      EventStream stream = new EventStream(cluster.base, tenants, 80, 50, 250).start();
      while (stream.answered.get() < 20) {
        Thread.sleep(50);
      }
      cluster.stopInflux();
      int answeredBeforeOutage = stream.answered.get();
      Thread.sleep(10_000);
      int answeredDuringOutage = stream.answered.get() - answeredBeforeOutage;
      cluster.restartInflux();
      stream.await();
      // A request every 250 ms: about 40 in the outage's 10 s.
      assertThat(answeredDuringOutage).isGreaterThan(20);
      assertThat(stream.refused.get()).as("the gateway answered 202 throughout").isZero();
      assertStoredExactly(cluster, stream, Duration.ofSeconds(120));
    }
  }
}
