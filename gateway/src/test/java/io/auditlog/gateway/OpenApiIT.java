package io.auditlog.gateway;

import static io.auditlog.gateway.TestGateway.expect;
import static io.auditlog.gateway.TestGateway.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the router describe the same operations; the docs page and its assets are served. */
class OpenApiIT {

  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws Exception {
    JsonNode document = expect(gateway.request("/openapi.json").GET(), 200);
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " "
          + path.getKey()));
    }
    Set<String> routed = new TreeSet<>();
    for (Route route : gateway.verticle.router().getRoutes()) {
      // A route with a pattern (the history's /audit/{tenant}/... paths) is named by its documented path.
      String path = route.getPath() != null ? route.getPath() : route.getName();
      if (path == null || route.methods() == null || path.startsWith("/docs/assets")
          || path.startsWith("/console/app/") || path.startsWith("/console/lib/")) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        routed.add(method.name() + " " + path.replaceAll(":([A-Za-z_]+)", "{$1}"));
      }
    }
    assertThat(routed).isEqualTo(documented);
  }

  @Test
  void servesTheInteractivePageAndItsAssets() throws Exception {
    HttpResponse<String> page = send(gateway.request("/docs").GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("SwaggerUIBundle", "/openapi.json");
    HttpResponse<String> script = send(gateway.request("/docs/assets/swagger-ui-bundle.js").GET());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body().length()).isGreaterThan(100_000);
  }
}
