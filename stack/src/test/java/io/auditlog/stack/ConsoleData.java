package io.auditlog.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Events for the console's tests, and the few API calls the tests make beside the browser. */
final class ConsoleData {

  static final String[] METHODS = {"GET", "POST", "GET", "DELETE", "GET"};
  static final String[] STATUSES = {"success", "success", "error", "success", "denied"};
  static final String[] LEVELS = {"info", "info", "warning", "error", "info"};

  private final String base;

  ConsoleData(String base) {
    this.base = base;
  }

  static ObjectNode event(String category, String app, String env, String method, String status, String level,
      String name, String origin) {
    ObjectNode event = Cluster.JSON.createObjectNode();
    event.put("category", category);
    event.putObject("source_information").put("application", app).put("environment", env);
    event.put("method", method).put("status", status).put("level", level);
    event.putObject("event").put("name", name).put("type", "http").put("total_duration", 0.25)
        .put("affected_resources", 1).put("latency", 0.05).put("cpu_usage", 0.5).put("memory_usage", 0.2);
    event.putObject("actor").put("origin", origin);
    return event;
  }

  /** The i-th of a varied series in web/shop. */
  static ObjectNode varied(int i) {
    return event("web", "shop", i % 3 == 0 ? "staging" : "prod", METHODS[i % 5], STATUSES[i % 5], LEVELS[i % 5],
        "request-" + i, "10.0.0." + (i % 7));
  }

  /** An event whose every text holds markup, script URLs and spreadsheet formulas. */
  static ObjectNode hostile() {
    ObjectNode event = event("web", "shop", "prod", "GET", "success", "info",
        "<img src=x onerror=\"window.__xss='name'\">", "\"><svg onload=window.__xss='origin'>");
    ((ObjectNode) event.path("event")).put("type", "<script>window.__xss='type'</script>")
        .put("description", "javascript:window.__xss='description'");
    event.putObject("resource").put("id", "+SUM(1+1)").put("name", "=HYPERLINK(\"http://evil\",\"x\")")
        .put("type", "-cmd");
    ArrayNode metadata = event.putArray("metadata");
    metadata.addObject().put("name", "link").put("value", "javascript:alert(document.domain)");
    metadata.addObject().put("name", "note").put("value", "@SUM(A1)");
    return event;
  }

  /** Posts events with an access key; answers the gateway's answer (event_id, ids). */
  JsonNode post(String key, JsonNode events) throws Exception {
    return Cluster.JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/audit/log"))
        .header("api-key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(events.toString())), 202).body());
  }

  String login(String username, String password) throws Exception {
    return Cluster.JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&password=" + encode(password))),
        200).body()).path("access_token").asText();
  }

  String accessKey(String token) throws Exception {
    return Cluster.JSON.readTree(get("/users/access-key/me", "Authorization", "Bearer " + token, 200).body())
        .path("access_key").asText();
  }

  /** Waits until the caller counts {@code count} events. */
  void awaitCount(String token, long count) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    String seen = "";
    while (Instant.now().isBefore(deadline)) {
      seen = get("/api/events/count", "Authorization", "Bearer " + token, 200).body().trim();
      if (seen.equals(Long.toString(count))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("expected " + count + " events, counted " + seen);
  }

  HttpResponse<String> get(String path, String header, String value, int status) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header(header, value).GET(), status);
  }

  HttpResponse<String> get(String path) throws Exception {
    return Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The export of {@code filter} in {@code format}, authenticated by one header. */
  String export(String format, String filter, String header, String value) throws Exception {
    return get("/api/events/export?format=" + format + "&filter=" + encode(filter), header, value, 200).body();
  }

  JsonNode createToken(String token, String body) throws Exception {
    return Cluster.JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/tokens"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), 201).body());
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, int status) throws Exception {
    HttpResponse<String> response = Cluster.HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + ", got " + response.statusCode() + ": " + response.body());
    }
    return response;
  }
}
