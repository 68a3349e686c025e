package io.auditlog.web;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * A service's meters, served as Prometheus text on {@code GET /metrics}: what Vert.x reports (HTTP server requests
 * by route template and status as histograms, HTTP clients, pools including the PostgreSQL pool), the JVM (memory,
 * GC, threads, class loading, CPU, uptime, file descriptors) and whatever the service registers itself (its own
 * counters, Kafka client metrics).
 *
 * <p>Every label is bounded whatever a caller sends: the route is the template of the route that matched (empty when
 * none did), never the path, and an HTTP method outside the standard ones is reported as {@code OTHER}.
 */
public final class Metrics {

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
      "TRACE", "CONNECT");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public Metrics() {
    registry.config()
        .meterFilter(MeterFilter.replaceTagValues(Label.HTTP_METHOD.toString(),
            method -> METHODS.contains(method) ? method : "OTHER"))
        .meterFilter(new MeterFilter() {
          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            // Buckets, so latency quantiles can be computed across instances (histogram_quantile).
            return id.getType() == Meter.Type.TIMER
                ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config) : config;
          }
        });
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** The registry services add their own meters to. */
  public MeterRegistry registry() {
    return registry;
  }

  /** A Vert.x instance that reports into this registry, with the JVM's meters bound. */
  public Vertx vertx() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        // Vert.x keeps one backend per registry name and process: a name of its own keeps instances apart.
        .setRegistryName("auditlog-" + UUID.randomUUID())
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
            Label.POOL_NAME));
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /** Mounts {@code GET /metrics}. */
  public void mount(Router router) {
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }
}
