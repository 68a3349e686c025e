package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests an authenticated tenant can send that once reached a 500 or a dead letter, through the real gateway,
 * query-service and worker processes: each gets a 4xx with a JSON body, or is stored and read back as the contract
 * says. Malformed request lines go through a raw socket, since no HTTP client sends them.
 */
class HostileRequestsIT {

  private static final String LOG = "/audit/log?category=web&app=app";
  private static Cluster cluster;
  private static Cluster.Tenant tenant;

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster();
    cluster.startWorker();
    tenant = cluster.newTenant();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /**
   * {@code resource.id} and {@code resource.name} are string fields (never tags): 60 KiB of UTF-8 each is stored and
   * read back whole; a client-sent {@code event.stage} is ignored (the service's stage comes back); a carriage return
   * in a value is stored, and a filter literal holding one finds it.
   */
  @Test
  void largeResourceTextsAndAClientStageAreStoredAsTheContractSays() throws Exception {
    String name = "\u00e9".repeat(30_720);
    String id = "r".repeat(61_440);
    ObjectNode event = event("big");
    ((ObjectNode) event.get("event")).put("stage", 99);
    event.putObject("resource").put("id", id).put("name", name).put("type", "file");
    ((ObjectNode) event.get("actor")).put("origin", "a\rb");
    JsonNode accepted = ingest(event.toString(), 202);
    String eventId = accepted.path("ids").get(0).asText();
    JsonNode page = awaitPage("/audit/log?category=web&app=big");
    JsonNode stored = page.get(0);
    assertThat(stored.path("id").asText()).isEqualTo(eventId);
    assertThat(stored.path("resource").path("name").asText()).isEqualTo(name);
    assertThat(stored.path("resource").path("id").asText()).isEqualTo(id);
    assertThat(stored.path("event").path("stage").asInt()).isEqualTo(1);
    assertThat(stored.path("actor").path("origin").asText()).isEqualTo("a\rb");

    Answer found = raw("GET /api/events/count?filter=origin%20%3D%20%27a%0Db%27 HTTP/1.1",
        "Authorization: Bearer " + tenant.token());
    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    assertThat(found.body().strip()).isEqualTo("1");
    Answer listed = raw("GET /audit/log?category=web&app=big&filter=origin%20%40contains%20%27%0D%27 HTTP/1.1",
        "Authorization: Bearer " + tenant.token());
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(Cluster.JSON.readTree(listed.body()).path(0).path("id").asText()).isEqualTo(eventId);
  }

  @Test
  void aMetricNamedLikeAStoredFieldIsRefusedAtTheEdge() throws Exception {
    ObjectNode event = event("metric");
    event.putArray("metadata").addObject().put("is_metric", true).put("name", "resource").put("value", 1);
    JsonNode refused = ingest(event.toString(), 422);
    assertThat(refused.path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"body\",\"metadata\",0,\"name\"]");
    assertThat(refused.path("detail").get(0).path("type").asText()).isEqualTo("value_error.reserved");
  }

  /**
   * 900 KB of empty objects, within the body limit, would make a tree of some 25 MB: refused by its tokens first. They
   * sit in one element, since a batch of more than 1,000 is refused at its 1,001st.
   */
  @Test
  void aBodyOfManyEmptyObjectsIsRefusedByItsTokens() throws Exception {
    JsonNode refused = ingest("[[" + "{},".repeat(299_999) + "{}]]", 422);
    assertThat(refused.path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\"]");
    assertThat(refused.path("detail").get(0).path("msg").asText()).contains("Token count", "exceeds the maximum");
  }

  /**
   * 600 connections without credentials, each sending a body of 1 MiB but its last byte and holding it, as an
   * outside review did (which ran the 512 MiB gateway out of heap in under three seconds): the gateway holds a quarter
   * of its body budget for that address, refuses the rest at once with 503, stays up, and serves another address
   * meanwhile.
   */
  @Test
  void bodiesHeldOpenByOneAddressAreRefusedPastItsShareAndTheGatewayServesOthers() throws Exception {
    URI base = URI.create(cluster.base);
    byte[] almost = new byte[1024 * 1024 - 1];
    Arrays.fill(almost, (byte) ' ');
    String head = "POST /auth/signup HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (almost.length + 1) + "\r\n\r\n";
    List<Socket> held = new ArrayList<>();
    List<Socket> cut = new ArrayList<>();
    int refused = 0;
    try {
      for (int i = 0; i < 600; i++) {
        Socket socket = new Socket(base.getHost(), base.getPort());
        held.add(socket);
        try {
          socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().write(almost);
        } catch (IOException e) {
          cut.add(socket);
        }
      }
      String event = event("other-address").toString();
      try (Socket other = new Socket()) {
        other.bind(new InetSocketAddress("127.0.0.2", 0));
        other.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        other.setSoTimeout(30_000);
        other.getOutputStream().write(("POST /audit/log HTTP/1.1\r\nHost: gateway\r\napi-key: " + tenant.accessKey()
            + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
            + event.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + event).getBytes(StandardCharsets.UTF_8));
        assertThat(new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .startsWith("HTTP/1.1 202");
      }
      for (Socket socket : held) {
        socket.setSoTimeout(100);
        String start = "";
        try {
          start = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          // still held (no answer yet), or reset under the write
        }
        refused += start.equals("HTTP/1.1 503") || cut.contains(socket) ? 1 : 0;
      }
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    assertThat(cluster.gateway().isAlive()).as(cluster::describe).isTrue();
    assertThat(refused).as("refused at once, past the address's 32 MiB").isGreaterThanOrEqualTo(500);
    ingest(event("after-the-flood").toString(), 202);
  }

  /**
   * Bodies of 900 KiB sent whole, each connection closed at once, from six addresses, as an outside review did with a
   * key that opens nothing: the 512 MiB gateway ran out of heap within six seconds, on every round, since a closed
   * connection gave its bytes back to the budget while its request, waiting for the key's owner, still held them. The
   * flood here comes from a tenant of its own, whose bodies go on to be read in their tenant's turn (a made-up key
   * stops at the key): a request lets go of its body as its answer ends or its connection closes, and another tenant
   * is served.
   */
  @Test
  void bodiesWhoseConnectionsCloseAtOnceAreLetGoAndTheGatewayServesOthers() throws Exception {
    String flooder = cluster.newTenant().accessKey();
    URI base = URI.create(cluster.base);
    byte[] body = new byte[900 * 1024];
    Arrays.fill(body, (byte) ' ');
    body[0] = '[';
    body[body.length - 1] = ']';
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("POST /audit/log HTTP/1.1\r\nHost: gateway\r\napi-key: " + flooder + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    byte[] bytes = request.toByteArray();
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(48);
    List<Integer> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < 48; i++) {
        String from = "127.0.1." + (i % 6 + 1);
        senders.submit(() -> {
          while (flooding.get()) {
            try (Socket socket = new Socket()) {
              socket.bind(new InetSocketAddress(from, 0));
              socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
              socket.getOutputStream().write(bytes);
              sent.incrementAndGet();
            } catch (IOException e) {
              // refused or reset: the flood goes on
            }
          }
          return null;
        });
      }
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < end) {
        statuses.add(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/audit/log"))
            .timeout(Duration.ofSeconds(20)).header("api-key", tenant.accessKey())
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                event("during-the-flood").toString())).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        Thread.sleep(250);
      }
    } finally {
      flooding.set(false);
      senders.shutdown();
      senders.awaitTermination(30, TimeUnit.SECONDS);
    }
    assertThat(sent.get()).as("bodies sent and cut off").isGreaterThan(500);
    assertThat(statuses).as(cluster::describe).isNotEmpty().allMatch(status -> status == 202);
    assertThat(cluster.gateway().isAlive()).as(cluster::describe).isTrue();
  }

  @Test
  void metricRangesBeyondNanosecondTimeAreAnsweredWithoutA500() throws Exception {
    for (String range : List.of("start=0001-01-01T00:00:00Z&interval=3653d", "start=0&stop=999999999999&interval=3653d",
        "start=1677-09-21T00:12:43Z&stop=2262-04-11T23:47:16Z&interval=3653d", "start=-999999999w&interval=3653d",
        "start=2262-04-11T23:47:17Z&stop=9999-12-31T23:59:59Z&interval=1d",
        "start=0001-01-01T00:00:00Z&stop=1677-09-20T00:00:00Z&interval=1d")) {
      for (String metric : List.of("/audit/metrics/cpu_usage", "/audit/metrics/status/count")) {
        Answer answer = raw("GET " + metric + "?category=web&app=app&" + range + " HTTP/1.1",
            "Authorization: Bearer " + tenant.token());
        assertThat(answer.status()).as(metric + " " + range + " -> " + answer).isIn(200, 422);
        assertThat(Cluster.JSON.readTree(answer.body()).isContainerNode()).as(answer.toString()).isTrue();
      }
    }
  }

  /** A user's view and a token's view, each nested to the limit: together too deep, which is a 400, never a 500. */
  @Test
  void viewsNestedPastTheLimitTogetherAreA400() throws Exception {
    String deep = "(".repeat(64) + "method = GET" + ")".repeat(64);
    Cluster.Tenant viewer = cluster.newTenant();
    String admin = Cluster.JSON.readTree(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
        + "/auth/login")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=Cluster%40Test123")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).path("access_token").asText();
    assertThat(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/users/" + viewer.id() + "/view"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"view\":\"" + deep + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    String token = Cluster.JSON.readTree(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
        + "/users/tokens")).header("Authorization", "Bearer " + viewer.token())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"deep\",\"view\":\"" + deep + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).path("token").asText();
    String deepFilter = "(".repeat(65) + "level%20%3D%20info" + ")".repeat(65);
    for (String path : List.of("/api/events/count", "/api/events/list", "/api/events/get?id=x")) {
      Answer answer = raw("GET " + path + " HTTP/1.1", "X-Auth-Token: " + token);
      assertThat(answer.status()).as(path + " -> " + answer).isEqualTo(400);
      assertThat(Cluster.JSON.readTree(answer.body()).path("detail").path("type").asText()).isEqualTo("filter_syntax");
    }
    for (String path : List.of(LOG + "&filter=" + deepFilter, "/api/events/count?filter=" + deepFilter)) {
      Answer answer = raw("GET " + path + " HTTP/1.1", "Authorization: Bearer " + viewer.token());
      assertThat(answer.status()).as(path + " -> " + answer).isEqualTo(400);
      assertThat(Cluster.JSON.readTree(answer.body()).path("detail").path("type").asText()).isEqualTo("filter_syntax");
    }
  }

  @Test
  void malformedPercentEncodingIsA400WithAJsonBody() throws Exception {
    for (String target : List.of(LOG + "&x=%zz", LOG + "&x=%E0%A4%A", "/audit/log/%zz", "/audit/log/%E0%A4%A",
        "/audit/log%zz?category=web", "/api/events/count?filter=%zz", "/api/events/get?%E0%A4%A",
        "/audit/metrics/%zz?category=web&app=app", LOG + "&filter=%", "/users/%zz", "/auth/activate?key=%zz")) {
      Answer answer = raw("GET " + target + " HTTP/1.1", "Authorization: Bearer " + tenant.token());
      assertThat(answer.status()).as(target + " -> " + answer).isEqualTo(400);
      assertThat(answer.head()).containsIgnoringCase("Content-Type: application/json");
      assertThat(Cluster.JSON.readTree(answer.body()).path("detail").path("type").asText()).isEqualTo("bad_request");
    }
  }

  /** RFC 9112 has a server accept the absolute form: it is answered as the same path in origin form. */
  @Test
  void anAbsoluteFormTargetIsAnsweredAsItsOriginForm() throws Exception {
    String bearer = "Authorization: Bearer " + tenant.token();
    Answer origin = raw("GET " + LOG + " HTTP/1.1", bearer);
    for (String authority : List.of("http://127.0.0.1", "http://other.example:9")) {
      Answer absolute = raw("GET " + authority + LOG + " HTTP/1.1", bearer);
      assertThat(absolute.status()).as(absolute.toString()).isEqualTo(200);
      assertThat(absolute.body()).isEqualTo(origin.body());
      Answer missing = raw("GET " + authority + "/audit/log?app=app HTTP/1.1", bearer);
      assertThat(missing.status()).as(missing.toString()).isEqualTo(422);
      assertThat(Cluster.JSON.readTree(missing.body()).path("detail").get(0).path("loc").toString())
          .isEqualTo("[\"query\",\"category\"]");
      assertThat(raw("GET " + authority + "/api/events/count HTTP/1.1", bearer).body().strip()).isEqualTo(
          raw("GET /api/events/count HTTP/1.1", bearer).body().strip());
    }
  }

  private static ObjectNode event(String app) {
    ObjectNode event = Cluster.JSON.createObjectNode();
    event.put("category", "web");
    event.putObject("source_information").put("application", app).put("environment", "prod");
    event.put("method", "GET").put("status", "200").put("level", "info");
    event.putObject("event").put("name", "request").put("type", "http").put("total_duration", 0.5)
        .put("affected_resources", 1).put("latency", 0.1).put("cpu_usage", 0.2).put("memory_usage", 0.3);
    event.putObject("actor").put("origin", "10.0.0.1");
    return event;
  }

  private static JsonNode ingest(String body, int status) throws Exception {
    HttpResponse<String> response = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/audit/log"))
        .header("api-key", tenant.accessKey()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(() -> response.body() + "\n" + cluster.describe()).isEqualTo(status);
    return Cluster.JSON.readTree(response.body());
  }

  /** The first page of {@code path} once it holds an event. */
  private static JsonNode awaitPage(String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode page = Cluster.JSON.createArrayNode();
    while (page.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      page = Cluster.JSON.readTree(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + path))
          .header("Authorization", "Bearer " + tenant.token()).build(), HttpResponse.BodyHandlers.ofString()).body());
    }
    assertThat(page).as(cluster.describe()).hasSize(1);
    return page;
  }

  record Answer(int status, String head, String body) {
    @Override
    public String toString() {
      return status + " " + body.substring(0, Math.min(300, body.length()));
    }
  }

  /** Sends one request as written on a fresh connection and reads the whole answer. */
  private static Answer raw(String requestLine, String... headers) throws Exception {
    URI base = URI.create(cluster.base);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2000);
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: ").append(base.getAuthority())
          .append("\r\nConnection: close\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : text.substring(end + 4);
      if (head.toLowerCase().contains("transfer-encoding: chunked")) {
        body = unchunked(body);
      }
      return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, body);
    }
  }

  private static String unchunked(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int line = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, line).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, line + 2, line + 2 + size);
      at = line + 2 + size + 2;
    }
  }
}
