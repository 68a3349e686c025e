package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.PostgresServer;
import io.auditlog.model.Json;
import io.auditlog.store.TagShape;
import io.auditlog.tlog.PgLogin;
import io.auditlog.worker.ChangedHours;
import io.auditlog.worker.WorkerSchema;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The read side at scale: one tenant holding {@code events} events over the last {@code days} days (written straight
 * to InfluxDB with the worker's encoder and writer, two writers), then each query repeated through the gateway, one
 * request at a time, timed at the client; then trails right after a back-fill of old events, and the whole listing.
 */
final class QueryBenchmark {

  private static final int WARM_UPS = 20;
  /** A read done once (a whole listing, the first count by a variable) waits as long as the gateway does. */
  private static final Duration LONG_READ_TIMEOUT = Duration.ofMinutes(10);
  private static final String COUNT_BY = "/api/events/count?variable=event_name";

  private final int events;
  private final int days;
  private final int iterations;
  private final int backfill;
  private final TagShape shape;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** {@code shape}: the shape the tenant's events are written in (a new account's is four tags). */
  QueryBenchmark(int events, int days, int iterations, int backfill, TagShape shape) {
    this.events = events;
    this.days = days;
    this.iterations = iterations;
    this.backfill = backfill;
    this.shape = shape;
  }

  /** Runs on a tenant of its own, so that nothing another benchmark wrote shares its series. */
  ObjectNode run(BenchStack bench) throws Exception {
    BenchStack.Account account = bench.newAccount("querybench");
    String base = bench.base;
    String bearer = "Bearer " + account.token();
    String tenant = account.tenant();
    Instant now = Instant.now();
    SyntheticEvents data = new SyntheticEvents(tenant, now, Duration.ofDays(days), events, 7);
    long loadStarted = System.nanoTime();
    long loaded = load(bench, tenant, data);
    double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
    System.out.printf("loaded %,d events over %d day(s) in %.1f s (%,.0f events/s)%n", loaded, days, loadSeconds,
        loaded / loadSeconds);

    SplittableRandom random = new SplittableRandom(11);
    settle(bench, bearer, "/audit/log?category=" + SyntheticEvents.CATEGORIES[0] + "&app=" + SyntheticEvents.APPS[0]);
    List<String> trails = data.sampleEventIds();
    Supplier<String> filteredCount = () -> "/api/events/count?filter=" + URLEncoder.encode("REQUEST_METHOD = "
        + pick(random, new String[] {"GET", "POST", "PUT"}) + " AND app = " + pick(random, SyntheticEvents.APPS),
        StandardCharsets.UTF_8);
    List<Latencies> results = List.of(
        measure("first page /audit/log", base, bearer, () -> "/audit/log?category=" + pick(random,
            SyntheticEvents.CATEGORIES) + "&app=" + pick(random, SyntheticEvents.APPS), 50),
        measure("trail /audit/log/{event_id}", base, bearer,
            () -> "/audit/log/" + trails.get(random.nextInt(trails.size())), -1),
        measure("1 day of cpu_usage at 1m, mean", base, bearer, () -> "/audit/metrics/cpu_usage?category="
            + pick(random, SyntheticEvents.CATEGORIES) + "&app=" + pick(random, SyntheticEvents.APPS)
            + "&start=1d&interval=1m&agg=mean", -1),
        measure("1 day of status counts at 1m", base, bearer, () -> "/audit/metrics/status/count?category="
            + pick(random, SyntheticEvents.CATEGORIES) + "&app=" + pick(random, SyntheticEvents.APPS)
            + "&start=1d&interval=1m", -1),
        measure("filtered count /api/events/count", base, bearer, filteredCount, 0),
        measure("the same, HTTP basic (curl -u)", base, account.basic(), filteredCount, 0),
        once("count by event_name, the first (every hour counted)", base, bearer, COUNT_BY),
        measure("count by event_name (?variable=)", base, bearer, () -> COUNT_BY, -1));
    List<Latencies> all = new ArrayList<>(results);
    SyntheticEvents old = new SyntheticEvents(tenant, now.minus(Duration.ofDays(3)), Duration.ofDays(3), backfill,
        13);
    long backfilled = backfill(bench, tenant, old);
    List<String> oldTrails = old.sampleEventIds();
    all.add(measure("trail right after a back-fill", base, bearer,
        () -> "/audit/log/" + oldTrails.get(random.nextInt(oldTrails.size())), -1, 0));
    all.add(once("count by event_name, the first after the back-fill", base, bearer, COUNT_BY));
    all.add(measure("count by event_name after the back-fill", base, bearer, () -> COUNT_BY, -1, 0));
    long counted = send(authorized(base + COUNT_BY, bearer)).body().lines().skip(1)
        .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(';') + 1))).sum();
    if (counted != loaded + backfilled) {
      throw new IllegalStateException("count by event_name sums to " + counted + ", not " + (loaded + backfilled));
    }

    System.out.println();
    System.out.println(Latencies.header());
    all.forEach(r -> System.out.println(r.row()));
    ObjectNode report = Json.MAPPER.createObjectNode();
    report.put("events", loaded);
    report.put("tags", shape.tags().size());
    report.put("days", days);
    report.put("backfill_events", backfilled);
    report.put("load_events_per_second", Math.round(loaded / loadSeconds));
    report.put("iterations", iterations);
    ArrayNode queries = report.putArray("queries");
    all.forEach(r -> queries.add(r.toJson()));
    report.set("whole_listing", listEverything(bench, bearer, loaded + backfilled));
    return report;
  }

  /**
   * The tenant's whole history as one {@code list?limit=-1}, read line by line as it streams: how long it takes,
   * and the most heap each service had in use meanwhile ({@link HeapWatch}, every half second).
   */
  private ObjectNode listEverything(BenchStack bench, String authorization, long expected) throws Exception {
    long ids;
    double seconds;
    ObjectNode report = Json.MAPPER.createObjectNode();
    try (HeapWatch watch = new HeapWatch(bench.stack.services(), 500)) {
      Thread.sleep(2_000); // the watch's JVMs start before the clock does
      long started = System.nanoTime();
      HttpResponse<Stream<String>> answer = http.send(authorized(bench.base + "/api/events/list?limit=-1",
          authorization, LONG_READ_TIMEOUT), HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = answer.body()) {
        ids = lines.count();
      }
      seconds = (System.nanoTime() - started) / 1e9;
      watch.report(report.putObject("max_heap_mib"), report.putObject("max_old_gen_mib"));
    }
    if (ids != expected) {
      throw new IllegalStateException("the whole listing returned " + ids + " ids of " + expected);
    }
    report.put("ids", ids);
    report.put("seconds", Math.round(seconds * 10) / 10.0);
    report.put("ids_per_second", Math.round(ids / seconds));
    System.out.printf("%nwhole listing: %,d ids in %.1f s (%,.0f ids/s); most heap in use: %s, of it old"
        + " generation: %s%n", ids, seconds, ids / seconds, report.get("max_heap_mib"),
        report.get("max_old_gen_mib"));
    return report;
  }

  /** Writes every event of {@code data} with its trail point, as the worker does, by two writers. */
  private long load(BenchStack bench, String tenant, SyntheticEvents data) throws Exception {
    PostgresServer postgres = bench.stack.backing().postgres();
    PgLogin owner = new PgLogin(postgres.jdbcUrl(), PostgresServer.USER, postgres.password());
    WorkerSchema.migrateCounts(owner);
    try (ChangedHours marks = ChangedHours.in(owner);
        InfluxLoader loader = new InfluxLoader(bench.stack.backing(), tenant, 2, marks)) {
      return loader.load(data, SchemaCandidate.written(shape), 1_000_000);
    }
  }

  /**
   * The back-fill: events received 3 to 6 days ago, written straight to InfluxDB, whose trails are then read at once
   * and without warm-up (what a late batch costs the next readers).
   */
  private long backfill(BenchStack bench, String tenant, SyntheticEvents old) throws Exception {
    long started = System.nanoTime();
    long written = load(bench, tenant, old);
    System.out.printf("back-filled %,d events 3 to 6 days old in %.1f s%n", written,
        (System.nanoTime() - started) / 1e9);
    return written;
  }

  /**
   * Waits, up to ten minutes, for the first answer after the load: InfluxDB compacts what it was just given, and a
   * first read may outlast the gateway's 30 seconds meanwhile. Prints how long it took, and each failure with which
   * services were still running.
   */
  private void settle(BenchStack bench, String authorization, String path) throws Exception {
    long started = System.nanoTime();
    Instant until = Instant.now().plus(Duration.ofMinutes(10));
    while (true) {
      HttpResponse<String> response = send(authorized(bench.base + path, authorization));
      double seconds = (System.nanoTime() - started) / 1e9;
      if (response.statusCode() == 200) {
        System.out.printf("first answer after the load in %.1f s%n", seconds);
        return;
      }
      System.out.printf("%s answered %d after %.1f s (%s); services running: %s%n", path, response.statusCode(),
          seconds, response.body(), bench.stack.services().stream().map(p -> p.name() + "=" + p.isAlive()).toList());
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + " for ten minutes");
      }
      Thread.sleep(5_000);
    }
  }

  private Latencies measure(String name, String base, String authorization, Supplier<String> path,
      int expectedItems) throws Exception {
    return measure(name, base, authorization, path, expectedItems, WARM_UPS);
  }

  /**
   * {@code iterations} requests after {@code warmUps}, one at a time; a page must hold {@code expectedItems} items
   * (0: the answer is a bare count; -1: not checked).
   */
  private Latencies measure(String name, String base, String authorization, Supplier<String> path,
      int expectedItems, int warmUps) throws Exception {
    Latencies latencies = new Latencies(name);
    for (int i = 0; i < iterations + warmUps; i++) {
      String next = path.get();
      long started = System.nanoTime();
      HttpResponse<String> response = send(authorized(base + next, authorization));
      long elapsed = System.nanoTime() - started;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(next + " answered " + response.statusCode() + ": " + response.body());
      }
      if (expectedItems == 0 && !response.body().matches("\\d+\n")) {
        throw new IllegalStateException(next + " answered " + response.body());
      }
      if (expectedItems > 0) {
        JsonNode page = Json.MAPPER.readTree(response.body());
        if (page.size() != expectedItems) {
          throw new IllegalStateException(next + " returned " + page.size() + " items");
        }
      }
      if (i >= warmUps) {
        latencies.record(elapsed);
      }
    }
    return latencies;
  }

  /** One request, timed: a read whose first answer does work the next ones are spared. */
  private Latencies once(String name, String base, String authorization, String path) throws Exception {
    Latencies latency = new Latencies(name);
    long started = System.nanoTime();
    HttpResponse<String> response = send(authorized(base + path, authorization, LONG_READ_TIMEOUT));
    latency.record(System.nanoTime() - started);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return latency;
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  private static HttpRequest authorized(String url, String authorization) {
    return authorized(url, authorization, Duration.ofSeconds(60));
  }

  private static HttpRequest authorized(String url, String authorization, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).timeout(timeout).build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
