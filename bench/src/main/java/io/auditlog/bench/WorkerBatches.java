package io.auditlog.bench;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The worker's batch timer so far, from its {@code /metrics}: how many batches it stored and their summed time from
 * dispatch until stored ({@code auditlog_batch_write}). Two readings give the batches of a span and their mean.
 */
record WorkerBatches(long count, double seconds) {

  static WorkerBatches read(BenchStack bench) throws Exception {
    String metrics = metrics(bench);
    return new WorkerBatches((long) value(metrics, "auditlog_batch_write_seconds_count"),
        value(metrics, "auditlog_batch_write_seconds_sum"));
  }

  /** The text of the first worker's {@code /metrics}. */
  static String metrics(BenchStack bench) throws Exception {
    return BenchStack.send(HttpRequest.newBuilder(URI.create(bench.stack.url("ingest-worker-1") + "/metrics"))
        .build()).body();
  }

  /** The events the worker has written to InfluxDB since it started. */
  static long written(BenchStack bench) throws Exception {
    return (long) value(metrics(bench), "auditlog_events_written_total");
  }

  /** The value of the first sample of {@code name} in a Prometheus text, or -1 when there is none. */
  static double value(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1.0);
  }

  WorkerBatches since(WorkerBatches before) {
    return new WorkerBatches(count - before.count, seconds - before.seconds);
  }

  double meanMillis() {
    return count == 0 ? Double.NaN : 1000 * seconds / count;
  }
}
