package io.auditlog.web;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server that closes connections holding no request: one that has sent no complete request head, or whose
 * last answer ended, for the idle time. A client that opens connections and sends nothing, trickles a request head
 * a byte at a time, or leaves keep-alive connections open therefore holds them no longer than that. A request in
 * progress is never cut for being slow to answer (an AuditConsole command may think for minutes without a byte on the
 * wire); only a connection on which nothing at all moves for {@link #SILENCE} is closed in any state.
 *
 * <p>The servers speak HTTP/1.1 only (no h2c upgrade). One instance per server: its state is touched only on that
 * server's event loop.
 */
public final class IdleConnections {

  /** Longer than any answer of the services waits in silence (the gateway waits up to 10 minutes for a command). */
  static final Duration SILENCE = Duration.ofMinutes(15);
  /**
   * The idle time of the services behind the gateway: longer than the 60 seconds for which the gateway's own client
   * keeps an unused connection, so that the gateway, not the service, closes it and never sends on a connection that
   * is being closed.
   */
  public static final Duration INTERNAL = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final long idleMillis;
  private final ConnectionAdmission admission;
  private final Map<HttpConnection, Tracked> connections = new HashMap<>();

  private IdleConnections(Vertx vertx, Duration idle, ConnectionAdmission admission) {
    this.vertx = vertx;
    this.idleMillis = idle.toMillis();
    this.admission = admission;
  }

  /** Requests in progress on one connection, and the timer that closes it when there are none. */
  private static final class Tracked {
    int requests;
    long timer = -1;
  }

  /** Serves {@code router} with {@code options}, closing connections that hold no request for {@code idle}. */
  public static Future<HttpServer> listen(Vertx vertx, HttpServerOptions options, Router router, Duration idle) {
    return listen(vertx, options, router, idle, ConnectionAdmission.ALL);
  }

  /** As {@link #listen(Vertx, HttpServerOptions, Router, Duration)}, keeping only what {@code admission} admits. */
  public static Future<HttpServer> listen(Vertx vertx, HttpServerOptions options, Router router, Duration idle,
      ConnectionAdmission admission) {
    IdleConnections tracker = new IdleConnections(vertx, idle, admission);
    router.route().order(Integer.MIN_VALUE).handler(tracker::request);
    // Without h2c the server knows a connection as HTTP/1.1 from its first byte, not only once a request head
    // arrived (to look for an upgrade), so a connection that sends nothing is seen and closed too.
    HttpServerOptions silent = new HttpServerOptions(options).setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) SILENCE.toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createHttpServer(silent).connectionHandler(tracker::opened)
        .invalidRequestHandler(FailureHandler::invalidRequest).requestHandler(router).listen();
  }

  private void opened(HttpConnection connection) {
    if (!admission.admit(connection)) {
      connection.close();
      return;
    }
    Tracked tracked = new Tracked();
    connections.put(connection, tracked);
    connection.closeHandler(closed -> {
      vertx.cancelTimer(tracked.timer);
      connections.remove(connection);
      admission.closed(connection);
    });
    closeWhenIdle(connection, tracked);
  }

  private void request(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    Tracked tracked = connections.get(connection);
    if (tracked == null) {
      // Not admitted: being closed, and a request that arrived with its opening is answered, not served.
      ctx.response().putHeader("Connection", "close");
      ctx.fail(ApiException.unavailable("too_many_connections", "The server keeps as many connections as it may; "
          + "retry shortly.", 1));
      return;
    }
    tracked.requests++;
    vertx.cancelTimer(tracked.timer);
    ctx.addEndHandler(ended -> {
      tracked.requests--;
      if (tracked.requests == 0 && connections.containsKey(connection)) {
        closeWhenIdle(connection, tracked);
      }
    });
    ctx.next();
  }

  private void closeWhenIdle(HttpConnection connection, Tracked tracked) {
    tracked.timer = vertx.setTimer(idleMillis, fired -> connection.close());
  }
}
