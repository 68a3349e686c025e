package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.Ports;
import io.auditlog.web.InternalTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway relays the query-service's answers as they come: a listing larger than any buffer arrives whole, with
 * its content type, and an answer cut off midway reaches the caller cut off, never as a complete 200. Its connections
 * to the query-service are handed out by tenant, and a caller who goes away gives its connection back.
 */
class QueryProxyIT {

  private static final int LINES = 200_000;
  private static final String LINE = "0190f6a2-7b3c-7d4e-8f5a-6b7c8d9e0f1a\n";
  private static final List<HttpServerResponse> EXPORTS = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean EXPORTS_ENDED = new AtomicBoolean();
  /** Counts the query-service holds until the test releases them; how many arrived, how many were reset. */
  private static final List<HttpServerResponse> HELD = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean HELD_RELEASED = new AtomicBoolean();
  private static final AtomicInteger HELD_ARRIVED = new AtomicInteger();
  private static final AtomicInteger HELD_RESET = new AtomicInteger();
  /** A quarter of the gateway's 32 connections of each pool: what one tenant may hold. */
  private static final int TENANT_TURNS = 8;
  private static String neighbour;
  private static Vertx upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = Vertx.vertx();
    int port = Ports.free();
    upstream.createHttpServer().requestHandler(request -> {
      if (request.getHeader(InternalTokens.HEADER) == null) {
        request.response().setStatusCode(401).end();
      } else if (request.path().equals("/api/events/export")) {
        // An export whose reader never reads on: the answer begins and ends only when the test lets it.
        HttpServerResponse response = request.response().setChunked(true)
            .putHeader("Content-Type", "text/plain; charset=utf-8");
        response.write(LINE);
        EXPORTS.add(response);
        if (EXPORTS_ENDED.get()) {
          response.end();
        }
      } else if ("held".equals(request.getParam("variable"))) {
        HELD_ARRIVED.incrementAndGet();
        request.connection().closeHandler(closed -> HELD_RESET.incrementAndGet());
        synchronized (HELD) {
          if (HELD_RELEASED.get()) {
            request.response().end("{}");
          } else {
            HELD.add(request.response());
          }
        }
      } else if (request.path().equals("/api/events/get")) {
        request.response().putHeader("Content-Type", "application/json").end("{}");
      } else if (request.path().equals("/api/events/list")) {
        HttpServerResponse response = request.response().setChunked(true)
            .putHeader("Content-Type", "text/plain; charset=utf-8");
        write(response, 0).onSuccess(v -> response.end());
      } else {
        request.response().setChunked(true).write(LINE.repeat(1000)).onSuccess(v -> request.connection().close());
      }
    }).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gateway = new TestGateway(Map.of("AUDIT_QUERY_URL", "http://127.0.0.1:" + port));
    neighbour = gateway.activeUser("proxyneighbour", "example.com", "Neighbour@Proxy123");
  }

  /** Writes the listing a thousand lines at a time, each write after the previous one was taken. */
  private static Future<Void> write(HttpServerResponse response, int written) {
    if (written >= LINES) {
      return Future.succeededFuture();
    }
    return response.write(LINE.repeat(1000)).compose(v -> write(response, written + 1000));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLongListingArrivesWholeWithItsContentType() throws Exception {
    HttpResponse<String> answer = TestGateway.send(admin("/api/events/list?limit=-1"));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(answer.body()).hasSize(LINES * LINE.length());
    assertThat(answer.body().lines().distinct()).containsExactly(LINE.trim());
  }

  @Test
  void anAnswerCutOffMidwayNeverLooksComplete() {
    assertThatThrownBy(() -> TestGateway.send(admin("/api/events/count?variable=APP")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void exportsHeldOpenByTheirReadersNeverDelayOtherRequestsNorAnotherTenantsExport() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String token = TestGateway.expect(gateway.bearer("/users/tokens", gateway.login("admin",
        TestGateway.ADMIN_PASSWORD)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"exports\",\"permissions\":[\"read\"]}")), 201)
        .path("token").asText();
    List<CompletableFuture<HttpResponse<InputStream>>> held = new ArrayList<>();
    try {
      // More than the gateway's connections to the query-service for streams, each answer left unread.
      for (int i = 0; i < 40; i++) {
        held.add(client.sendAsync(gateway.request("/api/events/export").header("X-Auth-Token", token).build(),
            HttpResponse.BodyHandlers.ofInputStream()));
      }
      awaitAtLeast(() -> held.stream().filter(export -> export.isDone() && !export.isCompletedExceptionally()
          && export.join().statusCode() == 200).count(), TENANT_TURNS, "the tenant's exports answered");
      Thread.sleep(500);
      assertThat(EXPORTS).as("exports one tenant holds at once").hasSize(TENANT_TURNS);
      held.add(client.sendAsync(as(neighbour, "Neighbour@Proxy123", "/api/events/export").build(),
          HttpResponse.BodyHandlers.ofInputStream()));
      assertThat(held.get(held.size() - 1).get(5, TimeUnit.SECONDS).statusCode())
          .as("another tenant's export").isEqualTo(200);
      CompletableFuture<HttpResponse<String>> get = client.sendAsync(admin("/api/events/get?id=x").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(get.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    } finally {
      EXPORTS_ENDED.set(true);
      EXPORTS.forEach(HttpServerResponse::end);
      // Read every answer as it comes, all at once: one left unread keeps its connection from those still waiting.
      CompletableFuture.allOf(held.stream().map(export -> export.thenAcceptAsync(answer -> {
        try (InputStream body = answer.body()) {
          body.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      })).toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void oneTenantsSlowRequestsNeverDelayAnotherTenantsAndACallerWhoLeavesGivesItsConnectionBack() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    // Each password checked once before (a password's first check is slow on purpose; later ones are remembered).
    assertThat(TestGateway.send(admin("/api/events/get?id=x")).statusCode()).isEqualTo(200);
    assertThat(TestGateway.send(as(neighbour, "Neighbour@Proxy123", "/api/events/get?id=x")).statusCode())
        .isEqualTo(200);
    try {
      // More than the 32 connections for requests, each held by the query-service.
      for (int i = 0; i < 40; i++) {
        held.add(client.sendAsync(admin("/api/events/count?variable=held").build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      awaitAtLeast(HELD_ARRIVED::get, TENANT_TURNS, "the tenant's requests sent on");
      Thread.sleep(500);
      assertThat(HELD_ARRIVED.get()).as("requests one tenant has sent on at once").isEqualTo(TENANT_TURNS);
      CompletableFuture<HttpResponse<String>> get = client.sendAsync(
          as(neighbour, "Neighbour@Proxy123", "/api/events/get?id=x").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.get(5, TimeUnit.SECONDS).statusCode()).as("another tenant's request").isEqualTo(200);

      // The neighbour's request sent on and held, then its caller leaves: the request is reset.
      try (Socket caller = new Socket("127.0.0.1", gatewayPort())) {
        send(caller, "proxyneighbour", "Neighbour@Proxy123");
        awaitAtLeast(HELD_ARRIVED::get, TENANT_TURNS + 1, "the neighbour's request sent on");
      }
      awaitAtLeast(HELD_RESET::get, 1, "the request of the caller who left reset");
      // One more of the first tenant's, waiting for a turn when its caller leaves: it is never sent.
      try (Socket caller = new Socket("127.0.0.1", gatewayPort())) {
        send(caller, "admin", TestGateway.ADMIN_PASSWORD);
        Thread.sleep(500);
      }
      Thread.sleep(500);
      releaseHeld();
      CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      Thread.sleep(500);
      assertThat(HELD_ARRIVED.get()).as("every request whose caller stayed, and only those")
          .isEqualTo(held.size() + 1);
      assertThat(held).allSatisfy(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
    } finally {
      releaseHeld();
    }
  }

  private static void releaseHeld() {
    synchronized (HELD) {
      if (!HELD_RELEASED.getAndSet(true)) {
        HELD.forEach(response -> response.end("{}"));
      }
    }
  }

  private static int gatewayPort() {
    return URI.create(gateway.base).getPort();
  }

  /** Writes a held count with basic credentials and leaves it unanswered. */
  private static void send(Socket caller, String user, String password) throws IOException {
    String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    OutputStream out = caller.getOutputStream();
    out.write(("GET /api/events/count?variable=held HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + basic
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void awaitAtLeast(LongSupplier count, long expected, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (count.getAsLong() < expected) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static HttpRequest.Builder as(String user, String password, String path) {
    String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return gateway.request(path).header("Authorization", "Basic " + basic);
  }

  private static HttpRequest.Builder admin(String path) {
    return as("admin", TestGateway.ADMIN_PASSWORD, path);
  }
}
