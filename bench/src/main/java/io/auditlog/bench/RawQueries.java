package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.InfluxServer;
import io.auditlog.model.Json;
import io.auditlog.store.Statement;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * InfluxQL reads sent straight to InfluxDB as its admin, values bound ({@code params}), answered in chunks of 10,000
 * rows ({@code chunked=true}) that are handed over one by one as they arrive: a client counting over many rows holds
 * one chunk at a time.
 */
final class RawQueries {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final InfluxServer influx;

  RawQueries(InfluxServer influx) {
    this.influx = influx;
  }

  /** Hands each chunk's first result to {@code chunks}; fails with InfluxDB's error. */
  void stream(String database, Statement statement, Consumer<JsonNode> chunks) throws Exception {
    String form = "q=" + URLEncoder.encode(statement.text(), StandardCharsets.UTF_8) + "&params="
        + URLEncoder.encode(statement.paramsJson(), StandardCharsets.UTF_8);
    HttpResponse<Stream<String>> answer = http.send(HttpRequest.newBuilder(URI.create(influx.url()
            + "/query?epoch=ns&chunked=true&chunk_size=10000&db=" + URLEncoder.encode(database,
            StandardCharsets.UTF_8)))
        .header("Authorization", influx.admin().basicAuthorization())
        .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = answer.body()) {
      Iterator<String> chunk = lines.iterator();
      while (chunk.hasNext()) {
        JsonNode result = Json.MAPPER.readTree(chunk.next()).path("results").path(0);
        if (result.has("error") || answer.statusCode() != 200) {
          throw new IllegalStateException("InfluxDB " + answer.statusCode() + ": " + result);
        }
        chunks.accept(result);
      }
    }
  }

  /** Every row of every series of the answer, chunk by chunk. */
  void rows(String database, Statement statement, Consumer<JsonNode> rows) throws Exception {
    stream(database, statement, result -> result.path("series").forEach(s -> s.path("values").forEach(rows)));
  }
}
