package io.auditlog.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's counters and timers, served in Prometheus' text format on {@code /metrics}. */
public final class WorkerMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Counter consumed = Counter.builder("auditlog_events_consumed").description("records read from Kafka")
      .register(registry);
  final Counter written = Counter.builder("auditlog_events_written").description("events stored in InfluxDB")
      .register(registry);
  final Counter deadLettered = Counter.builder("auditlog_events_dead_lettered")
      .description("records sent to the dead-letter topic").register(registry);
  final Counter writeRetries = Counter.builder("auditlog_influx_write_retries")
      .description("InfluxDB writes retried after a transient failure").register(registry);
  final Timer batchLatency = Timer.builder("auditlog_batch_write").description("time to store and commit a batch")
      .publishPercentiles(0.5, 0.99).register(registry);
  private final AtomicLong lag = new AtomicLong();

  public WorkerMetrics() {
    Gauge.builder("auditlog_consumer_lag", lag, AtomicLong::get)
        .description("records behind the end of the assigned partitions").register(registry);
  }

  void lag(long records) {
    lag.set(records);
  }

  public String scrape() {
    return registry.scrape();
  }
}
