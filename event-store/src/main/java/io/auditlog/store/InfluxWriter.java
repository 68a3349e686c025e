package io.auditlog.store;

import io.auditlog.model.InfluxCredential;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes line protocol to InfluxDB's v1 {@code /write} (gzip, nanosecond precision) as the writer user, which has
 * WRITE on each tenant database and no other privilege: it cannot read, create or drop anything. A database that does
 * not exist yet, or is not yet granted to the writer (the gateway provisions both when an account is activated and at
 * its start), is a transient failure: the batch is retried until it is provisioned. When InfluxDB refuses a batch
 * (400: a field type conflict, a malformed line), the batch is split in halves until the refused lines are isolated, so the rest is still stored; rewriting the accepted halves is
 * harmless because points are identical.
 */
public final class InfluxWriter implements EventSink {

  private final HttpClient http;
  private final String url;
  private final InfluxCredential writer;
  private final Duration timeout;

  public InfluxWriter(String url, InfluxCredential writer, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.url = url;
    this.writer = writer;
    this.timeout = timeout;
  }

  @Override
  public List<Rejected> write(String database, List<String> lines) throws TransientWriteException {
    List<Rejected> rejected = new ArrayList<>();
    writeIsolating(database, lines, rejected);
    return rejected;
  }

  private void writeIsolating(String database, List<String> lines, List<Rejected> rejected)
      throws TransientWriteException {
    HttpResponse<String> response = post(database, lines);
    int status = response.statusCode();
    if (status == 204) {
      return;
    }
    if (status == 400 || status == 413) {
      if (lines.size() == 1) {
        rejected.add(new Rejected(lines.get(0), "InfluxDB " + status + ": " + response.body().trim()));
        return;
      }
      int middle = lines.size() / 2;
      writeIsolating(database, lines.subList(0, middle), rejected);
      writeIsolating(database, lines.subList(middle, lines.size()), rejected);
      return;
    }
    throw new TransientWriteException("InfluxDB answered " + status + ": " + response.body().trim(), null);
  }

  private HttpResponse<String> post(String database, List<String> lines) throws TransientWriteException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/write?precision=ns&db="
            + URLEncoder.encode(database, StandardCharsets.UTF_8)))
        .timeout(timeout)
        .header("Authorization", writer.basicAuthorization())
        .header("Content-Encoding", "gzip")
        .header("Content-Type", "text/plain; charset=utf-8")
        .POST(GzipBody.of(lines))
        .build();
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest request) throws TransientWriteException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TransientWriteException("InfluxDB unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientWriteException("interrupted", e);
    }
  }
}
