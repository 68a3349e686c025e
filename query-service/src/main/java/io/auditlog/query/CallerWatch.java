package io.auditlog.query;

import io.auditlog.store.read.CallerPresence;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Watches each request's caller ({@link CallerPresence}): when the connection closes before the answer ended (the
 * gateway resets a request its own caller left), the read stops, queued or running.
 */
final class CallerWatch implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    Runnable left = CallerPresence.watch();
    ctx.addEndHandler(ended -> {
      if (ended.failed()) {
        left.run();
      }
    });
    ctx.next();
  }
}
