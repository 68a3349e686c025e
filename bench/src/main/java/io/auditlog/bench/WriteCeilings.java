package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The raw write ceilings of InfluxDB: the same synthetic events written straight to it with the worker's writer in
 * 5,000-event batches, by 1, 2 and 4 concurrent writers, in each {@link SchemaCandidate}'s encoding. Every cell writes
 * into a fresh database after a warm-up of a tenth as many events into another; the series each candidate created
 * are counted as the admin.
 */
final class WriteCeilings {

  static final List<Integer> WRITERS = List.of(1, 2, 4);

  private final int events;

  WriteCeilings(int events) {
    this.events = events;
  }

  /**
   * The matrix, and the best cell of the encoding the worker writes for new tenants
   * ({@link SchemaCandidate#TAGS4_TRAIL}): the ceiling that end-to-end figures are a share of.
   */
  record Result(ObjectNode json, double stored) {
  }

  Result run(BenchStack bench) throws Exception {
    BackingServices backing = bench.stack.backing();
    ObjectNode cells = Json.MAPPER.createObjectNode();
    double best = 0;
    double stored = 0;
    String bestCell = "";
    StringBuilder table = new StringBuilder(String.format("%-14s", "candidate"));
    WRITERS.forEach(w -> table.append(String.format(" %16s", w + " writer(s)")));
    table.append(String.format(" %10s%n", "series"));
    for (SchemaCandidate candidate : SchemaCandidate.values()) {
      List<List<String>> warmUp = InfluxLoader.encode(data(events / 10, 5), candidate);
      List<List<String>> batches = InfluxLoader.encode(data(events, 3), candidate);
      ObjectNode row = cells.putObject(candidate.label);
      table.append(String.format("%-14s", candidate.label));
      String measured = null;
      for (int writers : WRITERS) {
        measured = "bench_ceiling_" + candidate.name().toLowerCase(Locale.ROOT) + "_" + writers;
        double rate = events / write(backing, measured + "_warm", measured, writers, warmUp, batches);
        row.put(writers + "_writers_events_per_second", Math.round(rate));
        table.append(String.format(" %,16.0f", rate));
        if (candidate == SchemaCandidate.TAGS4_TRAIL) {
          stored = Math.max(stored, rate);
        }
        if (rate > best) {
          best = rate;
          bestCell = candidate.label + ", " + writers + " writer(s)";
        }
      }
      long series = seriesCardinality(backing, measured);
      row.put("series", series);
      table.append(String.format(" %,10d%n", series));
    }
    System.out.printf("%nraw InfluxDB /write, events/s (%,d events, %,d-event batches; series per tenant)%n%s",
        events, InfluxLoader.BATCH_EVENTS, table);
    System.out.printf("best: %s, %,.0f events/s; the worker's encoding at best: %,.0f events/s%n", bestCell, best,
        stored);
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("events", events);
    json.set("cells", cells);
    json.put("best_cell", bestCell);
    json.put("stored_encoding_best_events_per_second", Math.round(stored));
    return new Result(json, stored);
  }

  private SyntheticEvents data(int count, long seed) {
    return new SyntheticEvents("bench", Instant.now(), Duration.ofHours(1), count, seed);
  }

  /** Writes the warm-up, then times the batches, each into a database of its own; answers the timed seconds. */
  private static double write(BackingServices backing, String warmTenant, String tenant, int writers,
      List<List<String>> warmUp, List<List<String>> batches) throws Exception {
    InfluxLoader.provision(backing, warmTenant);
    InfluxLoader.provision(backing, tenant);
    try (InfluxLoader warm = new InfluxLoader(backing, warmTenant, writers);
        InfluxLoader timed = new InfluxLoader(backing, tenant, writers)) {
      warm.write(warmUp);
      return timed.write(batches);
    }
  }

  /** The number of series in the tenant's database ({@code SHOW SERIES EXACT CARDINALITY}, summed). */
  static long seriesCardinality(BackingServices backing, String tenant) {
    JsonNode result = backing.influx().query(InfluxNames.database(tenant), "SHOW SERIES EXACT CARDINALITY");
    long total = 0;
    for (JsonNode series : result.path("results").path(0).path("series")) {
      for (JsonNode value : series.path("values")) {
        total += value.path(0).asLong();
      }
    }
    return total;
  }
}
