package io.auditlog.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts batches of events through the gateway on a thread of its own, round-robin over tenants, and remembers what
 * the gateway accepted (202) per tenant: the set InfluxDB must end up holding.
 */
final class EventStream implements Runnable {

  private final String base;
  private final List<Cluster.Tenant> tenants;
  private final int requests;
  private final int batch;
  private final long pauseMillis;
  final Map<String, AtomicLong> accepted = new ConcurrentHashMap<>();
  final AtomicInteger answered = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  private final Thread thread = new Thread(this, "event-stream");

  EventStream(String base, List<Cluster.Tenant> tenants, int requests, int batch, long pauseMillis) {
    this.base = base;
    this.tenants = tenants;
    this.requests = requests;
    this.batch = batch;
    this.pauseMillis = pauseMillis;
  }

  EventStream start() {
    thread.start();
    return this;
  }

  void await() throws InterruptedException {
    thread.join(Duration.ofMinutes(5).toMillis());
  }

  @Override
  public void run() {
    for (int i = 0; i < requests; i++) {
      Cluster.Tenant tenant = tenants.get(i % tenants.size());
      try {
        HttpResponse<String> response = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/audit/log"))
            .timeout(Duration.ofSeconds(20)).header("api-key", tenant.accessKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(i))).build(), HttpResponse.BodyHandlers.ofString());
        answered.incrementAndGet();
        if (response.statusCode() == 202) {
          JsonNode answer = Cluster.JSON.readTree(response.body());
          accepted.computeIfAbsent(tenant.id(), t -> new AtomicLong()).addAndGet(answer.path("accepted").asLong());
        } else {
          refused.incrementAndGet();
        }
        Thread.sleep(pauseMillis);
      } catch (Exception e) {
        refused.incrementAndGet();
      }
    }
  }

  long acceptedTotal() {
    return accepted.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private String body(int request) {
    ArrayNode events = Cluster.JSON.createArrayNode();
    for (int i = 0; i < batch; i++) {
      ObjectNode event = events.addObject();
      event.put("category", "stream");
      event.putObject("source_information").put("application", "app" + (i % 3)).put("environment", "prod");
      event.put("method", "POST").put("status", "ok").put("level", "info");
      event.putObject("event").put("name", "request-" + request).put("type", "load").put("total_duration", 0.5)
          .put("affected_resources", i).put("latency", 0.1).put("cpu_usage", 0.2).put("memory_usage", 0.3);
      event.putObject("actor").put("origin", "10.0." + (request % 250) + "." + (i % 250));
    }
    return events.toString();
  }
}
