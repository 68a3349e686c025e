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
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway relays the query-service's answers as they come: a listing larger than any buffer arrives whole, with
 * its content type, and an answer cut off midway reaches the caller cut off, never as a complete 200.
 */
class QueryProxyIT {

  private static final int LINES = 200_000;
  private static final String LINE = "0190f6a2-7b3c-7d4e-8f5a-6b7c8d9e0f1a\n";
  private static final List<HttpServerResponse> EXPORTS = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean EXPORTS_ENDED = new AtomicBoolean();
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
  void exportsHeldOpenByTheirReadersNeverDelayOtherRequests() throws Exception {
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
      // Which of them get one of the 32 connections is the pool's choice: wait until that many are answered.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (held.stream().filter(export -> export.isDone() && !export.isCompletedExceptionally()
          && export.join().statusCode() == 200).count() < 32) {
        assertThat(System.nanoTime()).as("32 exports answered").isLessThan(deadline);
        Thread.sleep(50);
      }
      Thread.sleep(500);
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

  private static HttpRequest.Builder admin(String path) {
    String basic = Base64.getEncoder().encodeToString(("admin:" + TestGateway.ADMIN_PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    return gateway.request(path).header("Authorization", "Basic " + basic);
  }
}
