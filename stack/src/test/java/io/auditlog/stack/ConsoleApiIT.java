package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AuditConsole API through the gateway, as the second seed uses it: each of its curls as written (basic auth),
 * the other ways to authenticate, the throttle on basic auth, user and token views, and token permissions.
 */
class ConsoleApiIT {

  private static final String[] METHODS = {"GET", "POST", "HEAD", "GET", "POST", "GET"};
  private static final String[] STATUSES = {"200", "200", "404", "500", "200", "success"};
  private static Cluster cluster;
  private static String admin;
  private static final List<ObjectNode> POSTED = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster();
    cluster.startWorker();
    admin = basic("admin", Cluster.ADMIN_PASSWORD);
    String token = login("admin", Cluster.ADMIN_PASSWORD);
    String key = Cluster.JSON.readTree(send(request("/users/access-key/me").header("Authorization", "Bearer " + token)
        .GET(), 200).body()).path("access_key").asText();
    ArrayNode events = Cluster.JSON.createArrayNode();
    for (int i = 0; i < 60; i++) {
      events.add(event("web", i % 4 == 0 ? "bank" : "shop", METHODS[i % 6], STATUSES[i % 5], "10.0.0." + i));
    }
    events.forEach(e -> POSTED.add((ObjectNode) e));
    post(key, events);
    awaitCount(admin, 60);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static ObjectNode event(String category, String app, String method, String status, String origin) {
    ObjectNode event = Cluster.JSON.createObjectNode();
    event.put("category", category);
    event.putObject("source_information").put("application", app).put("environment", "prod");
    event.put("method", method).put("status", status).put("level", "info");
    event.putObject("event").put("name", "request").put("type", "http").put("total_duration", 0.5)
        .put("affected_resources", 1).put("latency", 0.1).put("cpu_usage", 0.2).put("memory_usage", 0.3);
    event.putObject("actor").put("origin", origin);
    return event;
  }

  private static long posted(String method, String status) {
    return POSTED.stream().filter(e -> method == null || e.path("method").asText().equals(method))
        .filter(e -> status == null || e.path("status").asText().equals(status)).count();
  }

  @Test
  void everyCurlOfTheSeedWorksAsWritten() throws Exception {
    assertThat(text("/api/events/count", admin)).isEqualTo("60\n");
    assertThat(text("/api/events/count?filter=REQUEST_METHOD+%3D+POST+AND+RESPONSE_STATUS+=+200", admin))
        .isEqualTo(posted("POST", "200") + "\n");
    assertThat(text("/api/events/count?filter=REQUEST_METHOD+%3D+GET", admin)).isEqualTo(posted("GET", null) + "\n");

    Map<String, Long> byMethod = new TreeMap<>();
    POSTED.forEach(e -> byMethod.merge(e.path("method").asText(), 1L, Long::sum));
    StringBuilder table = new StringBuilder("REQUEST_METHOD;COUNT\n");
    byMethod.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> table.append(e.getKey()).append(';').append(e.getValue()).append('\n'));
    assertThat(text("/api/events/count?variable=REQUEST_METHOD", admin)).isEqualTo(table.toString());

    List<String> tenGets = text("/api/events/list?filter=REQUEST_METHOD+%3D+GET", admin).lines().toList();
    assertThat(tenGets).hasSize(10).doesNotHaveDuplicates();
    List<String> allGets = text("/api/events/list?filter=REQUEST_METHOD+%3D+GET&limit=100", admin).lines().toList();
    assertThat(allGets).hasSize((int) posted("GET", null)).startsWith(tenGets.toArray(String[]::new));

    HttpResponse<String> got = send(request("/api/events/get?" + allGets.get(0)).header("Authorization", admin)
        .GET());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(Cluster.JSON.readTree(got.body()).path("id").asText()).isEqualTo(allGets.get(0));
    assertThat(Cluster.JSON.readTree(got.body()).path("method").asText()).isEqualTo("GET");

    assertThat(text("/api/events/delete?filter=REQUEST_METHOD+%3D+GET", admin)).isEqualTo("1\n");
    assertThat(send(request("/api/events/get?" + allGets.get(0)).header("Authorization", admin).GET()).statusCode())
        .as("the newest GET was the one deleted").isEqualTo(404);
    assertThat(text("/api/events/delete?filter=REQUEST_METHOD+%3D+GET&limit=-1", admin))
        .isEqualTo((allGets.size() - 1) + "\n");
    assertThat(text("/api/events/count?filter=REQUEST_METHOD+%3D+GET", admin)).isEqualTo("0\n");
    assertThat(text("/api/events/count", admin)).isEqualTo((60 - allGets.size()) + "\n");
  }

  /**
   * Counts by a variable are kept per hour, and the worker marks each hour it stores events in: counts follow a
   * second post into an hour already counted, and a delete.
   */
  @Test
  void countsByAVariableFollowWhatTheWorkersStoreAndDelete() throws Exception {
    Cluster.Tenant user = cluster.newTenant();
    String owner = "Bearer " + user.token();
    ArrayNode first = Cluster.JSON.createArrayNode();
    for (String method : List.of("GET", "GET", "GET", "POST", "POST", "PUT")) {
      first.add(event("web", "shop", method, "200", "10.2.2.2"));
    }
    post(user.accessKey(), first);
    awaitCount(owner, 6);
    awaitText("/api/events/count?variable=method", owner, "method;COUNT\nGET;3\nPOST;2\nPUT;1\n");
    ArrayNode second = Cluster.JSON.createArrayNode();
    for (int i = 0; i < 3; i++) {
      second.add(event("web", "shop", "PUT", "200", "10.2.2.3"));
    }
    post(user.accessKey(), second);
    awaitCount(owner, 9);
    awaitText("/api/events/count?variable=method", owner, "method;COUNT\nPUT;4\nGET;3\nPOST;2\n");
    assertThat(text("/api/events/delete?filter=method+%3D+GET&limit=-1", owner)).isEqualTo("3\n");
    assertThat(text("/api/events/count?variable=method", owner)).as("a delete voids the kept counts at once")
        .isEqualTo("method;COUNT\nPUT;4\nPOST;2\n");
  }

  /**
   * Waits up to 10 s for the answer: a batch's hours are marked right after InfluxDB took it, so kept counts may
   * lag the events by that moment.
   */
  private static void awaitText(String path, String authorization, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String answer = text(path, authorization);
    while (!answer.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      answer = text(path, authorization);
    }
    assertThat(answer).isEqualTo(expected);
  }

  @Test
  void tokensBearerAndBasicAuthenticateAndWrongBasicIsThrottled() throws Exception {
    Cluster.Tenant user = cluster.newTenant();
    post(user.accessKey(), Cluster.JSON.createArrayNode().add(event("web", "shop", "GET", "200", "10.1.1.1")));
    String basic = basic(user.username(), user.password());
    awaitCount(basic, 1);
    JsonNode token = createToken(user.token(), "{\"name\":\"cli\"}");
    assertThat(text("/api/events/count?_jwall_token=" + token.path("token").asText(), null)).isEqualTo("1\n");
    assertThat(send(request("/api/events/count").header("X-Auth-Token", token.path("token").asText()).GET(), 200)
        .body()).isEqualTo("1\n");
    assertThat(text("/api/events/count", "Bearer " + user.token())).isEqualTo("1\n");

    HttpResponse<String> none = send(request("/api/events/count").GET());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
    assertThat(send(request("/api/events/count?_jwall_token=alt_nope").GET()).statusCode()).isEqualTo(401);
    send(request("/users/tokens/" + token.path("id").asText()).header("Authorization", "Bearer " + user.token())
        .DELETE(), 204);
    assertThat(send(request("/api/events/count?_jwall_token=" + token.path("token").asText()).GET()).statusCode())
        .as("a revoked token stops at once").isEqualTo(401);

    String wrong = basic(user.username(), "Wrong@12345");
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> refused = send(request("/api/events/count").header("Authorization", wrong).GET());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(Cluster.JSON.readTree(refused.body()).path("detail").path("msg").asText())
          .isEqualTo("Incorrect username or password.");
    }
    HttpResponse<String> throttled = send(request("/api/events/count").header("Authorization", basic).GET());
    assertThat(throttled.statusCode()).as("even the right password, once over the limit").isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void viewsConfineEveryCommandAndReadOnlyTokensCannotDelete() throws Exception {
    Cluster.Tenant user = cluster.newTenant();
    ArrayNode events = Cluster.JSON.createArrayNode();
    for (int i = 0; i < 30; i++) {
      events.add(event("web", i % 3 == 0 ? "bank" : "shop", i % 2 == 0 ? "GET" : "POST", "200", "10.2.0." + i));
    }
    post(user.accessKey(), events);
    String basic = basic(user.username(), user.password());
    awaitCount(basic, 30);
    String adminToken = login("admin", Cluster.ADMIN_PASSWORD);
    send(request("/users/" + user.id() + "/view").header("Authorization", "Bearer " + adminToken)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"view\":\"app = shop\"}")), 200);

    for (String trick : new String[] {"", "app = bank", "app = bank OR app = shop", "NOT app = shop",
        "(app = bank) OR method = GET", "method = GET OR NOT method = GET"}) {
      long expected = trick.isEmpty() || trick.startsWith("app = bank OR") || trick.startsWith("method = GET OR")
          ? 20 : trick.startsWith("(app = bank)") ? 10 : 0;
      assertThat(text("/api/events/count?filter=" + encode(trick), basic)).as(trick).isEqualTo(expected + "\n");
      assertThat(text("/api/events/list?limit=-1&filter=" + encode(trick), basic).lines().count()).as(trick)
          .isEqualTo(expected);
    }
    assertThat(text("/api/events/count?variable=app", basic)).isEqualTo("app;COUNT\nshop;20\n");
    assertThat(text("/api/events/delete?limit=-1&filter=" + encode("app = bank"), basic)).isEqualTo("0\n");

    JsonNode readOnly = createToken(user.token(), "{\"name\":\"reader\"}");
    HttpResponse<String> refused = send(request("/api/events/delete?limit=-1&_jwall_token="
        + readOnly.path("token").asText()).GET());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(cluster.storedEvents(user.id())).isEqualTo(30);

    JsonNode deleter = createToken(user.token(),
        "{\"name\":\"gets\",\"view\":\"method = GET\",\"permissions\":[\"read\",\"delete\"]}");
    assertThat(text("/api/events/delete?limit=-1&_jwall_token=" + deleter.path("token").asText()
        + "&filter=" + encode("app = bank OR app = shop"), null))
        .as("user view AND token view: shop GETs only").isEqualTo("10\n");
    assertThat(cluster.storedEvents(user.id())).isEqualTo(20);
    assertThat(text("/api/events/count?filter=" + encode("method = GET"), basic)).isEqualTo("0\n");
    assertThat(text("/api/events/count?filter=" + encode("method = POST"), basic)).isEqualTo("10\n");

    HttpResponse<String> form = send(request("/api/events/delete").header("Authorization", basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("filter=" + encode("method = POST") + "&limit=3")), 200);
    assertThat(form.body()).isEqualTo("3\n");
    assertThat(cluster.storedEvents(user.id())).as("bank events are outside the view and stay").isEqualTo(17);
  }

  private static JsonNode createToken(String bearer, String body) throws Exception {
    return Cluster.JSON.readTree(send(request("/users/tokens").header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 201).body());
  }

  private static void post(String key, ArrayNode events) throws Exception {
    send(request("/audit/log").header("api-key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(events.toString())), 202);
  }

  private static void awaitCount(String authorization, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (text("/api/events/count", authorization).equals(count + "\n")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("events never reached " + count);
  }

  private static String login(String username, String password) throws Exception {
    return Cluster.JSON.readTree(send(request("/auth/login").header("Content-Type",
            "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username)
            + "&password=" + encode(password))), 200).body()).path("access_token").asText();
  }

  private static String basic(String username, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  /** A command's plain-text answer, which must be a 200 in text/plain. */
  private static String text(String path, String authorization) throws Exception {
    HttpRequest.Builder request = request(path);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = send(request.GET(), 200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    return response.body();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(cluster.base + path)).timeout(Duration.ofSeconds(60));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return Cluster.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, int status) throws Exception {
    HttpResponse<String> response = send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
