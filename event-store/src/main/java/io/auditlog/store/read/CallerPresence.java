package io.auditlog.store.read;

import io.auditlog.model.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Whether the caller of the request a read serves is still there. A server watches each request ({@link #watch});
 * work for a caller who went away is never started ({@link TenantTurns}), and a task already running for one ends at
 * its next budget check ({@link ReadBudget#checking}), so that a tenant who sends reads and hangs up leaves no backlog
 * behind. Kept in the request's own Vert.x context, as a context-local that must exist before any Vert.x instance
 * does: Vert.x finds this class as a service provider (META-INF/services), which registers it.
 */
public final class CallerPresence implements VertxServiceProvider {

  private static final ContextLocal<AtomicBoolean> GONE = ContextLocal.registerLocal(AtomicBoolean.class);
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
      AtomicBoolean gone = new AtomicBoolean();
      context.putLocal(GONE, gone);
      return () -> gone.set(true);
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
    if (context != null && context.getLocal(GONE) != null) {
      context.putLocal(GONE, new AtomicBoolean());
    }
  }

  /** Whether the caller of the request on the current context has gone; never, off a watched request. */
  static BooleanSupplier current() {
    Context context = Vertx.currentContext();
    AtomicBoolean gone = context == null ? null : context.getLocal(GONE);
    return gone == null ? THERE : gone::get;
  }
}
