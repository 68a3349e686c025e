package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import org.HdrHistogram.Histogram;

/** Latencies of one kind of request, in microseconds, and their summary. */
final class Latencies {

  /** The longest latency recorded: a read done once may take minutes (the gateway waits up to ten). */
  private static final long MAX_MICROS = 15 * 60 * 1_000_000L;

  final String name;
  private final Histogram histogram = new Histogram(MAX_MICROS, 3);

  Latencies(String name) {
    this.name = name;
  }

  void record(long nanos) {
    histogram.recordValue(Math.max(1, nanos / 1000));
  }

  /** Adds every latency of {@code other}. */
  void add(Latencies other) {
    histogram.add(other.histogram);
  }

  double millis(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  long count() {
    return histogram.getTotalCount();
  }

  ObjectNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("name", name);
    json.put("count", count());
    json.put("p50_ms", millis(50));
    json.put("p95_ms", millis(95));
    json.put("p99_ms", millis(99));
    json.put("max_ms", histogram.getMaxValue() / 1000.0);
    return json;
  }

  String row() {
    return String.format("%-40s %7d %9.1f %9.1f %9.1f %9.1f", name, count(), millis(50), millis(95), millis(99),
        histogram.getMaxValue() / 1000.0);
  }

  static String header() {
    return String.format("%-40s %7s %9s %9s %9s %9s", "request", "n", "p50 ms", "p95 ms", "p99 ms", "max ms");
  }
}
