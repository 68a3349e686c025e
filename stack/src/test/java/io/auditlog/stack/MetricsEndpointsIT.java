package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.GrafanaDashboard;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.model.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of the three service processes after real traffic: events posted through the gateway, a record
 * the worker dead-letters, a query through the query-service. Each shows its HTTP requests as histograms by route
 * template and status, its Kafka client, the JVM and its own counters; random paths and methods add no label values;
 * the Grafana dashboard queries only metrics that the services expose.
 */
class MetricsEndpointsIT {

  private static final int EVENTS = 20;
  private static Cluster cluster;
  private static Cluster.Tenant tenant;

  @BeforeAll
  static void traffic() throws Exception {
    cluster = new Cluster();
    cluster.startWorker();
    tenant = cluster.newTenant();
    assertThat(post(events(EVENTS)).statusCode()).isEqualTo(202);
    assertThat(post("{}").statusCode()).isEqualTo(422);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        Cluster.producerProperties(cluster.kafkaCredential(tenant)), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      // No api-key header: the worker dead-letters it.
      producer.send(new ProducerRecord<>(Topics.INGRESS, "no-key".getBytes(StandardCharsets.UTF_8),
          "{}".getBytes(StandardCharsets.UTF_8))).get();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && (cluster.storedEvents(tenant.id()) < EVENTS
        || Scrape.sum(Scrape.of(cluster.workers.get(0)), "auditlog_events_dead_lettered_total") < 1)) {
      Thread.sleep(300);
    }
    HttpResponse<String> read = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
        + "/audit/log?category=metered&app=app")).header("Authorization", "Bearer " + tenant.token()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(Cluster.JSON.readTree(read.body()).size()).as(read.body()).isEqualTo(EVENTS);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String events(int count) {
    ArrayNode events = Cluster.JSON.createArrayNode();
    for (int i = 0; i < count; i++) {
      ObjectNode event = events.addObject();
      event.put("category", "metered");
      event.putObject("source_information").put("application", "app").put("environment", "prod");
      event.put("method", "POST").put("status", "ok").put("level", "info");
      event.putObject("event").put("name", "request").put("type", "http").put("total_duration", 0.5)
          .put("affected_resources", 1).put("latency", 0.1).put("cpu_usage", 0.2).put("memory_usage", 0.3);
      event.putObject("actor").put("origin", "10.0.0." + i);
    }
    return events.toString();
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/audit/log"))
        .header("api-key", tenant.accessKey()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int send(String method, String url) throws Exception {
    return Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static Set<String> labelValues(String scrape, String label) {
    Set<String> values = new TreeSet<>();
    Matcher matcher = Pattern.compile("^vertx_http_server_requests_total\\{[^}]*\\b" + label + "=\"([^\"]*)\"",
        Pattern.MULTILINE).matcher(scrape);
    while (matcher.find()) {
      values.add(matcher.group(1));
    }
    return values;
  }

  /** Heap, GC, threads, class loading, CPU and the Vert.x pools: what every service shows. */
  private static void assertJvmAndPools(String scrape) {
    assertThat(Scrape.sum(scrape, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
    assertThat(Scrape.sum(scrape, "jvm_threads_live_threads")).isPositive();
    assertThat(Scrape.sum(scrape, "jvm_classes_loaded_classes")).isPositive();
    assertThat(Scrape.names(scrape)).contains("jvm_gc_memory_allocated_bytes_total", "process_cpu_usage",
        "system_cpu_usage", "process_uptime_seconds", "process_files_open_files", "vertx_pool_in_use");
  }

  @Test
  void theGatewayShowsRoutesKafkaItsPoolsAndAcceptedEventsOnItsMetricsListenerOnly() throws Exception {
    // The ingestion gauges are a sample taken every 2 s, which may be one Kafka could not answer: wait for one it did.
    String scrape = Scrape.of(cluster.gatewayMetrics);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (Scrape.sum(scrape, "auditlog_ingestion_workers") != 1 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      scrape = Scrape.of(cluster.gatewayMetrics);
    }
    String route = "route=\"/audit/log\"";
    assertThat(Scrape.sum(scrape, "vertx_http_server_response_time_seconds_bucket", route, "code=\"202\"",
        "method=\"POST\"", "le=\"+Inf\"")).isEqualTo(1);
    assertThat(Scrape.sum(scrape, "vertx_http_server_response_time_seconds_count", route, "code=\"422\"")).isEqualTo(1);
    assertThat(Scrape.sum(scrape, "vertx_http_server_requests_total", "route=\"/auth/login\"", "code=\"200\""))
        .isEqualTo(1);
    assertThat(Scrape.sum(scrape, "kafka_producer_record_send_total")).isGreaterThanOrEqualTo(EVENTS);
    assertThat(Scrape.sum(scrape, "auditlog_events_accepted_total")).isEqualTo(EVENTS);
    assertThat(Scrape.sum(scrape, "auditlog_ingestion_workers")).as("the worker, as /health sees it").isEqualTo(1);
    assertThat(Scrape.names(scrape)).contains("auditlog_ingestion_lag", "auditlog_ingestion_oldest_unstored_seconds");
    assertThat(Scrape.sum(scrape, "vertx_http_client_requests_total")).as("requests to the query-service").isPositive();
    assertThat(Scrape.sum(scrape, "vertx_pool_completed_total", "pool_type=\"sql\"")).as("the PostgreSQL pool")
        .isPositive();
    assertJvmAndPools(scrape);
    assertThat(send("GET", cluster.base + "/metrics")).as("nothing on the public port").isEqualTo(404);
  }

  @Test
  void theWorkerShowsItsConsumerStoredDeadLetteredLagAndBatchLatency() throws Exception {
    String scrape = Scrape.of(cluster.workers.get(0));
    assertThat(Scrape.sum(scrape, "kafka_consumer_fetch_manager_records_consumed_total"))
        .isGreaterThanOrEqualTo(EVENTS + 1);
    assertThat(Scrape.sum(scrape, "auditlog_events_written_total")).isEqualTo(EVENTS);
    assertThat(Scrape.sum(scrape, "auditlog_events_dead_lettered_total")).isEqualTo(1);
    assertThat(Scrape.sum(scrape, "auditlog_batch_write_seconds_bucket", "le=\"+Inf\"")).isPositive();
    assertThat(Scrape.names(scrape)).contains("auditlog_consumer_lag", "auditlog_events_consumed_total");
    assertThat(Scrape.sum(scrape, "vertx_http_server_response_time_seconds_bucket", "route=\"/health\"", "code=\"200\"",
        "le=\"+Inf\"")).as("the readiness checks").isPositive();
    assertJvmAndPools(scrape);
  }

  @Test
  void theQueryServiceShowsTheReadItAnswered() throws Exception {
    String scrape = Scrape.of(cluster.queryService);
    assertThat(Scrape.sum(scrape, "vertx_http_server_response_time_seconds_bucket", "route=\"/audit/log\"",
        "code=\"200\"", "method=\"GET\"", "le=\"+Inf\"")).isEqualTo(1);
    assertThat(Scrape.sum(scrape, "vertx_http_client_requests_total")).as("requests to InfluxDB").isPositive();
    assertJvmAndPools(scrape);
  }

  @Test
  void randomPathsAndMethodsAddNoRouteOrMethodValues() throws Exception {
    send("GET", cluster.base + "/" + UUID.randomUUID());
    send("BREW", cluster.base + "/audit/log");
    String before = Scrape.of(cluster.gatewayMetrics);
    for (int i = 0; i < 40; i++) {
      assertThat(send("GET", cluster.base + "/" + UUID.randomUUID() + "/" + i)).isEqualTo(404);
      send("M" + i, cluster.base + "/audit/log/" + UUID.randomUUID());
    }
    String after = Scrape.of(cluster.gatewayMetrics);
    assertThat(labelValues(after, "route")).isEqualTo(labelValues(before, "route")).contains("", "/audit/log")
        .noneMatch(route -> route.matches(".*[0-9a-f]{8}-[0-9a-f]{4}.*"));
    assertThat(labelValues(after, "method")).isEqualTo(labelValues(before, "method")).contains("OTHER")
        .noneMatch(method -> method.startsWith("M") || method.equals("BREW"));
    assertThat(Scrape.sum(after, "vertx_http_server_requests_total", "route=\"\"", "code=\"404\""))
        .isGreaterThanOrEqualTo(41);
  }

  @Test
  void theDashboardQueriesOnlyMetricsTheServicesExpose() throws Exception {
    Set<String> exposed = new TreeSet<>();
    exposed.addAll(Scrape.names(Scrape.of(cluster.gatewayMetrics)));
    exposed.addAll(Scrape.names(Scrape.of(cluster.queryService)));
    exposed.addAll(Scrape.names(Scrape.of(cluster.workers.get(0))));
    GrafanaDashboard dashboard = GrafanaDashboard.load(ProjectLayout.locate().root()
        .resolve("infra/grafana/dashboards/auditlog.json"));
    assertThat(dashboard.metricNames()).isNotEmpty();
    assertThat(exposed).containsAll(dashboard.metricNames());
  }
}
