package io.auditlog.store.read;

import io.auditlog.model.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether the caller of the request a read serves is still there. A server watches each request ({@link #watch});
 * work for a caller who went away is never started ({@link TenantTurns}), a task already running for one ends at its
 * next budget check ({@link ReadBudget#checking}), and a read waiting for something (its caller's writes, InfluxDB's
 * next line) stops waiting ({@link #orGone}), so that a tenant who sends reads and hangs up leaves no backlog behind
 * and holds nothing for longer than it stays. Kept in the request's own Vert.x context, as a context-local that must
 * exist before any Vert.x instance does: Vert.x finds this class as a service provider (META-INF/services), which
 * registers it.
 */
public final class CallerPresence implements VertxServiceProvider {

  private static final ContextLocal<Presence> PRESENCE = ContextLocal.registerLocal(Presence.class);
  private static final BooleanSupplier THERE = () -> false;

  /** The failure of work whose caller went away; nobody reads it. */
  static final ApiException CALLER_GONE = ApiException.of(503, "caller_gone",
      "The caller went away before the read ended; it was stopped.");

  @Override
  public void init(VertxBootstrap bootstrap) {
    // Loading the class registered the context-local; there is nothing else to set up.
  }

  /**
   * Watches the caller of the request being handled (on its own context, as a server's request is): run the answer
   * when that caller has gone, e.g. when the connection closed before the answer ended.
   */
  public static Runnable watch() {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal request && request.isDuplicate()) {
      Presence presence = new Presence();
      context.putLocal(PRESENCE, presence);
      return presence::leave;
    }
    return () -> { };
  }

  /**
   * From here on, the request on the current context runs to its end even if its caller leaves: a deletion, once
   * begun, must not stop between its statements, its trail points and its records. Work submitted earlier keeps the
   * caller it saw.
   */
  static void stayUntilDone() {
    Context context = Vertx.currentContext();
    if (context != null && context.getLocal(PRESENCE) != null) {
      context.putLocal(PRESENCE, new Presence());
    }
  }

  /** Whether the caller of the request on the current context has gone; never, off a watched request. */
  static BooleanSupplier current() {
    Presence presence = presence();
    return presence == null ? THERE : presence::gone;
  }

  /**
   * {@code waiting}, or a failure with {@link #CALLER_GONE} as soon as the caller of the request on the current
   * context goes away; {@code waiting} itself off a watched request.
   */
  static <T> Future<T> orGone(Future<T> waiting) {
    Presence presence = presence();
    if (presence == null || waiting.isComplete()) {
      return waiting;
    }
    Promise<T> outcome = Promise.promise();
    Runnable stop = () -> outcome.tryFail(CALLER_GONE);
    if (!presence.whenGone(stop)) {
      return Future.failedFuture(CALLER_GONE);
    }
    waiting.onComplete(done -> {
      presence.forget(stop);
      if (done.succeeded()) {
        outcome.tryComplete(done.result());
      } else {
        outcome.tryFail(done.cause());
      }
    });
    return outcome.future();
  }

  private static Presence presence() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(PRESENCE);
  }

  /** One request's caller: there or gone, and what to stop when it goes. */
  private static final class Presence {

    private final List<Runnable> onLeave = new ArrayList<>();
    private boolean gone;

    synchronized boolean gone() {
      return gone;
    }

    /** Runs {@code stop} when the caller goes; false, and nothing kept, when it has gone already. */
    synchronized boolean whenGone(Runnable stop) {
      if (!gone) {
        onLeave.add(stop);
      }
      return !gone;
    }

    synchronized void forget(Runnable stop) {
      onLeave.remove(stop);
    }

    void leave() {
      List<Runnable> stopping;
      synchronized (this) {
        if (gone) {
          return;
        }
        gone = true;
        stopping = List.copyOf(onLeave);
        onLeave.clear();
      }
      stopping.forEach(Runnable::run);
    }
  }
}
