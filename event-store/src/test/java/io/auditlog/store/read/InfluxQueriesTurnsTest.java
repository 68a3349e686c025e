package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.model.ApiException;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.TenantInfluxUsers;
import io.auditlog.store.InfluxQl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The query-service's connections to InfluxDB are handed out by tenant: while two tenants' queries are slow (held
 * here by a server that answers them only when told), each holds a quarter of the connections, and another tenant's
 * query goes through.
 */
class InfluxQueriesTurnsTest {

  private static final String EMPTY = "{\"results\":[{\"statement_id\":0}]}";
  private static final int CONNECTIONS = 8;

  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger slowArrived = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void twoTenantsSlowQueriesHoldAQuarterOfTheConnectionsEach() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (request.getParam("db").startsWith(InfluxNames.database("slow"))) {
        slowArrived.incrementAndGet();
        held.add(request.response());
      } else {
        request.response().putHeader("Content-Type", "application/json").end(EMPTY);
      }
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    InfluxQueries influx = new InfluxQueries(vertx, CONNECTIONS, Duration.ofSeconds(30), vertx.createHttpClient(),
        new TenantWorkers(vertx.createSharedWorkerExecutor("decoding"), 4, Duration.ofSeconds(5)),
        "http://127.0.0.1:" + server.actualPort(), new TenantInfluxUsers("influx-queries-turns-test-0123456789"));
    InfluxQl query = InfluxQl.sql("SELECT * FROM ").then(InfluxQl.identifier("web"));
    List<Future<?>> slow = new ArrayList<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 20; i++) {
        slow.add(influx.run("slow", query));
        slow.add(influx.run("slow2", query));
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (slowArrived.get() < CONNECTIONS / 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Future<?> other = Future.future(promise -> vertx.runOnContext(v -> influx.run("other", query)
        .onComplete(promise)));
    assertThat(other.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(slowArrived).as("queries of the two slow tenants at InfluxDB at once").hasValue(CONNECTIONS / 2);
    held.forEach(response -> response.putHeader("Content-Type", "application/json").end(EMPTY));
  }

  @Test
  void aQueryNotAnsweredWithinItsTimeIsGivenUpItsConnectionClosedAndItsTurnGivenBack() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      slowArrived.incrementAndGet();
      request.connection().closeHandler(gone -> closed.incrementAndGet());
      held.add(request.response());
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    InfluxQueries influx = new InfluxQueries(vertx, 1, Duration.ofMillis(300),
        vertx.createHttpClient(), new TenantWorkers(vertx.createSharedWorkerExecutor("decoding"), 2,
            Duration.ofSeconds(5)), "http://127.0.0.1:" + server.actualPort(),
        new TenantInfluxUsers("influx-queries-turns-test-0123456789"));
    InfluxQl query = InfluxQl.sql("SELECT * FROM ").then(InfluxQl.identifier("web"));
    Future<?> first = Future.future(promise -> vertx.runOnContext(v -> influx.run("slow", query)
        .onComplete(promise)));
    Future<?> second = Future.future(promise -> vertx.runOnContext(v -> influx.run("slow", query)
        .onComplete(promise)));
    assertThatThrownBy(() -> first.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ApiException.class).cause().hasFieldOrPropertyWithValue("type", "query_timeout");
    assertThatThrownBy(() -> second.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ApiException.class);
    assertThat(slowArrived).as("the second query sent once the first gave its one turn back").hasValue(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (closed.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(closed).as("connections closed, which InfluxDB takes as the query's abort").hasValue(2);
  }
}
