package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a tenant's points by their place in its verifiable history: the points whose {@code seq} is in a range, looked
 * for only between the earliest and latest times of those leaves (each leaf entry holds its point's timestamp), over
 * every category, {@value #MEASUREMENTS_PER_READ} categories to a statement. For exports, which walk the history a
 * bundle at a time and must read every category, however many the tenant has.
 */
public final class HistoryPoints {

  /** The categories one statement reads: a statement's text stays small whatever the categories' names. */
  public static final int MEASUREMENTS_PER_READ = 100;

  private final InfluxQueries influx;
  private final EventScanner scanner;

  public HistoryPoints(InfluxQueries influx, EventScanner scanner) {
    this.influx = influx;
    this.scanner = scanner;
  }

  /** The tenant's event measurements (its categories), all of them. */
  public Future<List<String>> measurements(String tenant) {
    return scanner.allMeasurements(tenant);
  }

  /**
   * The points of {@code measurements} whose seq is in [{@code fromSeq}, {@code toSeq}) and whose time is in
   * [{@code fromNanos}, {@code toNanos}], in no particular order, decoded on the evaluation pool.
   */
  public Future<List<LeafEvent>> inRange(String tenant, List<String> measurements, long fromSeq, long toSeq,
      long fromNanos, long toNanos) {
    List<LeafEvent> points = new ArrayList<>();
    Future<Void> read = Future.succeededFuture();
    for (int from = 0; from < measurements.size(); from += MEASUREMENTS_PER_READ) {
      List<String> group = measurements.subList(from, Math.min(measurements.size(), from + MEASUREMENTS_PER_READ));
      read = read.compose(v -> inGroup(tenant, group, fromSeq, toSeq, fromNanos, toNanos)).map(found -> {
        points.addAll(found);
        return null;
      });
    }
    return read.map(v -> points);
  }

  private Future<List<LeafEvent>> inGroup(String tenant, List<String> group, long fromSeq, long toSeq,
      long fromNanos, long toNanos) {
    InfluxQl seq = InfluxQl.identifier(InfluxNames.FIELD_SEQ);
    InfluxQl query = InfluxQl.sql("SELECT * FROM ")
        .then(InfluxQl.join(group.stream().map(InfluxQl::identifier).toList(), ","))
        .then(" WHERE time >= ").then(InfluxQl.integer(fromNanos))
        .then(" AND time <= ").then(InfluxQl.integer(toNanos))
        .then(" AND ").then(seq).then(" >= ").then(InfluxQl.integer(fromSeq))
        .then(" AND ").then(seq).then(" < ").then(InfluxQl.integer(toSeq));
    return influx.run(tenant, query, HistoryPoints::decode);
  }

  /** The whole points of one answer: a point whose fields are still becoming visible is not stored yet. */
  static List<LeafEvent> decode(JsonNode result) {
    List<LeafEvent> points = new ArrayList<>();
    for (JsonNode series : result.path("series")) {
      SeriesRows rows = SeriesRows.of(series.path("columns"));
      for (JsonNode values : series.path("values")) {
        Map<String, JsonNode> row = rows.row(values);
        if (rows.whole(row)) {
          points.add(LeafEvent.of(new InfluxEventStore.Row(series.path("name").asText(), row)));
        }
      }
    }
    return points;
  }
}
