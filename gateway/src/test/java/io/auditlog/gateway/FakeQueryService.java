package io.auditlog.gateway;

import io.auditlog.infra.Ports;
import io.auditlog.web.InternalTokens;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the query-service where a test is about the gateway's authentication only: every request that carries
 * an internal token is answered {@code 200 0}, and counted.
 */
final class FakeQueryService implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger requests = new AtomicInteger();
  final String url;

  FakeQueryService() throws Exception {
    int port = Ports.free();
    vertx.createHttpServer().requestHandler(request -> {
      if (request.getHeader(InternalTokens.HEADER) == null) {
        request.response().setStatusCode(401).end();
      } else {
        requests.incrementAndGet();
        request.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("0");
      }
    }).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    url = "http://127.0.0.1:" + port;
  }

  /** How many requests reached it. */
  int requests() {
    return requests.get();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
