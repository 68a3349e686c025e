package io.auditlog.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's own counters, batch timer and lag, in the service's registry (served on {@code /metrics}). */
public final class WorkerMetrics {

  final Counter consumed;
  final Counter written;
  final Counter deadLettered;
  final Counter writeRetries;
  final Counter historyRetries;
  final Counter markRetries;
  final Counter replaysWithoutLeaves;
  final Timer batchLatency;
  private final AtomicLong lag = new AtomicLong();

  public WorkerMetrics(MeterRegistry registry) {
    consumed = Counter.builder("auditlog_events_consumed").description("records read from Kafka")
        .register(registry);
    written = Counter.builder("auditlog_events_written").description("events stored in InfluxDB")
        .register(registry);
    deadLettered = Counter.builder("auditlog_events_dead_lettered")
        .description("records sent to the dead-letter topic").register(registry);
    writeRetries = Counter.builder("auditlog_influx_write_retries")
        .description("InfluxDB writes retried after a transient failure").register(registry);
    historyRetries = Counter.builder("auditlog_history_retries")
        .description("placements in the verifiable history retried after a PostgreSQL failure").register(registry);
    markRetries = Counter.builder("auditlog_count_marks_retries")
        .description("marks of the hours a batch wrote in retried after a PostgreSQL failure").register(registry);
    replaysWithoutLeaves = Counter.builder("auditlog_history_replays_without_leaves")
        .description("records read again whose leaves the history has no record of: dead-lettered, not written")
        .register(registry);
    batchLatency = Timer.builder("auditlog_batch_write").description("time from a batch's dispatch until it is stored")
        .publishPercentileHistogram().register(registry);
    Gauge.builder("auditlog_consumer_lag", lag, AtomicLong::get)
        .description("records behind the end of the assigned partitions").register(registry);
  }

  void lag(long records) {
    lag.set(records);
  }
}
