package io.auditlog.gateway;

import io.auditlog.web.ConnectionAdmission;
import io.auditlog.web.IdleConnections;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;

/**
 * The gateway's HTTP server on one event loop, with a router of its own over the shared components. Several
 * instances listen on the same port; Vert.x spreads the connections over them. Connections that hold no request for
 * {@code AUDIT_HTTP_IDLE_TIMEOUT} are closed ({@link IdleConnections}), and only the connections the shared
 * {@code admission} admits are kept.
 */
final class HttpVerticle extends VerticleBase {

  private final GatewayRoutes routes;
  private final HttpServerOptions options;
  private final Duration idle;
  private final ConnectionAdmission admission;
  private volatile Router router;

  HttpVerticle(GatewayRoutes routes, HttpServerOptions options, Duration idle, ConnectionAdmission admission) {
    this.routes = routes;
    this.options = options;
    this.idle = idle;
    this.admission = admission;
  }

  @Override
  public Future<HttpServer> start() {
    router = routes.router();
    return IdleConnections.listen(vertx, options, router, idle, admission);
  }

  /** This instance's routes, once started. */
  Router router() {
    return router;
  }
}
