package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A read whose caller hangs up stops: a real HTTP server marks its requests, work queued for a caller who left never
 * starts, and a task running for one ends at its next budget check.
 */
class CallerPresenceTest {

  private final Vertx vertx = Vertx.vertx();
  private final TenantTurns turns = new TenantTurns(1, 1);
  private final TenantWorkers workers = new TenantWorkers(vertx.createSharedWorkerExecutor("presence"), 2,
      Duration.ofSeconds(30));
  /** Each request's outcome by its path: "started", "ran", or the failure's message. */
  private final Map<String, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> started = new ConcurrentHashMap<>();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int serve() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      Runnable left = CallerPresence.watch();
      request.response().closeHandler(closed -> left.run());
      String path = request.path();
      CompletableFuture<String> outcome = outcomes.computeIfAbsent(path, p -> new CompletableFuture<>());
      Future<String> work = path.startsWith("/queued") ? turns.run("t", () -> {
        started.put(path, true);
        return Future.succeededFuture("ran");
      }) : workers.execute("t", () -> {
        // A task that reads until its budget check stops it.
        Runnable check = ReadBudget.checking(Instant.now().plusSeconds(30));
        while (true) {
          check.run();
          Thread.sleep(10);
        }
      });
      work.onComplete(done -> outcome.complete(done.succeeded() ? done.result() : done.cause().getMessage()));
    });
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  private static Socket send(int port, String path) throws Exception {
    Socket caller = new Socket("127.0.0.1", port);
    OutputStream out = caller.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return caller;
  }

  private CompletableFuture<String> outcome(String path) {
    return outcomes.computeIfAbsent(path, p -> new CompletableFuture<>());
  }

  @Test
  void workQueuedForACallerWhoLeftNeverStartsAndOneWhoseCallerStaysDoes() throws Exception {
    int port = serve();
    Promise<Void> holder = Promise.promise();
    vertx.runOnContext(v -> turns.run("t", holder::future));
    try (Socket stays = send(port, "/queued-stays")) {
      try (Socket leaves = send(port, "/queued-leaves")) {
        Thread.sleep(300);
      }
      Thread.sleep(300);
      vertx.runOnContext(v -> holder.complete());
      assertThat(outcome("/queued-leaves").get(5, TimeUnit.SECONDS)).isEqualTo(CallerPresence.CALLER_GONE.getMessage());
      assertThat(outcome("/queued-stays").get(5, TimeUnit.SECONDS)).isEqualTo("ran");
    }
    assertThat(started).containsOnlyKeys("/queued-stays");
  }

  @Test
  void aTaskRunningForACallerWhoLeftEndsAtItsNextCheck() throws Exception {
    int port = serve();
    try (Socket leaves = send(port, "/running")) {
      Thread.sleep(300);
      assertThat(outcome("/running")).as("still running while its caller is there").isNotDone();
    }
    assertThat(outcome("/running").get(5, TimeUnit.SECONDS)).isEqualTo(CallerPresence.CALLER_GONE.getMessage());
  }
}
