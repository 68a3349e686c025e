package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.ApiException;
import io.auditlog.store.read.TenantTurns;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The query-service's routes watch their callers: behind a router as the service's, work queued for a request whose
 * caller hung up never starts, and work for one whose caller stays does.
 */
class CallerWatchTest {

  private final Vertx vertx = Vertx.vertx();
  private final TenantTurns turns = new TenantTurns(1, 1);
  private final Map<String, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<String> outcome(String path) {
    return outcomes.computeIfAbsent(path, p -> new CompletableFuture<>());
  }

  @Test
  void workQueuedForACallerWhoHungUpNeverStarts() throws Exception {
    Router router = Router.router(vertx);
    router.route().handler(new CallerWatch());
    router.route().handler(ctx -> {
      String path = ctx.request().path();
      turns.run("t", () -> {
        started.add(path);
        return Future.succeededFuture("ran");
      }).onComplete(done -> {
        outcome(path).complete(done.succeeded() ? done.result() : ((ApiException) done.cause()).type());
        if (!ctx.response().closed()) {
          ctx.response().end();
        }
      });
    });
    int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    Promise<Void> holder = Promise.promise();
    vertx.runOnContext(v -> turns.run("t", holder::future));
    try (Socket stays = send(port, "/stays")) {
      try (Socket leaves = send(port, "/leaves")) {
        Thread.sleep(300);
      }
      Thread.sleep(300);
      vertx.runOnContext(v -> holder.complete());
      assertThat(outcome("/leaves").get(5, TimeUnit.SECONDS)).isEqualTo("caller_gone");
      assertThat(outcome("/stays").get(5, TimeUnit.SECONDS)).isEqualTo("ran");
    }
    assertThat(started).containsExactly("/stays");
  }

  private static Socket send(int port, String path) throws Exception {
    Socket caller = new Socket("127.0.0.1", port);
    OutputStream out = caller.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return caller;
  }
}
