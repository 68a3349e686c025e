package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.Ports;
import io.auditlog.web.InternalTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway forwards {@code GET /audit/{tenant}/…} ({@code {tenant}} = {@code [1-9][0-9]*}) to the query-service
 * with the AuditConsole's authentication, passes the caller's {@code Accept-Encoding} on, and relays status, body
 * and the headers the history needs ({@code Content-Encoding}, {@code Cache-Control}, {@code Retry-After},
 * {@code Content-Disposition}) as they are.
 */
class HistoryProxyIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> FORWARDED = new CopyOnWriteArrayList<>();
  private static Vertx upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = Vertx.vertx();
    int port = Ports.free();
    upstream.createHttpServer().requestHandler(request -> {
      if (request.getHeader(InternalTokens.HEADER) == null) {
        request.response().setStatusCode(401).end();
        return;
      }
      FORWARDED.add(request.uri());
      String echo = request.uri() + " " + request.getHeader("Accept-Encoding");
      boolean gzip = "gzip".equals(request.getHeader("Accept-Encoding"));
      request.response().setStatusCode(404)
          .putHeader("Content-Type", "application/x-ndjson")
          .putHeader("Cache-Control", "no-cache")
          .putHeader("Retry-After", "1")
          .putHeader("Content-Disposition", "attachment; filename=\"audit.ndjson\"")
          .putHeader("Vary", "Accept-Encoding");
      if (gzip) {
        request.response().putHeader("Content-Encoding", "gzip");
      }
      request.response().end(Buffer.buffer(gzip ? gzipped(echo) : echo.getBytes(StandardCharsets.UTF_8)));
    }).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gateway = new TestGateway(Map.of("AUDIT_QUERY_URL", "http://127.0.0.1:" + port));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    upstream.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyHistoryPathIsForwardedWithItsQueryAndTheAnswerRelayedAsItIs() throws Exception {
    for (String path : new String[] {"/audit/42/checkpoint", "/audit/42/checkpoints/7", "/audit/42/keys",
        "/audit/42/proof/inclusion?id=abc&size=3", "/audit/42/proof/consistency?from=1&to=2",
        "/audit/42/tile/0/x001/x234/067.p/5", "/audit/42/tile/entries/000", "/audit/42/export?start=7d"}) {
      HttpResponse<byte[]> answer = HTTP.send(admin(path).header("Accept-Encoding", "gzip").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(answer.statusCode()).isEqualTo(404);
      assertThat(answer.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
      assertThat(answer.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"audit.ndjson\"");
      String echo = new String(new GZIPInputStream(new ByteArrayInputStream(answer.body())).readAllBytes(),
          StandardCharsets.UTF_8);
      assertThat(echo).isEqualTo(path + " gzip");
    }
    HttpResponse<String> plain = TestGateway.send(admin("/audit/42/keys"));
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.body()).isEqualTo("/audit/42/keys null");
  }

  @Test
  void onlyDecimalTenantIdsAreHistoryAndEveryPathNeedsCredentials() throws Exception {
    int before = FORWARDED.size();
    for (String path : new String[] {"/audit/042/checkpoint", "/audit/0/keys", "/audit/x1/keys",
        "/audit/42/checkpoint/extra", "/audit/42/tiles/0/000"}) {
      assertThat(TestGateway.send(admin(path)).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(TestGateway.send(gateway.request("/audit/42/checkpoint")).statusCode()).isEqualTo(401);
    assertThat(TestGateway.send(gateway.request("/audit/42/export")
        .header("X-Auth-Token", "not-a-token")).statusCode()).isEqualTo(401);
    assertThat(FORWARDED.size()).isEqualTo(before);
  }

  private static HttpRequest.Builder admin(String path) {
    String basic = Base64.getEncoder().encodeToString(("admin:" + TestGateway.ADMIN_PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    return gateway.request(path).header("Authorization", "Basic " + basic);
  }

  private static byte[] gzipped(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
