package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.InfluxWriter;
import io.auditlog.store.LineProtocol;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The read side at scale: one tenant holding {@code events} events over the last 24 hours (written straight to
 * InfluxDB with the worker's encoder and writer), then each query repeated through the gateway, one request at a
 * time, timed at the client.
 */
final class QueryBenchmark {

  private final int events;
  private final int iterations;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  QueryBenchmark(int events, int iterations) {
    this.events = events;
    this.iterations = iterations;
  }

  /** Runs on a tenant of its own, so that nothing another benchmark wrote shares its series. */
  ObjectNode run(BenchStack bench) throws Exception {
    BenchStack.Account account = bench.newAccount("querybench");
    String base = bench.base;
    String bearer = "Bearer " + account.token();
    String tenant = account.tenant();
    SyntheticEvents data = new SyntheticEvents(tenant, Instant.now(), Duration.ofHours(24), events, 7);
    long loadStarted = System.nanoTime();
    long loaded = load(bench.stack.backing(), tenant, data);
    double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
    System.out.printf("loaded %,d events in %.1f s (%,.0f events/s)%n", loaded, loadSeconds, loaded / loadSeconds);

    SplittableRandom random = new SplittableRandom(11);
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
        measure("the same, HTTP basic (curl -u)", base, account.basic(), filteredCount, 0));

    System.out.println();
    System.out.println(Latencies.header());
    results.forEach(r -> System.out.println(r.row()));
    ObjectNode report = Json.MAPPER.createObjectNode();
    report.put("events", loaded);
    report.put("load_events_per_second", Math.round(loaded / loadSeconds));
    report.put("iterations", iterations);
    ArrayNode queries = report.putArray("queries");
    results.forEach(r -> queries.add(r.toJson()));
    report.set("whole_listing", listEverything(bench, bearer, loaded));
    return report;
  }

  /**
   * The tenant's whole history as one {@code list?limit=-1}, read line by line as it streams: how long it takes,
   * and the most heap the gateway and the query-service had in use meanwhile (sampled every half second).
   */
  private ObjectNode listEverything(BenchStack bench, String authorization, long expected) throws Exception {
    List<SoakBenchmark.Sample> samples = Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        bench.stack.services().forEach(service -> samples.add(SoakBenchmark.read(service,
            (System.nanoTime() - started) / 1e9)));
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "listing-memory");
    sampler.start();
    long ids;
    try {
      HttpResponse<Stream<String>> answer = http.send(HttpRequest.newBuilder(URI.create(
              bench.base + "/api/events/list?limit=-1")).header("Authorization", authorization)
          .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = answer.body()) {
        ids = lines.count();
      }
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (ids != expected) {
      throw new IllegalStateException("the whole listing returned " + ids + " ids of " + expected);
    }
    ObjectNode report = Json.MAPPER.createObjectNode();
    report.put("ids", ids);
    report.put("seconds", Math.round(seconds * 10) / 10.0);
    report.put("ids_per_second", Math.round(ids / seconds));
    ObjectNode heap = report.putObject("max_heap_mib");
    ObjectNode old = report.putObject("max_old_gen_mib");
    for (SoakBenchmark.Sample sample : samples) {
      heap.put(sample.service(), Math.max(heap.path(sample.service()).asDouble(0), sample.heapMiB()));
      old.put(sample.service(), Math.max(old.path(sample.service()).asDouble(0), sample.oldMiB()));
    }
    System.out.printf("%nwhole listing: %,d ids in %.1f s (%,.0f ids/s); most heap in use: %s, of it old"
        + " generation: %s%n", ids, seconds, ids / seconds, heap, old);
    return report;
  }

  /** Writes every event of {@code data} with its trail point: batches of about 5,000 lines, two writers. */
  private static long load(BackingServices backing, String tenant, SyntheticEvents data) throws Exception {
    InfluxWriter writer = new InfluxWriter(backing.influx().url(), backing.influxAccess().writer(),
        Duration.ofSeconds(60));
    ExecutorService writers = Executors.newFixedThreadPool(2);
    List<Future<Integer>> pending = new ArrayList<>();
    long count = 0;
    List<String> batch = new ArrayList<>(5_000);
    while (data.hasNext()) {
      for (StampedEvent event : data.nextRequest()) {
        batch.addAll(LineProtocol.encodeWithTrail(event));
        count++;
      }
      if (batch.size() >= 5_000 || !data.hasNext()) {
        List<String> lines = batch;
        pending.add(writers.submit(() -> {
          if (!writer.write(InfluxNames.database(tenant), lines).isEmpty()) {
            throw new IllegalStateException("InfluxDB refused synthetic lines");
          }
          return lines.size();
        }));
        batch = new ArrayList<>(5_000);
        if (pending.size() > 4) {
          pending.remove(0).get();
        }
      }
    }
    for (Future<Integer> write : pending) {
      write.get();
    }
    writers.shutdown();
    return count;
  }

  private Latencies measure(String name, String base, String authorization, Supplier<String> path,
      int expectedItems) throws Exception {
    Latencies latencies = new Latencies(name);
    for (int i = 0; i < iterations + 20; i++) {
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
      if (i >= 20) {
        latencies.record(elapsed);
      }
    }
    return latencies;
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  private static HttpRequest authorized(String url, String authorization) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
        .timeout(Duration.ofSeconds(60)).build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
