package io.auditlog.stack;

import io.auditlog.infra.Restartable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the start command's processes running: when one exits (and the stack is not stopping), it is started again
 * after a backoff that doubles with each fast failure (an exit, or a failed start, within {@link Policy#stableAfter}
 * of the last successful start). A process that has never run for {@link Policy#stableAfter} is given up on after
 * {@link Policy#maxFastFailures} fast failures in a row, and {@link #gaveUp()} completes with the reason: it cannot
 * run here (a setting, a port, a disk), and the operator is told at once. One that has run that long is started
 * again for as long as the stack runs, at most {@link Policy#maxBackoff} apart: what makes it fail now came later
 * (perhaps sent by a client, as a record that ended the worker on every start once did), and stopping every other
 * process for it would turn one service's outage into the whole stack's.
 */
final class Supervisor implements AutoCloseable {

  /** Backoff and give-up rules; {@link #DEFAULT} is what the start command uses. */
  record Policy(Duration firstBackoff, Duration maxBackoff, Duration stableAfter, int maxFastFailures) {
    static final Policy DEFAULT = new Policy(Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofSeconds(30), 5);

    Duration backoff(int fastFailures) {
      long millis = firstBackoff.toMillis() << Math.min(20, Math.max(0, fastFailures - 1));
      return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
  }

  private final Policy policy;
  private final Consumer<String> log;
  private final ScheduledExecutorService restarts = Executors.newScheduledThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "supervisor");
    thread.setDaemon(true);
    return thread;
  });
  private final CompletableFuture<String> gaveUp = new CompletableFuture<>();
  private volatile boolean stopping;

  Supervisor(Policy policy, Consumer<String> log) {
    this.policy = policy;
    this.log = log;
  }

  /** Watches {@code unit}, which has just been started successfully. */
  void watch(Restartable unit) {
    new Watch(unit).startedNow();
  }

  /** Completes with a one-line reason once the supervisor gave up on a process. */
  CompletableFuture<String> gaveUp() {
    return gaveUp;
  }

  /** Stops restarting: exits from now on are expected (the stack is shutting down). */
  @Override
  public void close() {
    stopping = true;
    restarts.shutdownNow();
  }

  /** The restart state of one process; only its own exit or restart callbacks touch it, one at a time. */
  private final class Watch {
    private final Restartable unit;
    private int fastFailures;
    private long startedAt;
    private boolean ranStably;

    Watch(Restartable unit) {
      this.unit = unit;
    }

    void startedNow() {
      startedAt = System.nanoTime();
      long pid = unit.process().pid();
      unit.process().exit().thenAccept(status -> exited(pid, status));
    }

    private void exited(long pid, int status) {
      if (stopping) {
        return;
      }
      failed(unit.name() + " (pid " + pid + ") exited with status " + status);
    }

    private void failed(String what) {
      boolean fast = System.nanoTime() - startedAt < policy.stableAfter().toNanos();
      fastFailures = fast ? fastFailures + 1 : 1;
      ranStably |= !fast;
      if (!ranStably && fastFailures > policy.maxFastFailures()) {
        String reason = unit.name() + " failed " + fastFailures + " times in a row, each within "
            + policy.stableAfter().toSeconds() + " s of starting (last: " + what + "); giving up";
        log.accept(reason);
        gaveUp.complete(reason);
        return;
      }
      Duration delay = policy.backoff(fastFailures);
      log.accept(what + "; starting it again in " + delay.toMillis() + " ms (attempt " + fastFailures + ")");
      try {
        restarts.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // stopping: nothing to restart
      }
    }

    private void restart() {
      if (stopping) {
        return;
      }
      startedAt = System.nanoTime();
      try {
        unit.startAgain();
      } catch (RuntimeException e) {
        failed(unit.name() + " did not start: " + firstLine(e.getMessage()));
        return;
      }
      log.accept(unit.name() + " is running again (pid " + unit.process().pid() + ")");
      startedNow();
    }
  }

  private static String firstLine(String message) {
    return message == null ? "(no message)" : message.lines().findFirst().orElse("");
  }
}
