package io.auditlog.bench;

import static io.auditlog.store.InfluxQl.identifier;
import static io.auditlog.store.InfluxQl.integer;
import static io.auditlog.store.InfluxQl.sql;
import static io.auditlog.store.InfluxQl.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.store.InfluxQl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * What each {@link SchemaCandidate} costs the reads: per candidate a fresh database holding {@code events} events
 * over 7 days (two writers), then five reads as raw InfluxQL against InfluxDB (as its admin, values bound), each
 * {@link #ITERATIONS} times after {@link #WARM_UPS}: the newest 50 events of all categories, a trail by event id, a
 * day of {@code cpu_usage} means at 1-minute windows, a filtered count over the 7 days, and counts by event name over
 * the 7 days (with {@code GROUP BY} where the name is a tag; where it is a field, every name is read, streamed in
 * chunks, and counted here).
 */
final class SchemaBenchmark {

  private static final int ITERATIONS = 50;
  private static final int WARM_UPS = 5;
  private static final Duration DAYS = Duration.ofDays(7);
  private static final long TRAIL_WINDOW_NANOS = Duration.ofMinutes(10).toNanos();
  private static final List<String> QUERIES = List.of("newest 50", "trail", "1d cpu_usage 1m", "filtered count",
      "count by event_name");

  private final int events;

  SchemaBenchmark(int events) {
    this.events = events;
  }

  ObjectNode run(BenchStack bench) throws Exception {
    BackingServices backing = bench.stack.backing();
    RawQueries queries = new RawQueries(backing.influx());
    ObjectNode report = Json.MAPPER.createObjectNode();
    report.put("events", events);
    report.put("iterations", ITERATIONS);
    StringBuilder table = new StringBuilder(String.format("%-12s", "candidate"));
    QUERIES.forEach(q -> table.append(String.format(" %21s", q)));
    table.append(String.format("%n%-12s", ""));
    QUERIES.forEach(q -> table.append(String.format(" %21s", "p50 / p95 ms")));
    table.append('\n');
    for (SchemaCandidate candidate : SchemaCandidate.values()) {
      String tenant = "bench_schema_" + candidate.name().toLowerCase(Locale.ROOT);
      InfluxLoader.provision(backing, tenant);
      SyntheticEvents data = new SyntheticEvents(tenant, Instant.now(), DAYS, events, 17);
      long started = System.nanoTime();
      try (InfluxLoader loader = new InfluxLoader(backing, tenant, 2)) {
        loader.load(data, candidate, 1_000_000);
      }
      System.out.printf("%s: loaded %,d events over 7 days in %.1f s%n", candidate.label, events,
          (System.nanoTime() - started) / 1e9);
      List<Latencies> measured = new Reads(queries, InfluxNames.database(tenant), candidate,
          data.sampleEventIds()).measureAll();
      ObjectNode row = report.putObject(candidate.label);
      table.append(String.format("%-12s", candidate.label));
      for (Latencies latencies : measured) {
        row.set(latencies.name, latencies.toJson());
        table.append(String.format(" %10.1f / %8.1f", latencies.millis(50), latencies.millis(95)));
      }
      table.append('\n');
    }
    System.out.printf("%nraw InfluxQL per schema candidate (%,d events over 7 days; %d runs after %d warm-ups)%n%s",
        events, ITERATIONS, WARM_UPS, table);
    return report;
  }

  /** The five reads against one candidate's database. */
  private record Reads(RawQueries queries, String database, SchemaCandidate candidate, List<String> eventIds) {

    List<Latencies> measureAll() throws Exception {
      SplittableRandom random = new SplittableRandom(23);
      List<Latencies> all = new ArrayList<>();
      all.add(measure(QUERIES.get(0), () -> rows(sql("SELECT * FROM ").then(categories())
          .then(" ORDER BY time DESC LIMIT 50"))));
      all.add(measure(QUERIES.get(1), () -> trail(eventIds.get(random.nextInt(eventIds.size())))));
      all.add(measure(QUERIES.get(2), () -> rows(sql("SELECT mean(").then(identifier(InfluxNames.FIELD_CPU_USAGE))
          .then(") FROM ").then(identifier(pick(random, SyntheticEvents.CATEGORIES))).then(" WHERE ")
          .then(identifier(InfluxNames.TAG_APP)).then(" = ").then(string(pick(random, SyntheticEvents.APPS)))
          .then(" AND time >= now() - 1d GROUP BY time(1m) fill(none)"))));
      all.add(measure(QUERIES.get(3), () -> rows(sql("SELECT count(").then(identifier(InfluxNames.FIELD_ID))
          .then(") FROM ").then(categories()).then(" WHERE ").then(identifier(InfluxNames.TAG_STATUS)).then(" = ")
          .then(string(pick(random, SyntheticEvents.STATUSES))).then(" AND ")
          .then(identifier(InfluxNames.TAG_EVENT_NAME)).then(" = ").then(string(SyntheticEvents.anyEventName(random)))
          .then(" AND time >= now() - 7d"))));
      all.add(measure(QUERIES.get(4), this::countByEventName));
      return all;
    }

    /** The trail index's points for the id within ±10 min of its time, then each event at its point's time. */
    private long trail(String eventId) throws Exception {
      long nanos = (UUID.fromString(eventId).getMostSignificantBits() >>> 16) * 1_000_000L;
      InfluxQl window = sql(" AND time >= ").then(integer(nanos - TRAIL_WINDOW_NANOS)).then(" AND time <= ")
          .then(integer(nanos + TRAIL_WINDOW_NANOS));
      InfluxQl byId = sql(" WHERE ").then(identifier(InfluxNames.FIELD_EVENT_ID)).then(" = ").then(string(eventId))
          .then(window);
      if (!candidate.trail) {
        return rows(sql("SELECT * FROM ").then(categories()).then(byId));
      }
      List<JsonNode> points = new ArrayList<>();
      queries.rows(database, sql("SELECT ").then(identifier(InfluxNames.FIELD_SERIES)).then(" FROM ")
          .then(identifier(InfluxNames.TRAILS)).then(byId).statement(), points::add);
      long found = 0;
      for (JsonNode point : points) {
        found += rows(sql("SELECT * FROM ").then(identifier(measurement(point.path(1).asText())))
            .then(" WHERE time = ").then(integer(point.path(0).asLong())));
      }
      return found;
    }

    private long countByEventName() throws Exception {
      InfluxQl range = sql(" FROM ").then(categories()).then(" WHERE time >= now() - 7d");
      InfluxQl name = identifier(InfluxNames.TAG_EVENT_NAME);
      if (!candidate.stringsAreFields()) {
        return rows(sql("SELECT count(").then(identifier(InfluxNames.FIELD_ID)).then(")").then(range)
            .then(" GROUP BY ").then(name));
      }
      Map<String, Long> counts = new HashMap<>();
      queries.rows(database, sql("SELECT ").then(name).then(range).statement(),
          row -> counts.merge(row.path(1).asText(), 1L, Long::sum));
      return counts.size();
    }

    private long rows(InfluxQl statement) throws Exception {
      long[] rows = {0};
      queries.rows(database, statement.statement(), row -> rows[0]++);
      return rows[0];
    }

    private static InfluxQl categories() {
      return InfluxQl.join(Arrays.stream(SyntheticEvents.CATEGORIES).map(InfluxQl::identifier).toList(), ",");
    }

    private Latencies measure(String name, Read read) throws Exception {
      Latencies latencies = new Latencies(name);
      for (int i = 0; i < WARM_UPS + ITERATIONS; i++) {
        long started = System.nanoTime();
        if (read.rows() == 0) {
          throw new IllegalStateException(candidate.label + ", " + name + ": no rows");
        }
        if (i >= WARM_UPS) {
          latencies.record(System.nanoTime() - started);
        }
      }
      return latencies;
    }
  }

  /** One timed read; answers the rows it got. */
  private interface Read {
    long rows() throws Exception;
  }

  /** The measurement of a series key: up to its first comma without a backslash before it. */
  private static String measurement(String seriesKey) {
    int comma = seriesKey.indexOf(',');
    while (comma > 0 && seriesKey.charAt(comma - 1) == '\\') {
      comma = seriesKey.indexOf(',', comma + 1);
    }
    return (comma < 0 ? seriesKey : seriesKey.substring(0, comma)).replace("\\,", ",").replace("\\ ", " ");
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
