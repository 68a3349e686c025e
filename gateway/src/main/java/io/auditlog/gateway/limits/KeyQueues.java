package io.auditlog.gateway.limits;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Work under a set of keys, run one piece at a time per key in this process: the others wait in memory, holding
 * nothing, and are refused at once when {@code maxWaiting} already wait for one of their keys. Keys are taken one
 * after the other in the order given (callers sort them), so two pieces with keys in common never wait on each other
 * in a cycle. Each piece starts, and its result is delivered, on the context that submitted it.
 */
final class KeyQueues {

  private final int maxWaiting;
  /** The keys held, each with what waits for it. */
  private final Map<String, Deque<Runnable>> held = new HashMap<>();

  KeyQueues(int maxWaiting) {
    this.maxWaiting = maxWaiting;
  }

  /**
   * Runs {@code work} once it holds every key, and lets go of them when its future completes; fails with
   * {@code tooMany} without running it when one of its keys has {@code maxWaiting} waiting already.
   */
  <T> Future<T> run(List<String> keys, Supplier<Future<T>> work, Supplier<RuntimeException> tooMany) {
    synchronized (this) {
      for (String key : keys) {
        Deque<Runnable> waiting = held.get(key);
        if (waiting != null && waiting.size() >= maxWaiting) {
          return Future.failedFuture(tooMany.get());
        }
      }
    }
    Context context = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    take(keys, 0, context, () -> {
      Future<T> working;
      try {
        working = work.get();
      } catch (RuntimeException e) {
        working = Future.failedFuture(e);
      }
      working.onComplete(done -> {
        keys.forEach(this::release);
        result.handle(done);
      });
    });
    return result.future();
  }

  /** Takes {@code keys} from {@code index} on, in order, then runs {@code then}. */
  private void take(List<String> keys, int index, Context context, Runnable then) {
    if (index == keys.size()) {
      then.run();
      return;
    }
    Runnable next = () -> take(keys, index + 1, context, then);
    boolean free;
    synchronized (this) {
      Deque<Runnable> waiting = held.get(keys.get(index));
      free = waiting == null;
      if (free) {
        held.put(keys.get(index), new ArrayDeque<>());
      } else {
        waiting.add(context == null ? next : () -> context.runOnContext(v -> next.run()));
      }
    }
    if (free) {
      next.run();
    }
  }

  /** Hands the key to what waited longest for it, or lets it go. */
  private void release(String key) {
    Runnable next;
    synchronized (this) {
      Deque<Runnable> waiting = held.get(key);
      next = waiting.poll();
      if (next == null) {
        held.remove(key);
      }
    }
    if (next != null) {
      next.run();
    }
  }

  /** Keys held or waited for, for tests. */
  synchronized int keys() {
    return held.size();
  }
}
