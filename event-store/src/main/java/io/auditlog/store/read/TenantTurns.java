package io.auditlog.store.read;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A fixed number of turns at a resource every tenant shares (worker threads, connections to another service), handed
 * out among the tenants that wait instead of first come, first served: a tenant that sends many slow requests at once
 * queues behind itself, and another tenant's next request takes the next free turn. One tenant holds at most
 * {@code perTenant} turns at once; shared resources give each a quarter ({@link #shared}). Each piece of work starts
 * on the context that submitted it, so its result is delivered there; work whose caller has gone by its turn
 * ({@link CallerPresence}) fails without starting.
 */
public final class TenantTurns {

  private final int turns;
  private final int perTenant;
  private final Map<String, Deque<Runnable>> waiting = new HashMap<>();
  private final Map<String, Integer> running = new HashMap<>();
  /**
   * When each tenant's last turn started, by a count of starts; kept when its work is done (one number per tenant
   * seen), or a tenant that asks step after step would rank as never served at each step and win every turn.
   */
  private final Map<String, Long> lastStart = new HashMap<>();
  private long starts;
  private int busy;

  /**
   * {@code turns} of which one tenant holds at most a quarter (at least one): two accounts of one owner, flooding
   * together, leave half the turns to everyone else, and it takes four to hold them all. Held for as long as what runs
   * in them (a query at InfluxDB, a request at the query-service), more turns for one tenant would not make its work
   * go faster on a machine of a few cores, only everyone else's slower.
   */
  public static TenantTurns shared(int turns) {
    return new TenantTurns(turns, Math.max(1, turns / 4));
  }

  public TenantTurns(int turns, int perTenant) {
    if (perTenant < 1 || perTenant > turns) {
      throw new IllegalArgumentException("a tenant's turns must be from 1 to " + turns + ": " + perTenant);
    }
    this.turns = turns;
    this.perTenant = perTenant;
  }

  /** Starts {@code work} when the tenant's turn comes; the turn is over when the work's future completes. */
  public <T> Future<T> run(String tenant, Supplier<Future<T>> work) {
    Context context = Vertx.currentContext();
    BooleanSupplier callerGone = CallerPresence.current();
    Promise<T> promise = Promise.promise();
    Runnable start = () -> {
      Future<T> working;
      try {
        working = callerGone.getAsBoolean() ? Future.failedFuture(CallerPresence.CALLER_GONE) : work.get();
      } catch (RuntimeException refused) {
        working = Future.failedFuture(refused);
      }
      working.onComplete(result -> {
        finished(tenant);
        promise.handle(result);
      });
    };
    Runnable turn = () -> {
      if (context == null || Vertx.currentContext() == context) {
        start.run();
      } else {
        context.runOnContext(v -> start.run());
      }
    };
    synchronized (this) {
      waiting.computeIfAbsent(tenant, t -> new ArrayDeque<>()).add(turn);
    }
    dispatch();
    return promise.future();
  }

  private void finished(String tenant) {
    synchronized (this) {
      busy--;
      running.merge(tenant, -1, (a, b) -> a + b == 0 ? null : a + b);
    }
    dispatch();
  }

  /** Starts waiting work while turns are free, each time the work of {@link #nextTenant()}. */
  private void dispatch() {
    List<Runnable> starting = new ArrayList<>();
    synchronized (this) {
      for (String next = nextTenant(); busy < turns && next != null; next = nextTenant()) {
        Deque<Runnable> queued = waiting.get(next);
        starting.add(queued.poll());
        if (queued.isEmpty()) {
          waiting.remove(next);
        }
        running.merge(next, 1, Integer::sum);
        lastStart.put(next, ++starts);
        busy++;
      }
    }
    starting.forEach(Runnable::run);
  }

  /**
   * Of the tenants that wait and may take one more turn, the one with the fewest running, and of those the one whose
   * last turn started longest ago; null when none may.
   */
  private String nextTenant() {
    String next = null;
    for (String tenant : waiting.keySet()) {
      if (running.getOrDefault(tenant, 0) < perTenant && (next == null || servedLess(tenant, next))) {
        next = tenant;
      }
    }
    return next;
  }

  private boolean servedLess(String tenant, String than) {
    int held = running.getOrDefault(tenant, 0);
    int otherHeld = running.getOrDefault(than, 0);
    return held < otherHeld
        || held == otherHeld && lastStart.getOrDefault(tenant, -1L) < lastStart.getOrDefault(than, -1L);
  }
}
