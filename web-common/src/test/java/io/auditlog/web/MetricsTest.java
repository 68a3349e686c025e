package io.auditlog.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} of a Vert.x instance built by {@link Metrics}: route templates, bounded labels, the JVM. */
class MetricsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Metrics metrics;
  private Vertx vertx;
  private String base;

  @BeforeEach
  void start() throws Exception {
    metrics = new Metrics();
    vertx = metrics.vertx();
    Router router = Router.router(vertx);
    router.get("/items/:id").handler(ctx -> ctx.response().end(ctx.pathParam("id")));
    metrics.mount(router);
    FailureHandler.install(router);
    int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers
        .noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String scrape() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The values of {@code tag} over every request the server counted. */
  private Set<String> tagValues(String tag) {
    return metrics.registry().find("vertx.http.server.requests").meters().stream()
        .map(meter -> meter.getId().getTag(tag)).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void requestsAreHistogramsByRouteTemplateAndStatusBesideTheJvm() throws Exception {
    assertThat(send("GET", "/items/1")).isEqualTo(200);
    assertThat(send("GET", "/items/2")).isEqualTo(200);
    String scrape = scrape();
    assertThat(scrape).containsPattern(
        "vertx_http_server_response_time_seconds_bucket\\{code=\"200\",method=\"GET\",route=\"/items/:id\","
            + "le=\"[^\"]+\"} 2\n");
    assertThat(scrape).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "process_cpu_usage", "process_files_open_files", "vertx_pool_");
  }

  @Test
  void randomPathsAndMethodsAddNoLabelValues() throws Exception {
    send("GET", "/unknown");
    send("BREW", "/items/1");
    send("GET", "/items/1");
    Set<String> routes = tagValues("route");
    Set<String> methods = tagValues("method");
    for (int i = 0; i < 30; i++) {
      assertThat(send("GET", "/" + UUID.randomUUID())).isEqualTo(404);
      send("X" + i, "/" + UUID.randomUUID());
      send("X" + i, "/items/" + i);
    }
    assertThat(tagValues("route")).isEqualTo(routes).containsExactly("", "/items/:id");
    assertThat(tagValues("method")).isEqualTo(methods).contains("GET", "OTHER")
        .allMatch(method -> method.equals("OTHER") || method.matches("[A-Z]+") && !method.startsWith("X"));
  }
}
