package io.auditlog.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The gateway's HTTP server on one event loop, with a router of its own over the shared components. Several
 * instances listen on the same port; Vert.x spreads the connections over them.
 */
final class HttpVerticle extends VerticleBase {

  private final GatewayRoutes routes;
  private final HttpServerOptions options;
  private volatile Router router;

  HttpVerticle(GatewayRoutes routes, HttpServerOptions options) {
    this.routes = routes;
    this.options = options;
  }

  @Override
  public Future<HttpServer> start() {
    router = routes.router();
    return vertx.createHttpServer(options).requestHandler(router).listen();
  }

  /** This instance's routes, once started. */
  Router router() {
    return router;
  }
}
