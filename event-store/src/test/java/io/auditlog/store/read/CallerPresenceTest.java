package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
 * A task running for a caller who hung up ends at its next budget check, and a read waiting for something stops
 * waiting (a real HTTP server watches its requests; work queued for such a caller never starts: the query-service's
 * {@code CallerWatchTest}).
 */
class CallerPresenceTest {

  private final Vertx vertx = Vertx.vertx();
  private final TenantWorkers workers = new TenantWorkers(vertx.createSharedWorkerExecutor("presence"), 2,
      Duration.ofSeconds(30));
  /** Each request's outcome by its path: the failure's message. */
  private final Map<String, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int serve() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      Runnable left = CallerPresence.watch();
      request.response().closeHandler(closed -> left.run());
      String path = request.path();
      CompletableFuture<String> outcome = outcome(path);
      if (path.equals("/waiting")) {
        // A read waiting for something that does not come (InfluxDB's next line, say), within a minute's budget.
        ReadBudget.within(Promise.<String>promise().future(), Instant.now().plusSeconds(60))
            .onComplete(done -> outcome.complete(done.succeeded() ? done.result() : done.cause().getMessage()));
        return;
      }
      boolean deletion = path.equals("/deletion");
      if (deletion) {
        CallerPresence.stayUntilDone();
      }
      Future<String> work = workers.execute("t", () -> {
        // A task that reads until its budget check stops it (a deletion's, for a second at most).
        Runnable check = ReadBudget.checking(Instant.now().plusSeconds(30));
        for (int i = 0; !deletion || i < 100; i++) {
          check.run();
          Thread.sleep(10);
        }
        return "done";
      });
      work.onComplete(done -> outcome.complete(done.succeeded() ? done.result() : done.cause().getMessage()));
    });
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  private CompletableFuture<String> outcome(String path) {
    return outcomes.computeIfAbsent(path, p -> new CompletableFuture<>());
  }

  /** Sends a GET of {@code path} and hangs up once its work has run for a moment, still unfinished. */
  private void sendAndLeave(int port, String path) throws Exception {
    try (Socket leaves = new Socket("127.0.0.1", port)) {
      leaves.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(300);
      assertThat(outcome(path)).as("still running while its caller is there").isNotDone();
    }
  }

  @Test
  void aTaskRunningForACallerWhoLeftEndsAtItsNextCheck() throws Exception {
    sendAndLeave(serve(), "/running");
    assertThat(outcome("/running").get(5, TimeUnit.SECONDS)).isEqualTo(CallerPresence.CALLER_GONE.getMessage());
  }

  @Test
  void aReadWaitingForSomethingStopsWaitingWhenItsCallerLeaves() throws Exception {
    sendAndLeave(serve(), "/waiting");
    assertThat(outcome("/waiting").get(5, TimeUnit.SECONDS)).isEqualTo(CallerPresence.CALLER_GONE.getMessage());
  }

  @Test
  void aDeletionOnceBegunRunsToItsEndWhenItsCallerLeaves() throws Exception {
    sendAndLeave(serve(), "/deletion");
    assertThat(outcome("/deletion").get(5, TimeUnit.SECONDS)).isEqualTo("done");
  }
}
