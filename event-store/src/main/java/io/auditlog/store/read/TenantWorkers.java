package io.auditlog.store.read;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The worker threads every tenant's reads share (decoding InfluxDB's answers, evaluating filters), handed out in turn
 * among the tenants that wait, never all to one: a tenant that sends many slow reads at once queues behind itself, and
 * another tenant's next task takes the next free thread. One tenant holds at most all threads but one, and a task may
 * run for {@code taskTime} at most where it checks {@link #taskDeadline()} (every read's budget check does), so no
 * task holds a thread for long: tenants of one owner, who together could take every thread, hold each for that long.
 * Each task's result is delivered on the context that submitted it.
 */
public final class TenantWorkers {

  private static final ThreadLocal<Instant> TASK_DEADLINE = new ThreadLocal<>();

  private final WorkerExecutor pool;
  private final Duration taskTime;
  private final int threads;
  private final int perTenant;
  private final Map<String, Deque<Runnable>> waiting = new HashMap<>();
  private final Map<String, Integer> running = new HashMap<>();
  /**
   * When each tenant's last task started, by a count of starts; kept when its tasks are done (one number per tenant
   * seen), or a tenant that reads step after step would rank as never served at each step and win every turn.
   */
  private final Map<String, Long> lastStart = new HashMap<>();
  private long starts;
  private int busy;

  public TenantWorkers(WorkerExecutor pool, int threads, Duration taskTime) {
    this.pool = pool;
    this.taskTime = taskTime;
    this.threads = threads;
    this.perTenant = Math.max(1, threads - 1);
  }

  /** Runs {@code work} on a worker thread when the tenant's turn comes. */
  public <T> Future<T> execute(String tenant, Callable<T> work) {
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    Callable<T> timed = () -> {
      TASK_DEADLINE.set(Instant.now().plus(taskTime));
      try {
        return work.call();
      } finally {
        TASK_DEADLINE.remove();
      }
    };
    Runnable start = () -> {
      try {
        pool.executeBlocking(timed, false).onComplete(result -> {
          finished(tenant);
          promise.handle(result);
        });
      } catch (RuntimeException refused) {
        // A pool that was closed refuses the task: it ends, and the thread it was counted on is free again.
        finished(tenant);
        promise.tryFail(refused);
      }
    };
    Runnable task = () -> {
      if (context == null || Vertx.currentContext() == context) {
        start.run();
      } else {
        context.runOnContext(v -> start.run());
      }
    };
    synchronized (this) {
      waiting.computeIfAbsent(tenant, t -> new ArrayDeque<>()).add(task);
    }
    dispatch();
    return promise.future();
  }

  /** When the task running on this thread must end ({@link Instant#MAX} off the pool). */
  public static Instant taskDeadline() {
    Instant deadline = TASK_DEADLINE.get();
    return deadline == null ? Instant.MAX : deadline;
  }

  private void finished(String tenant) {
    synchronized (this) {
      busy--;
      running.merge(tenant, -1, (a, b) -> a + b == 0 ? null : a + b);
    }
    dispatch();
  }

  /**
   * Starts waiting tasks while threads are free: each time, of the tenants that wait and may take one more thread,
   * the one with the fewest running, and of those the one whose last task started longest ago.
   */
  private void dispatch() {
    List<Runnable> starting = new ArrayList<>();
    synchronized (this) {
      while (busy < threads) {
        String next = null;
        for (String tenant : waiting.keySet()) {
          int held = running.getOrDefault(tenant, 0);
          if (held < perTenant && (next == null || held < running.getOrDefault(next, 0)
              || held == running.getOrDefault(next, 0) && lastStart.getOrDefault(tenant, -1L)
                  < lastStart.getOrDefault(next, -1L))) {
            next = tenant;
          }
        }
        if (next == null) {
          break;
        }
        Deque<Runnable> tasks = waiting.get(next);
        starting.add(tasks.poll());
        if (tasks.isEmpty()) {
          waiting.remove(next);
        }
        running.merge(next, 1, Integer::sum);
        lastStart.put(next, ++starts);
        busy++;
      }
    }
    starting.forEach(Runnable::run);
  }
}
