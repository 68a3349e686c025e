package io.auditlog.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.InfluxQl;
import io.auditlog.model.Json;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads a tenant's events newest first, one measurement at a time, in chunks. Each chunk continues from the oldest
 * time of the one before ({@code time <= cursor}, skipping the ids already seen at that time) instead of an OFFSET,
 * which InfluxDB would pay for by rereading everything it skips. Only the current chunk is held in memory.
 */
final class EventScanner {

  static final int CHUNK = 5_000;

  private final InfluxQueries influx;

  EventScanner(InfluxQueries influx) {
    this.influx = influx;
  }

  /**
   * What to read: the columns ({@code *}, or a list that includes {@code id}), a compiled condition ({@code ""} for
   * every point) and the rows to keep from what it returns.
   */
  record Scan(String columns, String where, Predicate<InfluxEventStore.Row> keep) {

    static Scan everyColumn(String where, Predicate<InfluxEventStore.Row> keep) {
      return new Scan("*", where, keep);
    }
  }

  /** The tenant's event measurements: every measurement but the trail index. */
  Future<List<String>> measurements(String tenant) {
    return influx.run(tenant, "SHOW MEASUREMENTS", Json.MAPPER.createObjectNode()).map(result -> {
      List<String> names = new ArrayList<>();
      for (JsonNode row : result.path("series").path(0).path("values")) {
        String name = row.path(0).asText();
        if (!InfluxNames.TRAILS.equals(name)) {
          names.add(name);
        }
      }
      return names;
    });
  }

  /**
   * Hands the kept rows of one measurement to {@code sink}, newest first, until {@code limit} rows were kept
   * (negative: all of them); answers how many were kept.
   */
  Future<Long> scan(String tenant, String measurement, Scan scan, long limit, Consumer<InfluxEventStore.Row> sink) {
    return chunk(tenant, measurement, scan, limit, sink, new Cursor(null, Set.of(), 0, CHUNK));
  }

  /** Where the next chunk starts: at or before {@code time}, without the ids already read at that time. */
  private record Cursor(Long time, Set<String> seenAtTime, long kept, int size) {
  }

  private Future<Long> chunk(String tenant, String measurement, Scan scan, long limit,
      Consumer<InfluxEventStore.Row> sink, Cursor cursor) {
    List<String> conditions = new ArrayList<>();
    ObjectNode params = Json.MAPPER.createObjectNode();
    if (!scan.where().isEmpty()) {
      conditions.add("(" + scan.where() + ")");
    }
    if (cursor.time() != null) {
      conditions.add("time <= $cursor");
      params.put("cursor", cursor.time());
    }
    String sql = "SELECT " + scan.columns() + " FROM " + InfluxQl.identifier(measurement)
        + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
        + " ORDER BY time DESC LIMIT " + cursor.size();
    return influx.run(tenant, sql, params).compose(result -> {
      JsonNode series = result.path("series").path(0);
      JsonNode columns = series.path("columns");
      int read = 0;
      long kept = cursor.kept();
      Long oldest = null;
      Set<String> seenAtOldest = new HashSet<>();
      for (JsonNode values : series.path("values")) {
        read++;
        Map<String, JsonNode> columnsOfRow = StoredEvents.row(columns, values);
        long time = StoredEvents.timeNanos(columnsOfRow);
        String id = columnsOfRow.containsKey(InfluxNames.FIELD_ID) ? columnsOfRow.get(InfluxNames.FIELD_ID).asText()
            : "";
        if (cursor.time() != null && time == cursor.time() && cursor.seenAtTime().contains(id)) {
          continue;
        }
        if (oldest == null || time != oldest) {
          oldest = time;
          seenAtOldest = new HashSet<>();
        }
        seenAtOldest.add(id);
        InfluxEventStore.Row row = new InfluxEventStore.Row(measurement, columnsOfRow);
        if (scan.keep().test(row)) {
          sink.accept(row);
          if (++kept == limit) {
            return Future.succeededFuture(kept);
          }
        }
      }
      if (read < cursor.size()) {
        return Future.succeededFuture(kept);
      }
      if (oldest == null || oldest.equals(cursor.time())) {
        // The whole chunk shares the cursor's time: remember what it held and read a larger chunk there.
        Set<String> seen = new HashSet<>(cursor.seenAtTime());
        seen.addAll(seenAtOldest);
        return chunk(tenant, measurement, scan, limit, sink, new Cursor(cursor.time(), seen, kept, cursor.size() * 2));
      }
      return chunk(tenant, measurement, scan, limit, sink, new Cursor(oldest, seenAtOldest, kept, cursor.size()));
    });
  }
}
