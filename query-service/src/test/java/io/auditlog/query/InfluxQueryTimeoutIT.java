package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.TenantInfluxUsers;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.read.InfluxQueries;
import io.auditlog.store.read.TenantWorkers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A query InfluxDB has not answered within its time is given up, and InfluxDB, whose client went away, aborts it
 * rather than working on for nobody (checked with {@code SHOW QUERIES} against the real InfluxDB).
 */
class InfluxQueryTimeoutIT {

  private static final long FROM = 1_600_000_000_000_000_000L;

  @Test
  void aQueryGivenUpForTimeIsAbortedByInfluxDb() throws Exception {
    String tenant = "slowq" + UUID.randomUUID().toString().substring(0, 8);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      lines.add("m,k=a v=" + i + "i " + (FROM + i * 3_600_000_000_000L));
    }
    assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant), lines)).isEmpty();
    // Counted per millisecond over the points' months: billions of windows, many seconds of InfluxDB's work.
    InfluxQl heavy = InfluxQl.sql("SELECT count(").then(InfluxQl.identifier("v")).then(") FROM ")
        .then(InfluxQl.identifier("m")).then(" WHERE time >= ").then(InfluxQl.integer(FROM)).then(" AND time < ")
        .then(InfluxQl.integer(FROM + 2_000 * 3_600_000_000_000L)).then(" GROUP BY time(1ms)");
    Vertx vertx = Vertx.vertx();
    try {
      InfluxQueries influx = new InfluxQueries(vertx, 2, Duration.ofSeconds(1),
          vertx.createHttpClient(), new TenantWorkers(vertx.createSharedWorkerExecutor("decoding"), 2,
              Duration.ofSeconds(5)), TestQueryService.SERVICES.influx().url(),
          new TenantInfluxUsers(TestQueryService.SERVICES.influxAccess().tenantSecret()));
      long started = System.nanoTime();
      Future<JsonNode> read = Future.future(promise -> vertx.runOnContext(v -> influx.run(tenant, heavy)
          .onComplete(promise)));
      boolean seenRunning = false;
      while (!seenRunning && !read.isComplete()) {
        seenRunning = running(tenant);
        Thread.sleep(50);
      }
      assertThat(seenRunning).as("InfluxDB ran the query before it was given up").isTrue();
      assertThatThrownBy(() -> read.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo("query_timeout"));
      assertThat((System.nanoTime() - started) / 1_000_000).as("ms until given up").isLessThan(5_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (running(tenant) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(running(tenant)).as("InfluxDB still runs the query given up").isFalse();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Whether InfluxDB lists a query on the tenant's database as running. */
  private static boolean running(String tenant) {
    JsonNode queries = TestQueryService.SERVICES.influx().query("", "SHOW QUERIES");
    for (JsonNode row : queries.path("results").path(0).path("series").path(0).path("values")) {
      if (row.path(2).asText().equals(InfluxNames.database(tenant)) && row.path(1).asText().startsWith("SELECT")) {
        return true;
      }
    }
    return false;
  }
}
