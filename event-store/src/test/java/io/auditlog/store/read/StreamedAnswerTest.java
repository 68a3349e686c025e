package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.model.TenantInfluxUsers;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.StoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a streamed answer reads the shapes of InfluxDB 1.x's {@code chunked=true} answers, served here byte for byte
 * as InfluxDB 1.6.7 sends them (the same cases against InfluxDB itself are in the query-service's
 * {@code ConsoleListIT}): every line but the last says {@code "partial":true}; a statement stopped midway sends the
 * rows it had without {@code partial}, then its error.
 */
class StreamedAnswerTest {

  private static final String PARTIAL = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"web\",\"columns\":"
      + "[\"time\",\"id\"],\"values\":[[2,\"b\"],[1,\"a\"]],\"partial\":true}],\"partial\":true}]}\n";
  private static final String LAST = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"web\",\"columns\":"
      + "[\"time\",\"id\"],\"values\":[[0,\"z\"]]}]}]}\n";
  private static final String KILLED = "{\"results\":[{\"statement_id\":0,\"error\":\"query killed\"}]}\n";

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final AtomicInteger closed = new AtomicInteger();
  private String body;
  private int status = 200;
  private HttpServer server;
  private InfluxQueries influx;

  @BeforeEach
  void serve() throws Exception {
    server = await(vertx.createHttpServer().requestHandler(request -> request.response().setChunked(true)
        .setStatusCode(status).end(body)).listen(0, "127.0.0.1"));
    influx = new InfluxQueries(vertx, 5, Duration.ofSeconds(30), vertx.createHttpClient(),
        new TenantWorkers(vertx.createSharedWorkerExecutor("decoding"), 20, Duration.ofSeconds(5)),
        "http://127.0.0.1:" + server.actualPort(),
        new TenantInfluxUsers("streamed-answer-test-secret-0123456789"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void linesUntilTheLastThenTheEnd() throws Exception {
    body = PARTIAL + LAST;
    StreamedAnswer answer = open(1024);
    assertThat(lastFlags(answer, 2)).containsExactly(false, true);
    onLoop(answer::confirmEnd);
    assertThat(onLoop(answer::next)).as("the end").isNull();
    assertThat(closed).as("the permit, given back when the answer ended").hasValue(1);
    close(answer);
    assertThat(closed).hasValue(1);
  }

  @Test
  void anErrorAfterWhatLookedLikeTheLastLineFailsTheRead() throws Exception {
    body = PARTIAL + LAST + KILLED;
    StreamedAnswer answer = open(1024);
    assertThat(lastFlags(answer, 2)).containsExactly(false, true);
    assertThatThrownBy(() -> onLoop(answer::confirmEnd)).hasRootCauseInstanceOf(StoreException.class)
        .hasStackTraceContaining("query killed");
  }

  @Test
  void anAnswerThatEndsBeforeItsLastLineEndsWithoutIt() throws Exception {
    body = PARTIAL;
    StreamedAnswer answer = open(1024);
    assertThat(lastFlags(answer, 1)).containsExactly(false);
    assertThat(onLoop(answer::next)).as("no last line: the reader must fail the read").isNull();
  }

  @Test
  void aLineOverTheCapIsA422WhetherItArrivesWholeOrInPieces() throws Exception {
    String wide = PARTIAL.replace("\"b\"", "\"" + "b".repeat(4_000) + "\"");
    for (String shape : List.of(wide + LAST, PARTIAL + wide.repeat(100) + LAST)) {
      body = shape;
      StreamedAnswer answer = open(2_048);
      assertThatThrownBy(() -> lastFlags(answer, 2)).hasRootCauseMessage(ReadBudget.LINE_TOO_LARGE.getMessage());
      close(answer);
    }
    assertThat(closed).hasValue(2);
  }

  @Test
  void closingMidwayGivesThePermitBackOnce() throws Exception {
    body = PARTIAL.repeat(20_000) + LAST;
    StreamedAnswer answer = open(1024 * 1024);
    assertThat(lastFlags(answer, 1)).containsExactly(false);
    close(answer);
    close(answer);
    assertThat(closed).hasValue(1);
    assertThatThrownBy(() -> onLoop(answer::next)).as("nothing more once closed")
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void anEmptyLineIsNotInfluxDbsAnswer() throws Exception {
    body = PARTIAL + "\n" + LAST;
    StreamedAnswer answer = open(1024);
    assertThatThrownBy(() -> lastFlags(answer, 2)).hasRootCauseInstanceOf(StoreException.class);
  }

  @Test
  void anErrorAnswerIsItsOneLineAndAnOverlongOneFails() throws Exception {
    status = 400;
    body = "{\"error\":\"error parsing query: found EOF\"}";
    StreamedAnswer answer = open(1024);
    assertThat(closed).as("read whole, so given back at once").hasValue(1);
    Buffer line = onLoop(answer::next);
    assertThatThrownBy(() -> answer.decode(line)).isInstanceOf(StoreException.class)
        .hasMessageContaining("error parsing query");
    status = 500;
    body = "x".repeat(200_000);
    assertThatThrownBy(() -> open(1024)).hasRootCauseInstanceOf(StoreException.class);
    assertThat(closed).hasValue(2);
  }

  private StreamedAnswer open(int maxLineBytes) throws Exception {
    return onLoop(() -> influx.stream("tenant", InfluxQl.sql("SELECT id FROM web"), 2, maxLineBytes,
        Instant.now().plusSeconds(30), closed::incrementAndGet));
  }

  /**
   * Runs {@code work} on one event loop and waits for its future: a streamed answer is used from the context its
   * response is read on, as the scanner uses it (called from the test's thread, a line could arrive between its
   * checks and be left waiting).
   */
  private <T> T onLoop(Supplier<Future<T>> work) throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return await(done.future());
  }

  private void close(StreamedAnswer answer) throws Exception {
    onLoop(() -> {
      answer.close();
      return Future.succeededFuture();
    });
  }

  private List<Boolean> lastFlags(StreamedAnswer answer, int lines) throws Exception {
    List<Boolean> last = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      Buffer line = onLoop(answer::next);
      last.add(answer.decode(line).last());
    }
    return last;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
