package io.auditlog.store.read;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The worker threads every tenant's reads share (decoding InfluxDB's answers, evaluating filters), handed out in turn
 * among the tenants that wait, never all to one ({@link TenantTurns}): a tenant that sends many slow reads at once
 * queues behind itself, and another tenant's next task takes the next free thread. One tenant holds at most all
 * threads but one, and a task may run for {@code taskTime} at most where it checks {@link #taskDeadline()} (every
 * read's budget check does), so no task holds a thread for long: tenants of one owner, who together could take every
 * thread, hold each for that long. Each task's result is delivered on the context that submitted it.
 */
public final class TenantWorkers {

  private static final ThreadLocal<Instant> TASK_DEADLINE = new ThreadLocal<>();

  private final WorkerExecutor pool;
  private final Duration taskTime;
  private final TenantTurns turns;

  public TenantWorkers(WorkerExecutor pool, int threads, Duration taskTime) {
    this.pool = pool;
    this.taskTime = taskTime;
    this.turns = new TenantTurns(threads, Math.max(1, threads - 1));
  }

  /**
   * Runs {@code work} on a worker thread when the tenant's turn comes. A pool that was closed refuses the task: it
   * fails, and its turn is over.
   */
  public <T> Future<T> execute(String tenant, Callable<T> work) {
    Callable<T> timed = () -> {
      TASK_DEADLINE.set(Instant.now().plus(taskTime));
      try {
        return work.call();
      } finally {
        TASK_DEADLINE.remove();
      }
    };
    return turns.run(tenant, () -> pool.executeBlocking(timed, false));
  }

  /** When the task running on this thread must end ({@link Instant#MAX} off the pool). */
  public static Instant taskDeadline() {
    Instant deadline = TASK_DEADLINE.get();
    return deadline == null ? Instant.MAX : deadline;
  }
}
