package io.auditlog.store.read;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * The worker threads every tenant's reads share (decoding InfluxDB's answers, evaluating filters), handed out in turn
 * among the tenants that wait, never all to one ({@link TenantTurns}): a tenant that sends many slow reads at once
 * queues behind itself, and another tenant's next task takes the next free thread. One tenant holds at most a
 * quarter of the threads (at least one), and a task may run for {@code taskTime} at most where it checks
 * {@link #taskDeadline()} (every read's budget check does), so no task holds a thread for long: four tenants of one
 * owner, who together could take every thread, hold each for that long. Each task's result is delivered on the
 * context that submitted it.
 */
public final class TenantWorkers {

  private static final ThreadLocal<Task> TASK = new ThreadLocal<>();

  /** The task running on a thread of the pool: when it must end, and whether its caller has gone. */
  private record Task(Instant deadline, BooleanSupplier callerGone) {
  }

  private final WorkerExecutor pool;
  private final Duration taskTime;
  private final TenantTurns turns;

  /** {@code threads} of {@code pool}, a quarter of them at most for one tenant ({@link TenantTurns#shared}). */
  public TenantWorkers(WorkerExecutor pool, int threads, Duration taskTime) {
    this(pool, TenantTurns.shared(threads), taskTime);
  }

  /** The threads of {@code pool}, handed out by {@code turns}. */
  public TenantWorkers(WorkerExecutor pool, TenantTurns turns, Duration taskTime) {
    this.pool = pool;
    this.taskTime = taskTime;
    this.turns = turns;
  }

  /**
   * Runs {@code work} on a worker thread when the tenant's turn comes. A pool that was closed refuses the task: it
   * fails, and its turn is over.
   */
  public <T> Future<T> execute(String tenant, Callable<T> work) {
    BooleanSupplier callerGone = CallerPresence.current();
    Callable<T> timed = () -> {
      TASK.set(new Task(Instant.now().plus(taskTime), callerGone));
      try {
        return work.call();
      } finally {
        TASK.remove();
      }
    };
    return turns.run(tenant, () -> pool.executeBlocking(timed, false));
  }

  /** When the task running on this thread must end ({@link Instant#MAX} off the pool). */
  public static Instant taskDeadline() {
    Task task = TASK.get();
    return task == null ? Instant.MAX : task.deadline();
  }

  /** Whether the caller of the task running on this thread has gone ({@link CallerPresence}); never off the pool. */
  static boolean callerGone() {
    Task task = TASK.get();
    return task != null && task.callerGone().getAsBoolean();
  }
}
