package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.store.InfluxQl;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many tenants writing at once: {@code tenants} accounts signed up and activated through the API (16 at a time),
 * then every tenant's events posted in 100-event batches, tenants in rotation, 16 requests in flight, timed from the
 * first POST until every tenant's database holds all its events; twice. The first round measures new tenants, whose
 * every write creates series in InfluxDB (the events' and the trail index's 32); the second the same tenants again,
 * as tenants in use write.
 *
 * <p>The stored events are counted as the InfluxDB admin, one {@code count("id")} statement per tenant still short,
 * up to 100 statements per request: unlike {@code /api/events/count} per tenant, this costs the gateway and the
 * query-service nothing while they are measured, and a poll shrinks as tenants complete.
 */
final class TenantsBenchmark {

  private static final int IN_FLIGHT = 16;
  private static final int BATCH = 100;
  private static final int STATEMENTS_PER_POLL = 100;
  private static final String CATEGORY = "bench_tenants";

  private final int tenants;
  private final int batchesPerTenant;

  TenantsBenchmark(int tenants, int eventsPerTenant) {
    this.tenants = tenants;
    this.batchesPerTenant = Math.max(1, eventsPerTenant / BATCH);
  }

  /**
   * What the run measured, and the end-to-end events per second of each round: the first events of new tenants
   * (each write creates series), and the same tenants again (their series exist: tenants in use).
   */
  record Result(ObjectNode json, double firstEventsPerSecond, double activeEventsPerSecond) {
  }

  Result run(BenchStack bench) throws Exception {
    long setupStarted = System.nanoTime();
    List<BenchStack.Account> accounts = signUp(bench);
    double setupSeconds = (System.nanoTime() - setupStarted) / 1e9;
    System.out.printf("%ntenants: %,d accounts signed up and activated in %.1f s (%d at a time)%n", tenants,
        setupSeconds, IN_FLIGHT);
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("tenants", tenants);
    json.put("events_per_tenant", batchesPerTenant * BATCH);
    json.put("setup_seconds", Math.round(setupSeconds * 10) / 10.0);
    double first = round(bench, accounts, "first events of new tenants", 1, json.putObject("first_events"));
    double active = round(bench, accounts, "the same tenants again", 2, json.putObject("active_tenants"));
    return new Result(json, first, active);
  }

  /** Posts every tenant's events once more and waits until each database holds {@code round} times as many. */
  private double round(BenchStack bench, List<BenchStack.Account> accounts, String name, int round, ObjectNode json)
      throws Exception {
    List<Buffer> bodies = IngestBenchmark.bodies(CATEGORY, BATCH, 20);
    List<LoadGenerator.Request> requests = new ArrayList<>();
    for (int batch = 0; batch < batchesPerTenant; batch++) {
      for (BenchStack.Account account : accounts) {
        requests.add(new LoadGenerator.Request(account.accessKey(), bodies.get(requests.size() % bodies.size())));
      }
    }
    Run posts;
    try (LoadGenerator load = new LoadGenerator(bench.base, bench.accessKey, IN_FLIGHT)) {
      posts = load.sendAll(tenants + " tenants, 100-event batches, " + name, requests, BATCH, IN_FLIGHT);
    }
    if (posts.failed() > 0 || posts.acceptedEvents() != (long) requests.size() * BATCH) {
      throw new IllegalStateException(posts.failed() + " of " + requests.size() + " tenant batches failed");
    }
    awaitStored(bench.stack.backing(), accounts, (long) round * batchesPerTenant * BATCH);
    double seconds = (System.nanoTime() - posts.startNanos) / 1e9;
    long events = posts.acceptedEvents();
    System.out.printf("tenants end to end, %s: %,d events of %,d tenants in %.1f s = %,.0f events/s (posts: %,.0f"
        + " events/s, p99 %.1f ms)%n", name, events, tenants, seconds, events / seconds, posts.eventsPerSecond(),
        posts.millis(99));
    json.put("events", events);
    json.put("seconds", Math.round(seconds * 100) / 100.0);
    json.put("events_per_second", Math.round(events / seconds));
    json.set("posts", posts.toJson());
    return events / seconds;
  }

  private List<BenchStack.Account> signUp(BenchStack bench) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try {
      List<Future<BenchStack.Account>> created = new ArrayList<>();
      for (int i = 0; i < tenants; i++) {
        String name = "tenant" + i;
        created.add(pool.submit(() -> bench.newAccount(name)));
      }
      List<BenchStack.Account> accounts = new ArrayList<>();
      for (Future<BenchStack.Account> account : created) {
        accounts.add(account.get());
      }
      return accounts;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Polls every 250 ms until each tenant's database holds {@code expected} events of the category. */
  private static void awaitStored(BackingServices backing, List<BenchStack.Account> accounts, long expected)
      throws Exception {
    List<String> pending = new ArrayList<>(accounts.stream().map(BenchStack.Account::tenant).toList());
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!pending.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(pending.size() + " tenants did not hold all their events in time");
      }
      List<String> complete = new ArrayList<>();
      for (int from = 0; from < pending.size(); from += STATEMENTS_PER_POLL) {
        List<String> polled = pending.subList(from, Math.min(pending.size(), from + STATEMENTS_PER_POLL));
        JsonNode results = backing.influx().execute(InfluxQl.batch(polled.stream().map(TenantsBenchmark::count)
            .toList())).path("results");
        for (int i = 0; i < polled.size(); i++) {
          if (results.path(i).path("series").path(0).path("values").path(0).path(1).asLong(0) >= expected) {
            complete.add(polled.get(i));
          }
        }
      }
      pending.removeAll(complete);
      if (!pending.isEmpty()) {
        Thread.sleep(250);
      }
    }
  }

  private static InfluxQl count(String tenant) {
    return InfluxQl.sql("SELECT count(").then(InfluxQl.identifier(InfluxNames.FIELD_ID)).then(") FROM ")
        .then(InfluxQl.identifier(InfluxNames.database(tenant))).then("..").then(InfluxQl.identifier(CATEGORY));
  }
}
