package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenantWorkersTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void twoTenantsWithManySlowTasksHoldAQuarterOfTheThreadsEach() throws Exception {
    TenantWorkers workers = new TenantWorkers(vertx.createSharedWorkerExecutor("tenant-workers-test", 4), 4,
        Duration.ofMinutes(1));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger attackerRunning = new AtomicInteger();
    List<Future<Integer>> attacker = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      for (String account : List.of("attacker", "attacker2")) {
        attacker.add(workers.execute(account, () -> {
          attackerRunning.incrementAndGet();
          release.await();
          return 1;
        }));
      }
    }
    long started = System.nanoTime();
    String neighbour = workers.execute("neighbour", () -> "answered").toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertThat(neighbour).isEqualTo("answered");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
    // The neighbour may be answered before the second attacker's task has begun on its thread: wait for it, then
    // give any third one time to begin too.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (attackerRunning.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(200);
    assertThat(attackerRunning.get()).as("attacker tasks running, one per attacking tenant").isEqualTo(2);

    release.countDown();
    int done = 0;
    for (Future<Integer> task : attacker) {
      done += task.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertThat(done).isEqualTo(80);
  }

  @Test
  void aTenantWhoseTasksAreDoneIsNotTakenForOneNeverServed() throws Exception {
    TenantWorkers workers = new TenantWorkers(vertx.createSharedWorkerExecutor("tenant-workers-memory", 1), 1,
        Duration.ofMinutes(1));
    // c served first, then a; both done. Then another holds the one thread while c and a wait again.
    await(workers.execute("c", () -> "c1"));
    await(workers.execute("a", () -> "a1"));
    CountDownLatch release = new CountDownLatch(1);
    Future<String> b = workers.execute("b", () -> {
      release.await();
      return "b1";
    });
    List<String> started = new ArrayList<>();
    Future<String> c = workers.execute("c", () -> record(started, "c2"));
    Future<String> a = workers.execute("a", () -> record(started, "a2"));
    Thread.sleep(200);
    assertThat(started).isEmpty();
    release.countDown();
    for (Future<String> task : List.of(b, c, a)) {
      await(task);
    }
    // c was served longest ago, so it goes first; a task from a who was forgotten would have ranked first.
    assertThat(started).containsExactly("c2", "a2");
  }

  @Test
  void aClosedPoolFailsTasksAndGivesTheirThreadsBack() throws Exception {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor("tenant-workers-closed", 1);
    TenantWorkers workers = new TenantWorkers(pool, 1, Duration.ofMinutes(1));
    pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      assertThat(workers.execute("t", () -> "never").toCompletionStage().toCompletableFuture()
          .handle((v, failure) -> failure).get(5, TimeUnit.SECONDS)).isNotNull();
    }
  }

  private static String record(List<String> started, String task) {
    synchronized (started) {
      started.add(task);
    }
    return task;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTaskThatChecksItsBudgetEndsAtTheTaskTimeAndFreesItsThread() throws Exception {
    TenantWorkers workers = new TenantWorkers(vertx.createSharedWorkerExecutor("tenant-workers-time", 1), 1,
        Duration.ofMillis(300));
    long started = System.nanoTime();
    Future<Object> endless = workers.execute("attacker", () -> {
      Runnable check = ReadBudget.checking(Instant.MAX);
      while (true) {
        check.run();
      }
    });
    assertThat(endless.toCompletionStage().toCompletableFuture().handle((v, failure) -> failure)
        .get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ApiException.class,
            timedOut -> assertThat(timedOut.type()).isEqualTo("query_timeout"));
    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(250L, 5_000L);
    assertThat(workers.execute("neighbour", () -> "answered").toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS)).isEqualTo("answered");
    assertThat(TenantWorkers.taskDeadline()).isEqualTo(Instant.MAX);
  }

  @Test
  void aTenantThatWaitedLongerGoesFirstAndEachResultComesBackOnTheContextThatAsked() throws Exception {
    TenantWorkers workers = new TenantWorkers(vertx.createSharedWorkerExecutor("tenant-workers-turns", 2), 2,
        Duration.ofMinutes(1));
    Map<String, CountDownLatch> releases = Map.of("a1", new CountDownLatch(1), "b1", new CountDownLatch(1));
    List<String> started = new ArrayList<>();
    Context context = vertx.getOrCreateContext();
    CompletableFuture<List<Object>> onContext = new CompletableFuture<>();
    context.runOnContext(v -> {
      List<Future<Boolean>> answers = new ArrayList<>();
      // Two threads, one each at most: a1 and b1 run until released; c1 has waited without a turn, so it goes next.
      for (String task : List.of("a1", "a2", "a3", "b1", "b2", "c1")) {
        answers.add(workers.execute(task.substring(0, 1), () -> {
          synchronized (started) {
            started.add(task);
          }
          if (releases.containsKey(task)) {
            releases.get(task).await();
          }
          return true;
        }).map(done -> Vertx.currentContext() == context));
      }
      Future.all(answers).onComplete(all -> onContext.complete(all.result().list()));
    });
    Thread.sleep(300);
    synchronized (started) {
      assertThat(started).containsExactlyInAnyOrder("a1", "b1");
    }
    // One thread free while b1 holds the other: the waiting tasks run one by one, in the order they are handed out.
    releases.get("a1").countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (size(started) < 5 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    synchronized (started) {
      assertThat(started.subList(2, started.size())).containsExactly("c1", "a2", "a3");
    }
    releases.get("b1").countDown();
    assertThat(onContext.get(10, TimeUnit.SECONDS)).containsOnly(true).hasSize(6);
    assertThat(started).endsWith("b2");
    assertThat(started).containsExactlyInAnyOrder("a1", "a2", "a3", "b1", "b2", "c1");
  }

  private static int size(List<String> started) {
    synchronized (started) {
      return started.size();
    }
  }
}
